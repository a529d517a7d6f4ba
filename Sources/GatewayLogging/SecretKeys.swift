/// Which field, parameter and header names carry secrets whose values are
/// always replaced by `[redacted]`, in JSON objects (any depth), form bodies,
/// query strings, headers and `key=value` / `"key": "value"` / `<key>` text.
///
/// Names are compared case-insensitively after dropping `-`, `_`, `.` and
/// spaces (`Client-Secret`, `client_secret` and `clientSecret` are one name),
/// and after an XML namespace prefix (`ns:password`).
///
/// - Exact names: `code`, `code_verifier`, `code_challenge` (a `plain` PKCE
///   challenge *is* the verifier), `pin`, `cvv`, `cvc`, `cvv2`, `otp`, `auth`,
///   `sid`, the bank-detail names `sort_code`, `bank_account`,
///   `bank_account_number`, plus any `extra` names given at construction.
/// - Any name *containing* `password`, `passwd`, `passphrase`, `secret`,
///   `token`, `apikey`, `authorization`, `cookie`, `privatekey`, `credential`
///   or `sessionid` (so `access_token`, `refresh_token`, `id_token`,
///   `client_secret`, `api_key`, `X-Api-Key`, `Set-Cookie`,
///   `Proxy-Authorization` all match) — unless the name ends with a suffix that
///   names metadata about a secret rather than the secret (`token_type`,
///   `token_type_hint`, `token_endpoint`, `…_uri`, `…_url`, `…_supported`,
///   `…_expires_in`, `…_expires_at`, `…_ttl`, `…_count`, `…_method`).
/// - Names longer than 256 bytes count as secret (mask harder).
///
/// `currency_code`, `country_code`, `error_code` stay legible: `code` is exact.
public struct SecretKeys: Sendable {
    /// The built-in rules with no extra names.
    public static let standard = SecretKeys()

    static let stems: [[UInt8]] = ["password", "passwd", "passphrase", "secret", "token", "apikey", "authorization",
                                   "cookie", "privatekey", "credential", "sessionid"].map { Array($0.utf8) }
    static let metadataSuffixes: [[UInt8]] = ["type", "typehint", "endpoint", "uri", "url", "supported", "expiresin",
                                              "expiresat", "ttl", "count", "method"].map { Array($0.utf8) }

    private let extra: [[UInt8]]

    /// - Parameter extra: more exact names to treat as secret (normalised the same way).
    public init(extra: [String] = []) {
        self.extra = extra.map { name in withUTF8Bytes(name) { Self.normalized($0) ?? Array($0) } }
    }

    /// Whether values under `name` must be redacted.
    public func isSecret(_ name: some StringProtocol) -> Bool {
        var s = String(name)
        return s.withUTF8 { isSecret($0) }
    }

    /// Header fields whose whole value is a credential or a cookie jar
    /// (their text runs to the end of the line).
    public func isCredentialHeader(_ name: some StringProtocol) -> Bool {
        var s = String(name)
        return s.withUTF8 { buf in
            withNormalized(buf) { key in
                guard let key else { return true }
                return Self.contains(key, Self.stems[6]) || Self.contains(key, Self.stems[7])
            }
        }
    }

    func isSecret(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        withNormalized(name) { key in
            guard let key else { return true }
            if key.isEmpty { return false }
            if Self.isExactName(key) { return true }
            for exact in extra where key.elementsEqual(exact) { return true }
            guard Self.containsStem(key) else { return false }
            for suffix in Self.metadataSuffixes
            where key.count > suffix.count && key[(key.count - suffix.count)...].elementsEqual(suffix) {
                return false
            }
            return true
        }
    }

    /// `code`, `codeverifier`, `codechallenge`, `pin`, `cvv`, `cvc`, `cvv2`, `otp`, `auth`, `sid`,
    /// `sortcode`, `bankaccount`, `bankaccountnumber`.
    static func isExactName(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        switch key.count {
        case 3: return equals(key, "pin") || equals(key, "cvv") || equals(key, "cvc") || equals(key, "otp")
            || equals(key, "sid")
        case 4: return equals(key, "code") || equals(key, "cvv2") || equals(key, "auth")
        case 8: return equals(key, "sortcode")
        case 11: return equals(key, "bankaccount")
        case 12: return equals(key, "codeverifier")
        case 13: return equals(key, "codechallenge")
        case 17: return equals(key, "bankaccountnumber")
        default: return false
        }
    }

    @inline(__always)
    static func equals(_ key: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        key.count == word.utf8CodeUnitCount && matches(key, at: 0, word)
    }

    @inline(__always)
    static func matches(_ key: UnsafeBufferPointer<UInt8>, at i: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= key.count else { return false }
        let w = word.utf8Start
        for k in 0..<n where key[i + k] != w[k] { return false }
        return true
    }

    /// Calls `body` with the name lower-cased, without `-`, `_`, `.`, spaces
    /// and any `prefix:`, in stack storage; with nil when longer than 256 bytes.
    private func withNormalized<R>(_ name: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard name.count <= 256 else { return body(nil) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { storage in
            var start = 0
            if let colon = name.lastIndex(of: UInt8(ascii: ":")) { start = colon + 1 }
            var count = 0
            for b in name[start...] where b != 0x2D && b != 0x5F && b != 0x2E && b != 0x20 {
                storage.initializeElement(at: count, to: ByteClass.lower(b))
                count += 1
            }
            return body(UnsafeBufferPointer(rebasing: storage[..<count]))
        }
    }

    /// Normalised form of a configured name (same rules as `withNormalized`).
    static func normalized(_ name: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        SecretKeys(normalizedExtra: []).withNormalized(name) { $0.map(Array.init) }
    }

    private init(normalizedExtra: [[UInt8]]) { extra = normalizedExtra }

    /// Whether `key` contains one of `stems`: one pass, comparing only at
    /// bytes that start a stem (`p`, `s`, `t`, `a`, `c`).
    static func containsStem(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < key.count {
            switch key[i] {
            case UInt8(ascii: "p"):
                if matches(key, at: i, "passw") || matches(key, at: i, "passphrase") || matches(key, at: i, "privatekey") {
                    return true
                }
            case UInt8(ascii: "s"):
                if matches(key, at: i, "secret") || matches(key, at: i, "sessionid") { return true }
            case UInt8(ascii: "t"):
                if matches(key, at: i, "token") { return true }
            case UInt8(ascii: "a"):
                if matches(key, at: i, "apikey") || matches(key, at: i, "authorization") { return true }
            case UInt8(ascii: "c"):
                if matches(key, at: i, "cookie") || matches(key, at: i, "credential") { return true }
            default:
                break
            }
            i += 1
        }
        return false
    }

    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == first {
                var k = 1
                while k < needle.count, haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

