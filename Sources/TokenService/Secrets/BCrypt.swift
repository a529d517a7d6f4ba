import CCrypt
import Glibc

/// bcrypt (`$2b$`) hashing of client secrets and user passwords through libxcrypt's
/// reentrant API (`crypt_gensalt_rn` + `crypt_rn` with a fresh `struct crypt_data` per
/// call), so it is safe from any number of threads at once.
///
/// Defaults and limits: cost 12 (≈ 230 ms per hash on one core); costs below 10 are
/// refused (policy floor), above 31 are impossible. bcrypt reads at most 72 bytes of the
/// secret, so longer secrets are refused rather than silently truncated, as are secrets
/// with a NUL byte. Verification accepts only `$2b$` hashes of cost ≥ 10 (algorithm
/// allow-list: no `$1$`, `$5$`, `$6$`, DES or `$2a$`/`$2y$` downgrades) and compares in
/// constant time. Slow by design: run it on a worker thread, never on an event loop, and
/// never inside a store transaction.
public struct BCrypt: Sendable {
    public static let minimumCost = 10
    public static let defaultCost = 12
    public static let maximumCost = 31
    /// The longest secret bcrypt takes into account, in UTF-8 bytes.
    public static let maximumSecretBytes = 72

    public let cost: Int

    /// A hasher with the given cost (work factor 2^cost). Throws `BCryptError.costOutOfRange`.
    public init(cost: Int = BCrypt.defaultCost) throws {
        guard (Self.minimumCost...Self.maximumCost).contains(cost) else {
            throw BCryptError.costOutOfRange(cost)
        }
        self.cost = cost
    }

    /// A new `$2b$` hash of `secret` with a fresh random salt from the OS.
    public func hash(_ secret: String) throws -> String {
        try Self.checkSecret(secret)
        var setting = [CChar](repeating: 0, count: Int(ccrypt_gensalt_output_size()))
        let settingCount = Int32(setting.count)
        guard crypt_gensalt_rn("$2b$", UInt(cost), nil, 0, &setting, settingCount) != nil else {
            throw BCryptError.failure("crypt_gensalt_rn: \(String(cString: strerror(errno)))")
        }
        guard let hash = Self.crypt(secret, setting: setting), hash.hasPrefix("$2b$") else {
            throw BCryptError.failure("crypt_rn refused the generated $2b$ setting")
        }
        return hash
    }

    /// `true` when `secret` matches `hash`, a `$2b$` hash of cost ≥ 10. Constant-time in the
    /// comparison; `false` for any malformed or disallowed hash.
    public static func verify(_ secret: String, against hash: String) -> Bool {
        guard (try? checkSecret(secret)) != nil, let cost = cost(of: hash), cost >= minimumCost else { return false }
        guard let computed = crypt(secret, setting: Array(hash.utf8CString)) else { return false }
        return ConstantTime.equals(Array(computed.utf8), Array(hash.utf8))
    }

    /// The cost of a well-formed `$2b$` hash (`$2b$NN$` + 53 characters), else `nil`.
    /// Useful to rehash on login when the configured cost has grown.
    public static func cost(of hash: String) -> Int? {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, hash.hasPrefix("$2b$"), bytes[6] == UInt8(ascii: "$") else { return nil }
        let digits = bytes[4...5]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let cost = Int(digits[4] - 0x30) * 10 + Int(digits[5] - 0x30)
        return (4...maximumCost).contains(cost) ? cost : nil
    }

    private static func checkSecret(_ secret: String) throws {
        let count = secret.utf8.count
        guard count <= maximumSecretBytes else { throw BCryptError.secretTooLong(bytes: count) }
        guard !secret.utf8.contains(0) else { throw BCryptError.secretContainsNUL }
    }

    /// One `crypt_rn` call with its own zeroed `struct crypt_data`, wiped afterwards.
    private static func crypt(_ secret: String, setting: [CChar]) -> String? {
        let size = Int(ccrypt_data_size())
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        memset(data, 0, size)
        defer {
            memset(data, 0, size)
            data.deallocate()
        }
        guard let output = crypt_rn(secret, setting, data, Int32(size)) else { return nil }
        guard output.pointee != CChar(UInt8(ascii: "*")) else { return nil }
        return String(cString: output)
    }
}

/// Why `BCrypt` refused to hash.
public enum BCryptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cost is outside 10…31.
    case costOutOfRange(Int)
    /// The secret is longer than 72 UTF-8 bytes, which bcrypt would silently truncate.
    case secretTooLong(bytes: Int)
    /// The secret contains a NUL byte, which the C API would truncate at.
    case secretContainsNUL
    /// libxcrypt failed (no randomness, unsupported method).
    case failure(String)

    public var description: String {
        switch self {
        case .costOutOfRange(let cost):
            return "bcrypt cost \(cost) is out of range; use \(BCrypt.minimumCost)…\(BCrypt.maximumCost) (default \(BCrypt.defaultCost))"
        case .secretTooLong(let bytes):
            return "the secret is \(bytes) bytes; bcrypt uses at most \(BCrypt.maximumSecretBytes): choose a shorter one"
        case .secretContainsNUL:
            return "the secret contains a NUL byte; remove it"
        case .failure(let message):
            return "bcrypt failed: \(message)"
        }
    }
}
