/// Proof Key for Code Exchange (RFC 7636) as Portcullis requires it: `S256` only.
///
/// - A challenge or verifier is 43–128 characters of the unreserved set
///   `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1, §4.2).
/// - `challenge(for:)` = BASE64URL(SHA-256(ASCII(verifier))) without padding (§4.2).
/// - `verify` compares in constant time.
/// `plain` is never accepted: a challenge equal to its verifier protects nothing once
/// the authorization request leaks (RFC 9700 §2.1.1).
public enum PKCE {
    /// The only method accepted.
    public static let method = "S256"

    /// Whether `value` is 43–128 unreserved characters.
    public static func isWellFormed(_ value: String) -> Bool {
        (43...128).contains(value.utf8.count) && value.utf8.allSatisfy(isUnreserved)
    }

    /// BASE64URL(SHA-256(verifier)).
    public static func challenge(for verifier: String) -> String {
        SecretGenerator.base64URL(SHA256Hash.digest(verifier))
    }

    /// Whether `verifier` is well formed and hashes to `challenge`.
    public static func verify(verifier: String, challenge: String) -> Bool {
        guard isWellFormed(verifier) else { return false }
        return ConstantTime.equals(Self.challenge(for: verifier), challenge)
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "~")
    }
}
