/// Decides which scopes a token carries (RFC 6749 §3.3): requested ⊆ the client's grant
/// ⊆ the org's policy.
///
/// - No `scope` parameter (or only spaces): the client's granted scopes that its org
///   still allows.
/// - Otherwise each space-separated token must be a valid scope token (printable ASCII
///   except space, `"` and `\`), granted to the client, and inside the org policy; the
///   first one that is not answers `invalid_scope` naming it.
/// The result is sorted and free of duplicates. Pure; no I/O.
public enum ScopeResolver {
    public static func resolve(requested: String?, clientScopes: [String],
                               orgPolicy: [String]) -> Result<[String], OAuthError> {
        let policy = Set(orgPolicy)
        guard let requested, let wanted = parse(requested), !wanted.isEmpty else {
            if let requested, parse(requested) == nil {
                return .failure(OAuthError(.invalidScope,
                    "scope must be space-separated scope tokens (printable ASCII without quotes or backslashes)"))
            }
            return .success(Array(Set(clientScopes).intersection(policy)).sorted())
        }
        let granted = Set(clientScopes)
        for scope in wanted {
            guard granted.contains(scope) else {
                return .failure(OAuthError(.invalidScope, "scope \(scope) is not granted to this client"))
            }
            guard policy.contains(scope) else {
                return .failure(OAuthError(.invalidScope, "scope \(scope) is outside the organisation's scope policy"))
            }
        }
        return .success(Array(Set(wanted)).sorted())
    }

    /// The scope tokens of a `scope` parameter, or nil when one is malformed.
    /// Runs of spaces are tolerated; an all-space value is empty.
    public static func parse(_ text: String) -> [String]? {
        var tokens: [String] = []
        for piece in text.utf8.split(separator: UInt8(ascii: " ")) {
            guard piece.allSatisfy(isScopeByte) else { return nil }
            tokens.append(String(decoding: piece, as: UTF8.self))
        }
        return tokens
    }

    /// Whether `scope` is one valid scope token.
    public static func isValidToken(_ scope: String) -> Bool {
        !scope.isEmpty && scope.utf8.allSatisfy(isScopeByte)
    }

    /// %x21 / %x23-5B / %x5D-7E.
    static func isScopeByte(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
    }
}
