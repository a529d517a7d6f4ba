import COpenSSL

/// One-shot SHA-256 through OpenSSL's EVP interface, for PKCE challenges, stored hashes
/// of authorization codes and session ids, and the stylesheet hash in the pages' CSP.
/// Not for passwords or client secrets (those are bcrypt).
public enum SHA256Hash {
    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, copenssl_sha256(), nil)
            }
        }
        guard ok == 1, length == 32 else { fatalError("OpenSSL could not compute SHA-256; refusing to continue") }
        return out
    }

    /// The digest of `text`'s UTF-8 bytes.
    public static func digest(_ text: String) -> [UInt8] {
        digest(Array(text.utf8))
    }

    /// Lowercase hex of the digest of `text` (how codes and session ids are keyed).
    public static func hex(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest(text) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
