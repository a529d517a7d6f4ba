/// The Content-Security-Policy source expression that lets a form on an authorization
/// page end in a redirect to a client's `redirect_uri`.
///
/// Browsers check `form-action` against every redirect that follows a form submission,
/// so the consent form (which answers with a 302 to the client) must allow the client's
/// origin. `https://app.example:8443/cb` → `https://app.example:8443`; a private-use
/// scheme such as `com.example.app:/cb` → `com.example.app:`. Anything that cannot be
/// written as a source without risk of injecting policy text (odd characters in the host,
/// userinfo) gives nil: that redirect may then be blocked by the browser, never widened.
public enum FormActionSource {
    public static func of(_ redirectURI: String) -> String? {
        let bytes = Array(redirectURI.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        guard scheme.utf8.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
            || $0 == UInt8(ascii: ".") }), let first = scheme.utf8.first, isAlpha(first) else { return nil }
        guard scheme == "http" || scheme == "https" else { return scheme + ":" }
        let rest = bytes[(colon + 1)...]
        guard rest.starts(with: Array("//".utf8)) else { return nil }
        let authority = rest.dropFirst(2).prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
        guard !authority.isEmpty, authority.allSatisfy({ byte in
            isAlnum(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        }) else { return nil }
        return scheme + "://" + String(decoding: authority, as: UTF8.self).lowercased()
    }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isAlpha(byte) || (0x30...0x39).contains(byte)
    }
}
