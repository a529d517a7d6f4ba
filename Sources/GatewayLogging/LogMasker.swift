/// The masking rules of the access and debug logs, applied per field by the
/// record encoders (never by call sites, never over finished lines).
///
/// - `maskTarget`: the request target; the path goes through the text rules
///   (so `/customers/ann@example.com` and `;jsessionid=…` are masked), the
///   query through the form rules (secret parameters → `[redacted]`, other
///   values PII-masked).
/// - `maskHeaderValue`: `Authorization`, `Proxy-Authorization`, `Cookie`,
///   `Set-Cookie` and every header whose name `SecretKeys` names
///   (`X-Api-Key`, `X-Auth-Token`, …) → `[redacted]`; other values through the
///   text rules.
/// - `maskBody`: see `BodyMasker` (content sniffing, binary and truncation rules).
///
/// Default: `SecretKeys.standard`. Pure and `Sendable`; share one instance.
public struct LogMasker: Sendable {
    public let secretKeys: SecretKeys
    let text: TextMasker

    public init(secretKeys: SecretKeys = .standard) {
        self.secretKeys = secretKeys
        self.text = TextMasker(pii: PIIMasker(), keys: secretKeys)
    }

    /// Free text with secrets and PII masked.
    public func maskText(_ value: String) -> String { text.mask(value) }

    /// A header value as it may appear in a log.
    public func maskHeaderValue(name: String, value: String) -> String {
        secretKeys.isSecret(name) ? "[redacted]" : text.mask(value)
    }

    /// A request target (`/path?query`) as it may appear in a log; the same
    /// string when nothing needed masking.
    public func maskTarget(_ target: String) -> String {
        withUTF8Bytes(target) { buf in
            var out: [UInt8] = []
            return appendMaskedTarget(buf, to: &out) ? String(decoding: out, as: UTF8.self) : target
        }
    }

    /// Appends the masked target to `out`; returns whether masking changed it.
    /// Unchanged targets are appended byte for byte.
    @discardableResult
    func appendMaskedTarget(_ buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let found = targetReplacements(buf)
        TextMasker.render(buf, found, to: &out)
        return !found.isEmpty
    }

    /// What masking replaces in a target, in offsets of `buf`: the path is
    /// judged percent-decoded (`+` stays a plus), the query as form data.
    func targetReplacements(_ buf: UnsafeBufferPointer<UInt8>) -> [TextMasker.Replacement] {
        let q = buf.firstIndex(of: UInt8(ascii: "?")) ?? buf.count
        var found: [TextMasker.Replacement] = []
        FormMasker.componentReplacements(UnsafeBufferPointer(rebasing: buf[..<q]), offset: 0, plusIsSpace: false,
                                         text: text, into: &found)
        if q < buf.count {
            for var r in FormMasker(text: text).replacements(in: UnsafeBufferPointer(rebasing: buf[(q + 1)...])) {
                r.start += q + 1
                r.end += q + 1
                found.append(r)
            }
        }
        return found
    }

    /// Appends the masked target, JSON-escaped, to a line.
    func appendMaskedTarget(_ target: String, escapedTo line: inout LineBuffer) {
        withUTF8Bytes(target) { buf in
            let found = targetReplacements(buf)
            if found.isEmpty {
                line.appendEscaped(buf)
            } else {
                var masked: [UInt8] = []
                TextMasker.render(buf, found, to: &masked)
                masked.withUnsafeBufferPointer { line.appendEscaped($0) }
            }
        }
    }

    /// A captured body as it may appear in a log (valid UTF-8).
    ///
    /// - Parameters:
    ///   - contentType: the declared `Content-Type`, a hint only.
    ///   - contentEncoding: the declared `Content-Encoding`; encoded bodies are not logged.
    ///   - truncated: whether capture stopped at the cap (the cut token is dropped).
    public func maskBody(_ body: [UInt8], contentType: String?, contentEncoding: String? = nil,
                         truncated: Bool = false) -> String {
        String(decoding: maskedBodyBytes(body, contentType: contentType, contentEncoding: contentEncoding,
                                         truncated: truncated), as: UTF8.self)
    }

    func maskedBodyBytes(_ body: [UInt8], contentType: String?, contentEncoding: String?, truncated: Bool) -> [UInt8] {
        body.withUnsafeBufferPointer {
            BodyMasker(text: text).mask($0, contentType: contentType, contentEncoding: contentEncoding,
                                        truncated: truncated)
        }
    }
}
