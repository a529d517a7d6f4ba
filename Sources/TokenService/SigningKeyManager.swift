import GatewayAuth
import GatewayStore
import Synchronization

/// The token-signing keys of one process: the current signer, the published JWKS, and
/// the `KeyRing` the gateway's verifier reads.
///
/// The store (`signing_keys`) is the source of truth shared by every process on the same
/// `--data` directory; private keys live in `<data>/keys/<kid>.pem` (0600, directory 0700)
/// and never in the database. `ensureActiveKey` generates the first key (RS256 unless the
/// configuration says ES256); `rotate` adds a new one and retires the old, which stays in
/// the JWKS and the ring until `retired_at` + 900 s + 30 s leeway, when every token it
/// signed has expired. `refresh()` — called at start and by the composition's poll timer —
/// re-reads the store, loads a new active key's file, drops expired keys and updates the
/// ring, so a rotation made by `portcullis keys rotate` or another process takes effect
/// within one poll. Blocking (store and file I/O): call off the event loops. Thread-safe.
public final class SigningKeyManager: Sendable {
    public let keys: any SigningKeyRepository
    public let ring: KeyRing
    public let keyDirectory: String
    public let algorithm: JWSAlgorithm

    private struct Loaded {
        var signer: JWTSigner?
        var verification: [String: VerificationKey] = [:]
        var jwks: [UInt8] = Array(#"{"keys":[]}"#.utf8)
        var warned: Set<String> = []
    }

    private let state = Mutex(Loaded())
    private let refreshing = Mutex<Void>(())

    public init(keys: any SigningKeyRepository, ring: KeyRing, keyDirectory: String, algorithm: JWSAlgorithm = .rs256) {
        self.keys = keys
        self.ring = ring
        self.keyDirectory = keyDirectory
        self.algorithm = algorithm
    }

    /// The signer for new tokens (the active key), once `refresh()` has loaded it.
    public var signer: JWTSigner? {
        state.withLock { $0.signer }
    }

    /// The JWKS document (`{"keys":[…]}`) of every key that may still verify a live token.
    public var jwksJSON: [UInt8] {
        state.withLock { $0.jwks }
    }

    /// Makes sure an active key of the configured algorithm exists — generating the first
    /// one, or rotating when the active key uses another algorithm (the configuration's
    /// `signing_alg` changed) — then loads it. Two processes racing here both succeed;
    /// the later key simply becomes active.
    public func ensureActiveKey(audit: AuditContext = AuditContext(actor: "system")) throws {
        let active = try keys.active()
        if active == nil || active?.algorithm != algorithm.rawValue {
            try rotate(algorithm: algorithm, audit: audit)
        } else {
            try refresh()
        }
    }

    /// Generates a key, writes its private half, makes it the active key (retiring the
    /// previous one, `api.key_rotated`), and loads it. Returns the new key's record.
    @discardableResult
    public func rotate(algorithm: JWSAlgorithm? = nil, audit: AuditContext) throws -> SigningKeyRecord {
        let key = try SigningKey.generate(algorithm ?? self.algorithm)
        let path = try PrivateKeyFile.write(try key.pkcs8PEM(), kid: key.kid, directory: keyDirectory)
        let record = try keys.rotate(
            to: NewSigningKey(kid: key.kid, algorithm: key.algorithm.rawValue, publicJWK: key.publicJWK.json,
                              privateKeyPath: path),
            maxTokenLifetimeSeconds: TokenServiceConfiguration.retiredKeyLifetimeSeconds, audit: audit)
        try refresh()
        return record
    }

    /// Re-reads the keys from the store: publishes the verification keys that may still
    /// verify a live token (ring and JWKS), and switches the signer when the active key
    /// changed. A missing or mismatched private key file keeps the previous signer and
    /// throws once per kid (later polls stay quiet).
    public func refresh() throws {
        try refreshing.withLock { _ in
            let records = try keys.verificationKeys()
            var verification: [String: VerificationKey] = [:]
            var published: [JWK] = []
            let previous = state.withLock { $0.verification }
            for record in records {
                let key: VerificationKey
                if let known = previous[record.kid] {
                    key = known
                } else {
                    do {
                        key = try VerificationKey(jwk: JWK(json: record.publicJWK))
                    } catch {
                        continue  // unusable row: never published
                    }
                }
                verification[record.kid] = key
                published.append(key.jwk)
            }
            let active = records.first { $0.retiredAt == nil }
            var failure: TokenServiceError?
            var newSigner: JWTSigner?
            let current = state.withLock { $0.signer }
            if let active, current?.key.kid != active.kid {
                do throws(TokenServiceError) {
                    newSigner = JWTSigner(key: try loadPrivateKey(active))
                } catch {
                    failure = error
                }
            }
            if Set(previous.keys) != Set(verification.keys) {
                ring.replace(with: Array(verification.values))
            }
            let document = Array(JWKSet(keys: published).json.utf8)
            let report = state.withLock { loaded -> Bool in
                loaded.verification = verification
                loaded.jwks = document
                if let newSigner { loaded.signer = newSigner }
                if let active, failure != nil { return loaded.warned.insert(active.kid).inserted }
                return false
            }
            if let failure, report { throw failure }
        }
    }

    /// The private key of `record`, from its recorded path or `<keyDirectory>/<kid>.pem`.
    private func loadPrivateKey(_ record: SigningKeyRecord) throws(TokenServiceError) -> SigningKey {
        let fallback = PrivateKeyFile.absolute(keyDirectory) + "/" + record.kid + ".pem"
        guard let pem = PrivateKeyFile.read(record.privateKeyPath) ?? PrivateKeyFile.read(fallback) else {
            throw .signingKey("the private key of the active signing key \(record.kid) is not readable at "
                + "\(record.privateKeyPath) or \(fallback); copy it there (mode 0600) or run `portcullis keys rotate`")
        }
        let key: SigningKey
        do throws(JOSEError) {
            key = try SigningKey(pkcs8PEM: pem)
        } catch {
            throw .signingKey("the private key file of signing key \(record.kid) is unusable: \(error.message)")
        }
        guard key.kid == record.kid, key.algorithm.rawValue == record.algorithm else {
            throw .signingKey("the private key file for \(record.kid) holds a different key; restore the right file "
                + "or run `portcullis keys rotate`")
        }
        return key
    }
}
