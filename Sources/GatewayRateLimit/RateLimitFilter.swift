import GatewayHTTP
import GatewayProxy

/// The pipeline's rate-limit phase (CONTRACT §5): one token bucket per client,
/// checked after authentication and scopes, before the upstream call.
///
/// In `requestFilter`, for a request with a `principal`, or to an operation
/// marked public (keyed by the caller's address instead of a client):
/// 1. the client's rate comes from `rates`, or `defaultRatePerMinute` (the
///    config's `default_rpm`, 1000 by default) when it has none; a public
///    operation's caller gets `publicRatePerMinute` (`public_rpm`, default
///    `default_rpm`) per address — the TCP peer, so callers behind one proxy
///    share a bucket;
/// 2. one token is taken from the shared `limiter` at `startMonotonicNanos`;
/// 3. `RateLimit-Policy` and `RateLimit` are appended to the context's
///    response headers, so every answer carries them, a 429 included;
/// 4. over the rate, the request is refused with `.tooManyRequests` and a
///    `Retry-After` of whole seconds, and a client's refusal goes to
///    `coalescer` (an address is nobody the audit log could name).
///
/// The filter itself holds no state: it is rebuilt on a config reload while
/// `limiter`, `rates` and `coalescer` are created once and passed in, so
/// buckets survive the reload.
public final class RateLimitFilter: ProxyFilter {
    public let limiter: RateLimiter
    public let rates: any ClientRateProvider
    public let defaultRatePerMinute: Int
    /// Requests per minute per caller address on public operations.
    public let publicRatePerMinute: Int
    public let coalescer: RefusalCoalescer?
    /// The default rate as the bucket applies it, and its `RateLimit-Policy`, rendered once.
    private let clampedDefault: Int
    private let defaultPolicy: String

    public init(limiter: RateLimiter, rates: any ClientRateProvider, defaultRatePerMinute: Int = 1_000,
                publicRatePerMinute: Int? = nil, coalescer: RefusalCoalescer? = nil) {
        self.limiter = limiter
        self.rates = rates
        self.defaultRatePerMinute = defaultRatePerMinute
        self.publicRatePerMinute = publicRatePerMinute ?? defaultRatePerMinute
        self.coalescer = coalescer
        clampedDefault = TokenBucket.clampedRate(defaultRatePerMinute)
        defaultPolicy = RateLimitHeaders.policy(limit: clampedDefault)
    }

    public func requestFilter(_ context: ProxyContext) -> ProxyError? {
        let principal = context.principal
        let key: String, rate: Int
        if let principal {
            key = principal.clientID
            rate = rates.ratePerMinute(forClient: principal.clientID) ?? defaultRatePerMinute
        } else if context.route?.operation.isPublic == true {
            // `:` never occurs in a client id, so an address key cannot meet a client's bucket.
            key = Self.addressKeyPrefix + context.remoteAddress
            rate = publicRatePerMinute
        } else {
            return nil
        }
        let decision = limiter.take(clientID: key, ratePerMinute: rate, now: context.startMonotonicNanos)
        let policy = decision.limit == clampedDefault ? defaultPolicy : RateLimitHeaders.policy(limit: decision.limit)
        context.responseHeaders.add(name: "RateLimit-Policy", value: policy)
        context.responseHeaders.add(name: "RateLimit", value: RateLimitHeaders.rateLimit(decision))
        if decision.allowed { return nil }

        if let principal {
            coalescer?.refused(clientID: principal.clientID, orgID: principal.orgID, requestID: context.requestID,
                               now: context.startMonotonicNanos, unixNanos: context.startUnixNanos)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: String(decision.retryAfterSeconds))
        return ProxyError(.tooManyRequests, detail: principal == nil ? Self.addressDetail(decision) : Self.detail(decision),
                          headers: headers)
    }

    /// Prefix of the bucket key of a public operation's caller (`addr:127.0.0.1`).
    public static let addressKeyPrefix = "addr:"

    /// The problem document's `detail`: what happened and what to do.
    static func detail(_ decision: RateLimitDecision) -> String {
        if decision.limit == 0 {
            return "This client's rate is 0 requests per minute, so it may not call the API now; "
                + "ask an administrator to restore its rate."
        }
        return "This client is over its rate of \(decision.limit) requests per minute; retry after "
            + "\(decision.retryAfterSeconds) s, or ask an administrator to raise the client's rate."
    }

    /// The `detail` for a public operation's caller.
    static func addressDetail(_ decision: RateLimitDecision) -> String {
        "Requests from this address are over the public rate of \(decision.limit) requests per minute; "
            + "retry after \(decision.retryAfterSeconds) s."
    }
}
