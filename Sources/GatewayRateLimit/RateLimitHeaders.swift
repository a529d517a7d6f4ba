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
    /// The policy's name in both fields (rendered as the quoted String `"default"`).
    public static let policyName = "default"
    /// The window advertised by `w`: a bucket refills from empty in one minute.
    public static let windowSeconds = 60

    /// The `RateLimit-Policy` value for `limit` requests per minute.
    public static func policy(limit: Int) -> String {
        render("\"default\";q=", limit, ";w=", windowSeconds)
    }

    /// The `RateLimit` value for `decision`.
    public static func rateLimit(_ decision: RateLimitDecision) -> String {
        let t = decision.allowed ? decision.resetSeconds : decision.retryAfterSeconds
        return render("\"default\";r=", decision.remaining, ";t=", t)
    }

    /// Appends both fields to `headers`.
    public static func append(_ decision: RateLimitDecision, to headers: inout HTTPHeaders) {
        headers.add(name: "RateLimit-Policy", value: policy(limit: decision.limit))
        headers.add(name: "RateLimit", value: rateLimit(decision))
    }

    /// `head` + `first` + `middle` + `second` in one allocation (this runs on
    /// every request; interpolation costs several). Negative numbers render as 0.
    private static func render(_ head: StaticString, _ first: Int, _ middle: StaticString, _ second: Int) -> String {
        String(unsafeUninitializedCapacity: head.utf8CodeUnitCount + middle.utf8CodeUnitCount + 40) { out in
            var writer = ASCIIWriter(out: out)
            writer.append(head)
            writer.append(first)
            writer.append(middle)
            writer.append(second)
            return writer.count
        }
    }
}

/// Appends ASCII into a buffer the caller sized; no captures, so no dynamic
/// exclusivity checks on the hot path.
private struct ASCIIWriter {
    let out: UnsafeMutableBufferPointer<UInt8>
    var count = 0

    mutating func append(_ text: StaticString) {
        let bytes = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        for byte in bytes {
            out[count] = byte
            count += 1
        }
    }

    mutating func append(_ value: Int) {
        var v = UInt64(max(value, 0))
        var digits: (UInt64, Int) = (0, 0)  // reversed digits packed 4 bits each, and their number
        repeat {
            digits.0 = digits.0 << 4 | (v % 10)
            digits.1 += 1
            v /= 10
        } while v > 0 && digits.1 < 16
        if v > 0 { append(Int(v)) }  // more than 16 digits: the leading ones first
        for _ in 0..<digits.1 {
            out[count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: digits.0 & 0xF)
            digits.0 >>= 4
            count += 1
        }
    }
}
