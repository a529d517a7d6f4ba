/// The answer of a token bucket to one request, with everything the response
/// headers need (`RateLimit-Policy`, `RateLimit`, `Retry-After`).
///
/// All durations are whole seconds rounded up, so a client that waits the
/// advertised time never arrives early.
public struct RateLimitDecision: Sendable, Equatable {
    /// Whether the request may proceed (a token was taken).
    public var allowed: Bool
    /// The policy's quota: the client's requests per minute, which is also the
    /// bucket's capacity.
    public var limit: Int
    /// Whole tokens left after this decision (floor). 0 on a refusal.
    public var remaining: Int
    /// Seconds until the bucket is full again (ceil); 0 when it already is.
    public var resetSeconds: Int
    /// Seconds until one token is available (ceil, at least 1) when refused;
    /// 0 when allowed.
    public var retryAfterSeconds: Int

    public init(allowed: Bool, limit: Int, remaining: Int, resetSeconds: Int, retryAfterSeconds: Int) {
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.resetSeconds = resetSeconds
        self.retryAfterSeconds = retryAfterSeconds
    }
}
