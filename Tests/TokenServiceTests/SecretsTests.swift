import Foundation
import Synchronization
import Testing
import TokenService

@Suite("BCrypt")
struct BCryptTests {
    @Test("hash produces a $2b$ hash of the chosen cost that verifies only the right secret")
    func hashAndVerify() throws {
        let bcrypt = try BCrypt(cost: 10)
        let hash = try bcrypt.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$2b$10$"))
        #expect(hash.utf8.count == 60)
        #expect(BCrypt.cost(of: hash) == 10)
        #expect(BCrypt.verify("correct horse battery staple", against: hash))
        #expect(!BCrypt.verify("correct horse battery stapler", against: hash))
        #expect(!BCrypt.verify("", against: hash))
    }

    @Test("two hashes of one secret differ (fresh salt) and both verify")
    func salted() throws {
        let bcrypt = try BCrypt(cost: 10)
        let first = try bcrypt.hash("s3cret")
        let second = try bcrypt.hash("s3cret")
        #expect(first != second)
        #expect(BCrypt.verify("s3cret", against: first))
        #expect(BCrypt.verify("s3cret", against: second))
    }

    @Test("the default cost is 12 and costs below 10 or above 31 are refused")
    func costPolicy() throws {
        #expect(try BCrypt().cost == 12)
        #expect(throws: BCryptError.costOutOfRange(9)) { try BCrypt(cost: 9) }
        #expect(throws: BCryptError.costOutOfRange(4)) { try BCrypt(cost: 4) }
        #expect(throws: BCryptError.costOutOfRange(32)) { try BCrypt(cost: 32) }
    }

    @Test("secrets longer than 72 bytes or with NUL are refused, not truncated")
    func secretLimits() throws {
        let bcrypt = try BCrypt(cost: 10)
        let long = String(repeating: "a", count: 73)
        #expect(throws: BCryptError.secretTooLong(bytes: 73)) { try bcrypt.hash(long) }
        #expect(throws: BCryptError.secretContainsNUL) { try bcrypt.hash("a\u{0}b") }
        let exact = String(repeating: "a", count: 72)
        let hash = try bcrypt.hash(exact)
        #expect(BCrypt.verify(exact, against: hash))
        #expect(!BCrypt.verify(long, against: hash))
    }

    @Test("verification refuses other algorithms, low costs and malformed hashes")
    func allowList() throws {
        // A $2b$ hash of "password" at cost 10 with a fixed salt, computed once with crypt(3).
        let known = "$2b$10$N9qo8uLOickgx2ZMRZoMye8fOsiTWZqYtkxvXkKm8BMzjT7t/vIdq"
        #expect(BCrypt.cost(of: known) == 10)
        #expect(BCrypt.verify("password", against: known))
        #expect(!BCrypt.verify("Password", against: known))
        // The same hash under the $2a$ prefix is a valid bcrypt hash, but not on the allow-list.
        let downgraded = "$2a$" + known.dropFirst(4)
        #expect(!BCrypt.verify("password", against: downgraded))
        #expect(!BCrypt.verify("password", against: "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0"))
        #expect(!BCrypt.verify("password", against: "$6$salt$hash"))
        #expect(!BCrypt.verify("password", against: "aaQSqAReePlq6"))  // DES
        #expect(!BCrypt.verify("password", against: ""))
        #expect(!BCrypt.verify("password", against: "*0"))
        let weak = try weakHash()
        #expect(BCrypt.cost(of: weak) == 4)
        #expect(!BCrypt.verify("password", against: weak))
    }

    @Test("hashing is safe from several threads at once")
    func concurrentHashing() throws {
        let bcrypt = try BCrypt(cost: 10)
        let results = Mutex<[Bool]>([])
        runOnThreads(4) { index in
            let secret = "secret-\(index)"
            let hash = try? bcrypt.hash(secret)
            let ok = hash.map { BCrypt.verify(secret, against: $0) && !BCrypt.verify("secret-x", against: $0) } ?? false
            results.withLock { $0.append(ok) }
        }
        #expect(results.withLock { $0 } == [true, true, true, true])
    }

    /// A `$2b$` hash of cost 4 built from a cost-10 one by editing the cost field: well-formed,
    /// but below the policy floor.
    private func weakHash() throws -> String {
        let hash = try BCrypt(cost: 10).hash("password")
        return "$2b$04$" + hash.dropFirst(7)
    }
}

@Suite("Secret generator")
struct SecretGeneratorTests {
    private static let urlSafe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test("secrets are 256 bits as 43 URL-safe characters and never repeat")
    func secrets() {
        var seen = Set<String>()
        for _ in 0..<200 {
            let secret = SecretGenerator.secret()
            #expect(secret.count == 43)
            #expect(secret.allSatisfy { Self.urlSafe.contains($0) })
            seen.insert(secret)
        }
        #expect(seen.count == 200)
    }

    @Test("ids carry their prefix, are URL-safe and unique")
    func identifiers() {
        let client = SecretGenerator.clientID()
        #expect(client.hasPrefix("cl_"))
        #expect(client.count == 25)
        #expect(SecretGenerator.userID().hasPrefix("usr_"))
        #expect(SecretGenerator.keyID().count == 4 + 16)
        #expect(SecretGenerator.tokenID().count == 22)
        let ids = (0..<200).map { _ in SecretGenerator.clientID() }
        #expect(Set(ids).count == 200)
        #expect(ids.allSatisfy { $0.allSatisfy { Self.urlSafe.contains($0) } })
    }

    @Test("base64url matches RFC 4648 test vectors without padding")
    func base64URL() {
        let vectors: [(String, String)] = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
                                           ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")]
        for (input, expected) in vectors {
            #expect(SecretGenerator.base64URL(Array(input.utf8)) == expected)
        }
        #expect(SecretGenerator.base64URL([0xFB, 0xFF, 0xBF]) == "-_-_")
    }

    @Test("random bytes are not constant")
    func randomBytes() {
        let bytes = SecretGenerator.randomBytes(64)
        #expect(bytes.count == 64)
        #expect(Set(bytes).count > 8)
        #expect(SecretGenerator.randomBytes(0).isEmpty)
    }
}

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test("equal inputs compare equal; any difference or length mismatch does not")
    func equality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "xbc"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(ConstantTime.equals([UInt8](), []))
    }
}

/// Runs `body` on `count` threads at once and waits for all of them.
private func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            body(index)
            group.leave()
        }.start()
    }
    group.wait()
}
