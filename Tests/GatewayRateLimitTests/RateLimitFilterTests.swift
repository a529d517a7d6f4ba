import GatewayHTTP
import GatewayProxy
import Synchronization
import Testing
@testable import GatewayRateLimit

private let second: Int64 = 1_000_000_000

private func context(client: String?, at now: Int64, requestID: String = "req-1") -> ProxyContext {
    let ctx = ProxyContext(requestID: requestID, head: HTTPRequestHead(method: "GET", target: "/v1/ledger/entries"),
                           remoteAddress: "127.0.0.1", startMonotonicNanos: now,
                           startUnixNanos: 1_700_000_000 * second + now)
    if let client {
        ctx.principal = Principal(clientID: client, orgID: "org-1", scopes: ["ledger:read"], tokenID: "jti",
                                  expiresAt: 0)
    }
    return ctx
}

private final class ReportLog: Sendable {
    let reports = Mutex<[RefusalReport]>([])
    var all: [RefusalReport] { reports.withLock { $0 } }
    func sink() -> @Sendable (RefusalReport) -> Void { { report in self.reports.withLock { $0.append(report) } } }
}

@Suite struct RateLimitFilterTests {
    @Test func headerSyntax() {
        let allowed = RateLimitDecision(allowed: true, limit: 1_000, remaining: 999, resetSeconds: 1,
                                        retryAfterSeconds: 0)
        #expect(RateLimitHeaders.policy(limit: 1_000) == "\"default\";q=1000;w=60")
        #expect(RateLimitHeaders.rateLimit(allowed) == "\"default\";r=999;t=1")
        #expect(RateLimitHeaders.policy(limit: 0) == "\"default\";q=0;w=60")
        #expect(RateLimitHeaders.policy(limit: Int.max) == "\"default\";q=9223372036854775807;w=60")
        #expect(RateLimitHeaders.policy(limit: 10_000_000_000_000_000) == "\"default\";q=10000000000000000;w=60")
        #expect(RateLimitHeaders.policy(limit: -3) == "\"default\";q=0;w=60")
        // On a refusal `t` matches Retry-After (the draft: Retry-After not before the window's end).
        let refused = RateLimitDecision(allowed: false, limit: 60, remaining: 0, resetSeconds: 60,
                                        retryAfterSeconds: 1)
        #expect(RateLimitHeaders.rateLimit(refused) == "\"default\";r=0;t=1")
    }

    @Test func allowedRequestsCarryBothHeaders() {
        let filter = RateLimitFilter(limiter: RateLimiter(), rates: ClientRateTable(["app": 120]))
        let ctx = context(client: "app", at: 0)
        #expect(filter.requestFilter(ctx) == nil)
        #expect(ctx.responseHeaders.values(name: "RateLimit-Policy") == ["\"default\";q=120;w=60"])
        #expect(ctx.responseHeaders.values(name: "RateLimit") == ["\"default\";r=119;t=1"])
    }

    @Test func defaultRateAppliesWithoutAnEntry() {
        let filter = RateLimitFilter(limiter: RateLimiter(), rates: ClientRateTable())
        let ctx = context(client: "someone", at: 0)
        _ = filter.requestFilter(ctx)
        #expect(ctx.responseHeaders.first(name: "RateLimit-Policy") == "\"default\";q=1000;w=60")
        let custom = RateLimitFilter(limiter: RateLimiter(), rates: ClientRateTable(), defaultRatePerMinute: 30)
        let other = context(client: "someone", at: 0)
        _ = custom.requestFilter(other)
        #expect(other.responseHeaders.first(name: "RateLimit") == "\"default\";r=29;t=2")
    }

    @Test func overTheRateIs429WithRetryAfter() throws {
        let log = ReportLog()
        let filter = RateLimitFilter(limiter: RateLimiter(), rates: ClientRateTable(["app": 2]),
                                     coalescer: RefusalCoalescer(sink: log.sink()))
        #expect(filter.requestFilter(context(client: "app", at: 0)) == nil)
        #expect(filter.requestFilter(context(client: "app", at: 0)) == nil)
        let ctx = context(client: "app", at: 5 * second, requestID: "req-3")
        let error = try #require(filter.requestFilter(ctx))
        #expect(error.kind == .tooManyRequests)
        #expect(error.status == 429)
        #expect(error.headers.values(name: "Retry-After") == ["25"])  // one token per 30 s, 5 s in
        #expect(error.problem.detail?.contains("2 requests per minute") == true)
        #expect(ctx.responseHeaders.first(name: "RateLimit") == "\"default\";r=0;t=25")
        #expect(ctx.responseHeaders.first(name: "RateLimit-Policy") == "\"default\";q=2;w=60")
        #expect(log.all == [.windowOpened(clientID: "app", orgID: "org-1",
                                          windowStartUnixNanos: ctx.startUnixNanos, firstRequestID: "req-3")])
    }

    @Test func requestsWithoutAPrincipalToScopedOperationsPass() {
        // The auth filter refuses those before this one runs; nothing here to count against.
        let filter = RateLimitFilter(limiter: RateLimiter(), rates: ClientRateTable(["app": 0]))
        let ctx = context(client: nil, at: 0)
        #expect(filter.requestFilter(ctx) == nil)
        #expect(ctx.responseHeaders.first(name: "RateLimit") == nil)
        #expect(ctx.responseHeaders.first(name: "RateLimit-Policy") == nil)
    }

    @Test func publicOperationsAreLimitedPerCallerAddress() throws {
        let log = ReportLog()
        let limiter = RateLimiter()
        let filter = RateLimitFilter(limiter: limiter, rates: ClientRateTable(), defaultRatePerMinute: 1_000,
                                     publicRatePerMinute: 2, coalescer: RefusalCoalescer(sink: log.sink()))
        func anonymous(from address: String) -> ProxyContext {
            let ctx = ProxyContext(requestID: "r", head: HTTPRequestHead(method: "GET", target: "/v1/status"),
                                   remoteAddress: address, startMonotonicNanos: 0, startUnixNanos: 0)
            ctx.route = RouteMatch(api: "ledger", version: "v1",
                                   operation: CompiledOperation(method: "GET", pathTemplate: "/status", scopes: [],
                                                                isPublic: true),
                                   upstream: UpstreamTarget(baseURL: "http://127.0.0.1:1"))
            return ctx
        }
        let first = anonymous(from: "10.0.0.1")
        #expect(filter.requestFilter(first) == nil)
        #expect(first.responseHeaders.first(name: "RateLimit-Policy") == "\"default\";q=2;w=60")
        #expect(first.responseHeaders.first(name: "RateLimit") == "\"default\";r=1;t=30")
        #expect(filter.requestFilter(anonymous(from: "10.0.0.1")) == nil)
        let refused = try #require(filter.requestFilter(anonymous(from: "10.0.0.1")))
        #expect(refused.status == 429 && refused.headers.first(name: "Retry-After") == "30")
        #expect(refused.problem.detail?.contains("this address") == true)
        // Another address has its own bucket; so does a client whose id looks like an address.
        #expect(filter.requestFilter(anonymous(from: "10.0.0.2")) == nil)
        #expect(filter.requestFilter(context(client: "10.0.0.1", at: 0)) == nil)
        // An address is nobody the audit log could name.
        #expect(log.all.isEmpty)
    }

    @Test func rateChangesApplyWithoutRestart() throws {
        let rates = ClientRateTable(["app": 1])
        let filter = RateLimitFilter(limiter: RateLimiter(), rates: rates)
        #expect(filter.requestFilter(context(client: "app", at: 0)) == nil)
        #expect(filter.requestFilter(context(client: "app", at: 0)) != nil)
        rates.setRate(0, forClient: "app")
        let suspended = try #require(filter.requestFilter(context(client: "app", at: 120 * second)))
        #expect(suspended.headers.first(name: "Retry-After") == "60")
        rates.setRate(nil, forClient: "app")  // back to the default of 1000, starting from empty
        #expect(filter.requestFilter(context(client: "app", at: 120 * second)) != nil)
        #expect(filter.requestFilter(context(client: "app", at: 120 * second + second)) == nil)
    }

    @Test func rateTableReplaceAll() {
        let rates = ClientRateTable(["a": 1, "b": 2])
        rates.replaceAll(with: ["b": 3, "c": 4])
        #expect(rates.ratePerMinute(forClient: "a") == nil)
        #expect(rates.ratePerMinute(forClient: "b") == 3)
        #expect(rates.ratePerMinute(forClient: "c") == 4)
    }
}
