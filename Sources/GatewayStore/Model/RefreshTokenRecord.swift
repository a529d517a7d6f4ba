/// A stored refresh token (by hash) and the grant it carries.
///
/// Rotation: each use consumes the token (`usedAt` set once) and issues a successor in the
/// same `familyID` (the family id is the hash of the family's first token). Presenting a
/// consumed token again revokes the whole family and the access tokens issued from it.
public struct RefreshTokenRecord: Sendable, Equatable {
    public var tokenHash: String
    public var familyID: String
    public var clientID: String
    public var userID: String?
    /// The scopes of the original grant; successors keep them.
    public var scopes: [String]
    /// The access token issued together with this refresh token.
    public var accessJTI: String?
    public var accessExpiresAt: Timestamp?
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var usedAt: Timestamp?
    public var revoked: Bool
}

/// The tokens a grant issues, recorded atomically with the consumption that allows them.
///
/// The caller signs the access token (its `jti`, scopes and expiry go here) and generates
/// the refresh token, passing only its hash.
public struct IssuedTokens: Sendable, Equatable {
    /// `authorization_code`, `refresh_token`, … (goes into the audit event).
    public var grantType: String
    public var accessJTI: String
    public var accessExpiresAt: Timestamp
    public var accessScopes: [String]
    public var refreshTokenHash: String?
    public var refreshExpiresAt: Timestamp?

    public init(grantType: String, accessJTI: String, accessExpiresAt: Timestamp, accessScopes: [String],
                refreshTokenHash: String? = nil, refreshExpiresAt: Timestamp? = nil) {
        self.grantType = grantType
        self.accessJTI = accessJTI
        self.accessExpiresAt = accessExpiresAt
        self.accessScopes = accessScopes
        self.refreshTokenHash = refreshTokenHash
        self.refreshExpiresAt = refreshExpiresAt
    }
}

/// The outcome of consuming a single-use credential (authorization code, refresh token).
public enum ConsumeOutcome<Record: Sendable & Equatable>: Sendable, Equatable {
    /// First use: consumed now, the issued tokens recorded.
    case consumed(Record)
    /// Used before: a replay. What was issued from it has been revoked in the same transaction.
    case reused(Record)
    /// Past its expiry; nothing changed.
    case expired(Record)
    /// Revoked earlier (e.g. its family was revoked); nothing changed.
    case revoked(Record)
    /// Issued to a different client than the one presenting it; nothing changed.
    case wrongClient(Record)
    /// No such hash.
    case notFound
}
