/// A token-signing key's public half and where its private half lives.
///
/// At most one key is active (`retiredAt == nil`); the store enforces it. A retired key
/// stays in the JWKS until `notAfter` = retirement + the longest token lifetime, so every
/// token it signed can still be verified. `algorithm` is `RS256` or `ES256` (allow-list).
public struct SigningKeyRecord: Sendable, Equatable {
    public var kid: String
    public var algorithm: String
    /// The public key as a JWK JSON object (RFC 7517), ready to publish.
    public var publicJWK: String
    /// Path of the PEM private key file (kept outside the database, mode 0600).
    public var privateKeyPath: String
    public var createdAt: Timestamp
    public var retiredAt: Timestamp?
    public var notAfter: Timestamp?

    /// `true` while a token signed with this key may still be live at `now`.
    public func isPublishable(at now: Timestamp) -> Bool {
        notAfter.map { now < $0 } ?? true
    }
}

/// What `SigningKeyRepository.rotate(to:…)` needs.
public struct NewSigningKey: Sendable, Equatable {
    public static let allowedAlgorithms: Set<String> = ["RS256", "ES256"]

    public var kid: String
    public var algorithm: String
    public var publicJWK: String
    public var privateKeyPath: String

    public init(kid: String, algorithm: String, publicJWK: String, privateKeyPath: String) {
        self.kid = kid
        self.algorithm = algorithm
        self.publicJWK = publicJWK
        self.privateKeyPath = privateKeyPath
    }
}
