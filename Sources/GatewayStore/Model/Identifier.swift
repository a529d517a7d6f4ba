/// The shape of identifiers the store accepts from callers (org ids, client ids, user ids,
/// kids): 1–128 URL-safe characters `A-Z a-z 0-9 - _ . ~` (RFC 3986 unreserved), so they
/// can appear in URLs, headers and command lines without escaping.
package enum Identifier {
    package static func isValid(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x7E
        }
    }

    /// Throws `invalidArgument` naming `what` when `value` is not a valid identifier.
    package static func check(_ value: String, _ what: String) throws {
        guard isValid(value) else {
            throw StoreError.invalidArgument("\(what) \"\(value)\" must be 1–128 characters of A-Z a-z 0-9 - _ . ~")
        }
    }
}
