import GatewayHTTP
import GatewayProxy

/// The pipeline's rate-limit phase (CONTRACT §5): one token bucket per client,
/// checked after authentication and scopes, before the upstream call.
///
/// In `requestFilter`, for a request with a `principal` (requests without one,
/// such as public operations, pass untouched):
/// 1. the client's rate comes from `rates`, or `defaultRatePerMinute` (the
///    config's `default_rpm`, 1000 by default) when it has none;
/// 2. one token is taken from the shared `limiter` at `startMonotonicNanos`;
/// 3. `RateLimit-Policy` and `RateLimit` are appended to the context's
///    response headers, so every answer carries them, a 429 included;
/// 4. over the rate, the request is refused with `.tooManyRequests` and a
///    `Retry-After` of whole seconds, and the refusal goes to `coalescer`.
///
/// The filter itself holds no state: it is rebuilt on a config reload while
/// `limiter`, `rates` and `coalescer` are created once and passed in, so
/// buckets survive the reload.
public struct RateLimitFilter: ProxyFilter {
    public let limiter: RateLimiter
    public let rates: any ClientRateProvider
    public let defaultRatePerMinute: Int
    public let coalescer: RefusalCoalescer?
    /// The default rate as the bucket applies it, and its `RateLimit-Policy`, rendered once.
    private let clampedDefault: Int
    private let defaultPolicy: String

    public init(limiter: RateLimiter, rates: any ClientRateProvider, defaultRatePerMinute: Int = 1_000,
                coalescer: RefusalCoalescer? = nil) {
        self.limiter = limiter
        self.rates = rates
        self.defaultRatePerMinute = defaultRatePerMinute
        self.coalescer = coalescer
        clampedDefault = TokenBucket.clampedRate(defaultRatePerMinute)
        defaultPolicy = RateLimitHeaders.policy(limit: clampedDefault)
    }

    public func requestFilter(_ context: ProxyContext) -> ProxyError? {
        guard let principal = context.principal else { return nil }
        let rate = rates.ratePerMinute(forClient: principal.clientID) ?? defaultRatePerMinute
        let decision = limiter.take(clientID: principal.clientID, ratePerMinute: rate,
                                    now: context.startMonotonicNanos)
        let policy = decision.limit == clampedDefault ? defaultPolicy : RateLimitHeaders.policy(limit: decision.limit)
        context.responseHeaders.add(name: "RateLimit-Policy", value: policy)
        context.responseHeaders.add(name: "RateLimit", value: RateLimitHeaders.rateLimit(decision))
        if decision.allowed { return nil }

        coalescer?.refused(clientID: principal.clientID, orgID: principal.orgID, requestID: context.requestID,
                           now: context.startMonotonicNanos, unixNanos: context.startUnixNanos)
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: String(decision.retryAfterSeconds))
        return ProxyError(.tooManyRequests, detail: Self.detail(decision), headers: headers)
    }

    /// The problem document's `detail`: what happened and what to do.
    static func detail(_ decision: RateLimitDecision) -> String {
        if decision.limit == 0 {
            return "This client's rate is 0 requests per minute, so it may not call the API now; "
                + "ask an administrator to restore its rate."
        }
        return "This client is over its rate of \(decision.limit) requests per minute; retry after "
            + "\(decision.retryAfterSeconds) s, or ask an administrator to raise the client's rate."
    }
}
