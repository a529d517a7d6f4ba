/// Helpers for scope lists as the store keeps them: sorted, without duplicates, each a
/// valid RFC 6749 §3.3 scope token, stored space-delimited.
package enum ScopeList {
    /// Validates and normalises `scopes` (sorted, unique). Throws `invalidArgument` naming
    /// the first bad token.
    package static func normalize(_ scopes: [String]) throws -> [String] {
        for scope in scopes where !isValidToken(scope) {
            throw StoreError.invalidArgument("scope \"\(scope)\" is not a valid scope token (RFC 6749 §3.3: printable ASCII, no space, quote or backslash)")
        }
        return Array(Set(scopes)).sorted()
    }

    /// `true` for a non-empty run of %x21 / %x23-5B / %x5D-7E.
    package static func isValidToken(_ scope: String) -> Bool {
        !scope.isEmpty && scope.utf8.allSatisfy { byte in
            byte == 0x21 || (0x23...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
        }
    }

    package static func encode(_ scopes: [String]) -> String {
        scopes.joined(separator: " ")
    }

    package static func decode(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }
}
