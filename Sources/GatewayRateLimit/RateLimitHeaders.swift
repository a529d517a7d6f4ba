import GatewayHTTP

/// The IETF httpapi rate-limit header fields (draft-ietf-httpapi-ratelimit-headers-11),
/// rendered for one decision.
///
/// Both fields are Structured Field Lists with one item, the policy named by
/// the String `"default"`:
///
///     RateLimit-Policy: "default";q=1000;w=60
///     RateLimit: "default";r=999;t=1
///
/// - `q` is the client's requests per minute and `w=60` the window in seconds:
///   the bucket's capacity and the time in which it refills from empty.
/// - `r` is the whole tokens left after this request.
/// - `t` (the effective window) is the seconds until the bucket is full again
///   on an allowed request. On a refusal it is the `Retry-After` value (seconds
///   until one token returns): within that time the client can use no more than
///   `r=0`, and the draft asks that `Retry-After` not point earlier than the end
///   of the effective window.
public enum RateLimitHeaders {
    /// The policy's name in both fields.
    public static let policyName = "default"
    /// The window advertised by `w`: a bucket refills from empty in one minute.
    public static let windowSeconds = 60

    /// The `RateLimit-Policy` value for `limit` requests per minute.
    public static func policy(limit: Int) -> String {
        "\"\(policyName)\";q=\(limit);w=\(windowSeconds)"
    }

    /// The `RateLimit` value for `decision`.
    public static func rateLimit(_ decision: RateLimitDecision) -> String {
        let t = decision.allowed ? decision.resetSeconds : decision.retryAfterSeconds
        return "\"\(policyName)\";r=\(decision.remaining);t=\(t)"
    }

    /// Appends both fields to `headers`.
    public static func append(_ decision: RateLimitDecision, to headers: inout HTTPHeaders) {
        headers.add(name: "RateLimit-Policy", value: policy(limit: decision.limit))
        headers.add(name: "RateLimit", value: rateLimit(decision))
    }
}
