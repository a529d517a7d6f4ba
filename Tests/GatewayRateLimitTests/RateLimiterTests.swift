import Dispatch
import Synchronization
import Testing
@testable import GatewayRateLimit

private let second: Int64 = 1_000_000_000

@Suite struct RateLimiterTests {
    @Test func clientsHaveSeparateBuckets() {
        let limiter = RateLimiter()
        for _ in 0..<3 { #expect(limiter.take(clientID: "a", ratePerMinute: 3, now: 0).allowed) }
        #expect(!limiter.take(clientID: "a", ratePerMinute: 3, now: 0).allowed)
        #expect(limiter.take(clientID: "b", ratePerMinute: 3, now: 0).allowed)
        #expect(limiter.statistics().buckets == 2)
    }

    @Test func rateChangeAppliesOnTheNextTake() {
        let limiter = RateLimiter()
        for _ in 0..<10 { _ = limiter.take(clientID: "c", ratePerMinute: 100, now: 0) }
        let lowered = limiter.take(clientID: "c", ratePerMinute: 5, now: 0)
        #expect(lowered.limit == 5)
        #expect(lowered.remaining == 4)  // 90 clamped to 5, minus this request
    }

    @Test func suspendedClientsHoldNoBucket() {
        let limiter = RateLimiter()
        #expect(!limiter.take(clientID: "s", ratePerMinute: 0, now: 0).allowed)
        #expect(limiter.statistics().buckets == 0)
    }

    @Test(arguments: [1, 16])
    func concurrentTakersOnOneClientGetExactlyTheCapacity(shards: Int) {
        let limiter = RateLimiter(configuration: .init(shardCount: shards))
        let allowed = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            var mine = 0
            for _ in 0..<20_000 where limiter.take(clientID: "hot", ratePerMinute: 1_000, now: 5 * second).allowed {
                mine += 1
            }
            allowed.add(mine, ordering: .relaxed)
        }
        #expect(allowed.load(ordering: .relaxed) == 1_000)
    }

    @Test func concurrentTakersOnManyClientsGetExactlyEachCapacity() {
        let limiter = RateLimiter()
        let clients = (0..<64).map { "client-\($0)" }
        let allowed = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var mine = 0
            for round in 0..<2_000 {
                let id = clients[(round &* 7 &+ thread) % clients.count]
                if limiter.take(clientID: id, ratePerMinute: 50, now: 0).allowed { mine += 1 }
            }
            allowed.add(mine, ordering: .relaxed)
        }
        #expect(allowed.load(ordering: .relaxed) == 64 * 50)
        for id in clients { #expect(limiter.bucket(for: id)?.ticks == 0) }
    }

    @Test func concurrentTakersWithAdvancingClocksNeverExceedTheRate() {
        // Each thread reads "its own" clock; readings interleave out of order.
        let limiter = RateLimiter()
        let allowed = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var mine = 0
            for step in 0..<10_000 {
                let now = Int64(step) * 1_000_000 + Int64(thread) * 250_000  // up to ~10 s
                if limiter.take(clientID: "x", ratePerMinute: 600, now: now).allowed { mine += 1 }
            }
            allowed.add(mine, ordering: .relaxed)
        }
        // 600 at once, then 10 per second for the ~10 s covered by the readings.
        let latest = Int64(9_999) * 1_000_000 + 3 * 250_000
        #expect(allowed.load(ordering: .relaxed) == 600 + Int(latest * 600 / (60 * second)))
    }

    @Test func tenThousandIdleClientsAreReclaimed() {
        let limiter = RateLimiter()
        for i in 0..<10_000 {
            #expect(limiter.take(clientID: "client-\(i)", ratePerMinute: 1_000, now: 0).allowed)
        }
        let busy = limiter.statistics()
        #expect(busy.buckets == 10_000)
        #expect(busy.storageCapacity >= 10_000)
        // Nothing is full yet: a sweep keeps everyone.
        #expect(limiter.sweep(now: 1) == 0)
        // A token comes back every 60 ms: a second later every bucket is full again.
        #expect(limiter.sweep(now: second) == 10_000)
        let idle = limiter.statistics()
        #expect(idle.buckets == 0)
        #expect(idle.storageCapacity < 1_000)
        #expect(idle.evictions == 0)
    }

    @Test func sweepKeepsBucketsThatAreNotFull() {
        let limiter = RateLimiter()
        _ = limiter.take(clientID: "slow", ratePerMinute: 1, now: 0)   // full again at 60 s
        _ = limiter.take(clientID: "fast", ratePerMinute: 600, now: 0)  // full again at 0.1 s
        #expect(limiter.sweep(now: second) == 1)
        #expect(limiter.bucket(for: "slow") != nil)
        #expect(limiter.bucket(for: "fast") == nil)
    }

    @Test func insertingNewClientsSweepsWithoutATimer() {
        let limiter = RateLimiter(configuration: .init(shardCount: 1, minimumSweepSize: 100))
        for i in 0..<100 { _ = limiter.take(clientID: "old-\(i)", ratePerMinute: 60, now: 0) }
        for i in 0..<101 { _ = limiter.take(clientID: "new-\(i)", ratePerMinute: 60, now: 61 * second) }
        // Reaching 200 swept the 100 idle, full buckets.
        #expect(limiter.statistics().buckets == 101)
        #expect(limiter.bucket(for: "old-0") == nil)
    }

    @Test func hardCapEvictsTheBucketClosestToFull() {
        let limiter = RateLimiter(configuration: .init(shardCount: 1, maxBuckets: 100))
        _ = limiter.take(clientID: "nearly-full", ratePerMinute: 6_000, now: 0)
        for i in 0..<99 { _ = limiter.take(clientID: "c-\(i)", ratePerMinute: 1, now: 0) }
        _ = limiter.take(clientID: "newcomer", ratePerMinute: 1, now: 0)
        let stats = limiter.statistics()
        #expect(stats.buckets == 100)
        #expect(stats.evictions == 1)
        #expect(limiter.bucket(for: "nearly-full") == nil)
        #expect(limiter.bucket(for: "newcomer") != nil)
        for i in 0..<200 { _ = limiter.take(clientID: "more-\(i)", ratePerMinute: 1, now: 0) }
        #expect(limiter.statistics().buckets == 100)
    }

    @Test func shardsSpreadKeys() {
        let shards = ShardedMutex<Int>(count: 16) { 0 }
        var hit = Set<ObjectIdentifier>()
        for i in 0..<1_000 { hit.insert(ObjectIdentifier(shards.shard(for: "client-\(i)"))) }
        #expect(shards.count == 16)
        #expect(hit.count == 16)
        #expect(ShardedMutex<Int>(count: 10) { 0 }.count == 16)
    }
}
