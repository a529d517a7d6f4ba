import COpenSSL

/// Random secrets and identifiers from OpenSSL's CSPRNG (`RAND_bytes`, seeded by the OS),
/// rendered in base64url without padding so they contain only `A-Z a-z 0-9 - _`.
///
/// Formats:
/// - `secret()`: 32 random bytes (256 bits) → 43 characters. Client secrets, refresh
///   tokens, authorization codes.
/// - `clientID()`: `cl_` + 16 random bytes (128 bits) → 25 characters, e.g.
///   `cl_Qk3v9TfA1xZbN0cW7yHs2g`. The prefix makes the id recognisable in logs and keeps
///   it from starting with `-` (which a command line would read as a flag).
/// - `userID()`: `usr_` + 16 random bytes; `keyID()`: `key_` + 12 random bytes;
///   `tokenID()` (JWT `jti`): 16 random bytes, no prefix.
///
/// If the CSPRNG fails the process stops: continuing with predictable secrets is never
/// acceptable, and there is nothing a caller could fix.
public enum SecretGenerator {
    /// `count` bytes from the CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { fatalError("the system's random number generator failed (RAND_bytes); refusing to continue") }
        return bytes
    }

    /// A new 256-bit secret, 43 base64url characters.
    public static func secret() -> String {
        base64URL(randomBytes(32))
    }

    /// A new client id: `cl_` + 22 base64url characters.
    public static func clientID() -> String {
        identifier(prefix: "cl_", byteCount: 16)
    }

    /// A new user id: `usr_` + 22 base64url characters.
    public static func userID() -> String {
        identifier(prefix: "usr_", byteCount: 16)
    }

    /// A new signing key id: `key_` + 16 base64url characters.
    public static func keyID() -> String {
        identifier(prefix: "key_", byteCount: 12)
    }

    /// A new JWT id (`jti`): 22 base64url characters.
    public static func tokenID() -> String {
        base64URL(randomBytes(16))
    }

    /// `prefix` followed by `byteCount` random bytes in base64url.
    public static func identifier(prefix: String, byteCount: Int) -> String {
        prefix + base64URL(randomBytes(byteCount))
    }

    /// RFC 4648 §5 base64url without padding.
    public static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(chunk >> UInt32(shift) & 0x3F)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let chunk = UInt32(bytes[index]) << 16
            for shift in [18, 12] { out.append(alphabet[Int(chunk >> UInt32(shift) & 0x3F)]) }
        } else if rest == 2 {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            for shift in [18, 12, 6] { out.append(alphabet[Int(chunk >> UInt32(shift) & 0x3F)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
