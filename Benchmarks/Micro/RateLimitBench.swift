import Foundation
import GatewayHTTP
import GatewayProxy
import GatewayRateLimit
import Synchronization

/// Rate-limit decisions: the bucket alone, the shared table (one client,
/// 10 000 clients, and with a second thread hammering the same or another
/// client), and the whole filter including headers.
func benchRateLimit() {
    let iterations = 2_000_000
    // 10^8 RPM and 1 µs between requests: every decision takes the allowed path.
    let rate = 100_000_000

    var bucket = TokenBucket(ratePerMinute: rate, now: 0)
    var now: Int64 = 0
    measure("ratelimit.bucket.take", iterations: iterations) {
        now &+= 1_000
        blackHole(bucket.take(now: now).allowed)
    }

    let limiter = RateLimiter()
    now = 0
    measure("ratelimit.table.take one client", iterations: iterations) {
        now &+= 1_000
        blackHole(limiter.take(clientID: "client-0000000000000001", ratePerMinute: rate, now: now).allowed)
    }

    let many = (0..<10_000).map { String(format: "client-%016d", $0) }
    var next = 0
    now = 0
    measure("ratelimit.table.take 10k clients", iterations: iterations) {
        now &+= 1_000
        next = next == many.count - 1 ? 0 : next + 1
        blackHole(limiter.take(clientID: many[next], ratePerMinute: rate, now: now).allowed)
    }

    // The shard hash is seeded per process, so "other clients" are 16 ids: most
    // runs put nearly all of them in other shards than the measured one.
    let others = (2..<18).map { String(format: "client-%016d", $0) }
    for (label, clients) in [("same client", ["client-0000000000000001"]), ("other clients", others)] {
        let background = Hammer(limiter: limiter, clientIDs: clients, rate: rate)
        background.start()
        now = 0
        measure("ratelimit.table.take 2 threads, \(label)", iterations: iterations) {
            now &+= 1_000
            blackHole(limiter.take(clientID: "client-0000000000000001", ratePerMinute: rate, now: now).allowed)
        }
        background.stop()
    }

    let filter = RateLimitFilter(limiter: limiter, rates: ClientRateTable(["app-client-id-0001": rate]))
    let context = ProxyContext(requestID: "req", head: HTTPRequestHead(method: "GET", target: "/v1/x"),
                               remoteAddress: "127.0.0.1", startMonotonicNanos: 0, startUnixNanos: 0)
    context.principal = Principal(clientID: "app-client-id-0001", orgID: "org", scopes: [], tokenID: "t",
                                  expiresAt: 0)
    measure("ratelimit.filter.requestFilter (with headers)", iterations: iterations / 4) {
        context.responseHeaders = HTTPHeaders()
        blackHole(filter.requestFilter(context) == nil)
    }
}

/// Keeps results alive so the optimizer cannot drop the work (main thread only).
nonisolated(unsafe) private var rateLimitSink = 0

@inline(never)
private func blackHole(_ value: Bool) {
    rateLimitSink &+= value ? 1 : 0
}

/// A thread that takes from its clients' buckets in turn until stopped.
private final class Hammer: Sendable {
    let limiter: RateLimiter
    let clientIDs: [String]
    let rate: Int
    let running = Atomic<Bool>(true)
    let finished = Atomic<Bool>(false)

    init(limiter: RateLimiter, clientIDs: [String], rate: Int) {
        self.limiter = limiter
        self.clientIDs = clientIDs
        self.rate = rate
    }

    func start() {
        Thread {
            var now: Int64 = 0
            var next = 0
            while self.running.load(ordering: .relaxed) {
                now &+= 1_000
                next = next + 1 == self.clientIDs.count ? 0 : next + 1
                _ = self.limiter.take(clientID: self.clientIDs[next], ratePerMinute: self.rate, now: now)
            }
            self.finished.store(true, ordering: .releasing)
        }.start()
        usleep(10_000)  // let it get going
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) { usleep(100) }
    }
}
