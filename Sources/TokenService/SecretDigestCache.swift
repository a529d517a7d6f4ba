import COpenSSL
import GatewayStore
import Synchronization

/// Remembers, per client, an HMAC-SHA256 of the secret that last passed bcrypt, so a
/// returning client costs one HMAC instead of one bcrypt (≈ 230 ms at cost 12).
///
/// The HMAC key is 32 random bytes made at start-up and never leaves memory; nothing here
/// is ever written anywhere. Each entry also keeps the client record and its org's scope
/// policy as they were when the secret was checked, so a hit needs no store read.
///
/// Invalidation: `invalidate(clientID:)` (a rotation or revocation seen in this process or
/// on the client-directory feed) drops the entry. Every invalidation bumps `generation`;
/// `insert` takes the generation read *before* the record was fetched and refuses to store
/// when any invalidation happened since, so a bcrypt check racing a revocation can never
/// re-insert a stale entry. Bounded to `capacity` entries (default 100 000); when full an
/// arbitrary entry is evicted. Thread-safe.
public final class SecretDigestCache: Sendable {
    /// What a hit returns: the client as it was when its secret was checked.
    public struct Entry: Sendable, Equatable {
        public var client: ClientRecord
        public var orgPolicy: [String]
        fileprivate var digest: [UInt8]
    }

    public enum Lookup: Sendable, Equatable {
        /// The secret matches the remembered one.
        case hit(Entry)
        /// An entry exists but the secret differs from the remembered one.
        case mismatch(Entry)
        /// Nothing remembered for the client.
        case miss
    }

    public let capacity: Int
    private let key: [UInt8]
    private let state = Mutex<(entries: [String: Entry], generation: UInt64)>(([:], 0))

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
        self.key = SecretGenerator.randomBytes(32)
    }

    /// The invalidation counter; read it before fetching the record you will `insert`.
    public var generation: UInt64 {
        state.withLock { $0.generation }
    }

    public var count: Int {
        state.withLock { $0.entries.count }
    }

    /// Compares `secret` with the remembered one in constant time.
    public func lookup(clientID: String, secret: String) -> Lookup {
        guard let entry = state.withLock({ $0.entries[clientID] }) else { return .miss }
        let digest = Self.hmac(key: key, clientID: clientID, secret: secret)
        return ConstantTime.equals(digest, entry.digest) ? .hit(entry) : .mismatch(entry)
    }

    /// Remembers that `secret` authenticated `client` — unless an invalidation happened
    /// after `generation` was read. Returns whether the entry was stored.
    @discardableResult
    public func insert(client: ClientRecord, orgPolicy: [String], secret: String, generation: UInt64) -> Bool {
        let digest = Self.hmac(key: key, clientID: client.clientID, secret: secret)
        let entry = Entry(client: client, orgPolicy: orgPolicy, digest: digest)
        return state.withLock { state in
            guard state.generation == generation else { return false }
            if state.entries[client.clientID] == nil, state.entries.count >= capacity,
               let victim = state.entries.keys.first {
                state.entries.removeValue(forKey: victim)
            }
            state.entries[client.clientID] = entry
            return true
        }
    }

    /// Forgets the client's secret (rotated, revoked, or changed in any way).
    public func invalidate(clientID: String) {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeValue(forKey: clientID)
        }
    }

    /// Forgets every client.
    public func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    /// HMAC-SHA256(key, clientID ‖ 0x00 ‖ secret).
    static func hmac(key: [UInt8], clientID: String, secret: String) -> [UInt8] {
        var message = Array(clientID.utf8)
        message.append(0)
        message.append(contentsOf: secret.utf8)
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                digest.withUnsafeMutableBytes { out in
                    HMAC(copenssl_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                         messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                         out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) != nil
                }
            }
        }
        precondition(ok && length == 32, "OpenSSL HMAC-SHA256 failed; the crypto library is unusable")
        for index in message.indices { message[index] = 0 }
        return digest
    }
}
