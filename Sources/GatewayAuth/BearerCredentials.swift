import GatewayHTTP

/// What a request offers as OAuth 2.0 bearer credentials (RFC 6750 §2), found
/// in the one place that reads them: `BearerCredentials(head:)`.
///
/// Only the `Authorization` header is a source. A token in the query string
/// (`access_token=`, RFC 6750 §2.3) is reported so it can be refused, never used;
/// form-body tokens (§2.2) are not read at all.
public enum BearerCredentials: Equatable, Sendable {
    /// No `Authorization` header, or one with another scheme (`Basic`, ...):
    /// the caller did not try bearer authentication.
    case none
    /// `Authorization: Bearer <token>`: the token, still unverified.
    case token(Substring)
    /// `Bearer` with no token, or with more than one word after it.
    case malformed
    /// More than one `Authorization` header.
    case multipleHeaders
    /// An `access_token` parameter in the query string.
    case tokenInQuery

    /// Reads the credentials of `head`.
    public init(head: HTTPRequestHead) {
        if let query = head.query, Self.hasAccessTokenParameter(query) {
            self = .tokenInQuery
            return
        }
        var found: String?
        for field in head.headers where field.name.equalsIgnoringASCIICase("Authorization") {
            guard found == nil else {
                self = .multipleHeaders
                return
            }
            found = field.value
        }
        guard let value = found else {
            self = .none
            return
        }
        self = Self.parse(authorization: value)
    }

    /// Parses one `Authorization` value: `Bearer` (any case), one or more spaces,
    /// then the token (RFC 6750 §2.1 `b64token`); surrounding blanks are ignored.
    public static func parse(authorization value: String) -> BearerCredentials {
        let trimmed = value.trimmingASCIIWhitespace()
        let utf8 = trimmed.utf8
        let schemeEnd = utf8.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } ?? utf8.endIndex
        guard trimmed[..<schemeEnd].equalsIgnoringASCIICase("Bearer") else { return .none }
        let token = trimmed[schemeEnd...].trimmingASCIIWhitespace()
        guard !token.isEmpty, !token.utf8.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else {
            return .malformed
        }
        return .token(token)
    }

    /// Whether `query` has a parameter named `access_token` (percent-decoded name).
    static func hasAccessTokenParameter(_ query: Substring) -> Bool {
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name = pair.prefix { $0 != UInt8(ascii: "=") }
            if name.elementsEqual("access_token".utf8) { return true }
            if name.contains(UInt8(ascii: "%")), percentDecoded(name).elementsEqual("access_token".utf8) { return true }
        }
        return false
    }

    private static func percentDecoded(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { out.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                  let h = hexValue(high), let l = hexValue(low) else { return out }
            out.append(h << 4 | l)
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 0x30
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 0x57
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 0x37
        default: nil
        }
    }
}
