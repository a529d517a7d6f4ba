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
    /// `Bearer` with no token after it.
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

    /// Parses one `Authorization` value: `Bearer` (any case), one or more spaces
    /// or tabs, then the token; surrounding blanks are ignored. The token's syntax
    /// is not checked here: the verifier refuses anything that is not a compact JWS.
    public static func parse(authorization value: String) -> BearerCredentials {
        var value = value
        value.makeContiguousUTF8()  // a no-op for native strings; the scan below reads bytes
        let utf8 = value.utf8
        let bounds = utf8.withContiguousStorageIfAvailable { tokenBounds(UnsafeRawBufferPointer($0)) } ?? nil
        guard let bounds else { return .none }
        guard let (start, end) = bounds else { return .malformed }
        let lower = utf8.index(utf8.startIndex, offsetBy: start), upper = utf8.index(utf8.startIndex, offsetBy: end)
        return .token(value[lower..<upper])
    }

    /// nil: not the Bearer scheme; .some(nil): Bearer without a token;
    /// otherwise the token's byte range.
    private static func tokenBounds(_ bytes: UnsafeRawBufferPointer) -> (Int, Int)?? {
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var i = 0, end = bytes.count
        while i < end, isBlank(bytes[i]) { i += 1 }
        while end > i, isBlank(bytes[end - 1]) { end -= 1 }
        let scheme: StaticString = "bearer"
        guard end - i >= scheme.utf8CodeUnitCount else { return nil }
        for k in 0..<scheme.utf8CodeUnitCount where bytes[i + k] | 0x20 != scheme.utf8Start[k] { return nil }
        i += scheme.utf8CodeUnitCount
        guard i == end || isBlank(bytes[i]) else { return nil }  // "Bearerx" is another scheme
        while i < end, isBlank(bytes[i]) { i += 1 }
        guard i < end else { return .some(nil) }
        return .some((i, end))
    }

    /// Whether `query` has a parameter named `access_token` (percent-decoded name).
    static func hasAccessTokenParameter(_ query: Substring) -> Bool {
        if let found = query.utf8.withContiguousStorageIfAvailable({ scanQuery(UnsafeRawBufferPointer($0)) }) {
            return found
        }
        return Array(query.utf8).withUnsafeBytes { scanQuery($0) }
    }

    private static func scanQuery(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let target = "access_token".utf8
        var i = 0
        while i < bytes.count {
            var end = i
            while end < bytes.count, bytes[end] != UInt8(ascii: "&"), bytes[end] != UInt8(ascii: "=") { end += 1 }
            let name = UnsafeRawBufferPointer(rebasing: bytes[i..<end])
            if name.elementsEqual(target) { return true }
            if name.contains(UInt8(ascii: "%")), percentDecoded(name).elementsEqual(target) { return true }
            i = end
            while i < bytes.count, bytes[i] != UInt8(ascii: "&") { i += 1 }
            i += 1
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
