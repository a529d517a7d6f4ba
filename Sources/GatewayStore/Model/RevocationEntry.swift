/// What a revocation feed row revokes.
public enum RevocationKind: String, Sendable, Equatable {
    /// Every token of this `client_id`.
    case client
    /// One access token, by `jti`, until its `expiresAt`.
    case token
    /// Every token whose `sub` is this user id.
    case user
    /// A refresh-token family (refresh tokens are checked in the store; informational for gateways).
    case tokenFamily = "token_family"
}

/// One row of the revocation feed. `seq` strictly increases in commit order, so a poller
/// that remembers the last `seq` it applied never misses or repeats a row.
public struct RevocationEntry: Sendable, Equatable {
    public var seq: Int64
    public var kind: RevocationKind
    public var subject: String
    /// For `token` rows: when the token expires anyway (the gateway may forget it then).
    public var expiresAt: Timestamp?
    public var revokedAt: Timestamp
    public var reason: String?

    public init(seq: Int64, kind: RevocationKind, subject: String, expiresAt: Timestamp?, revokedAt: Timestamp,
                reason: String?) {
        self.seq = seq
        self.kind = kind
        self.subject = subject
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.reason = reason
    }
}

/// Everything revoked at one instant, for a gateway starting up; continue polling with
/// `RevocationFeed.entries(after: snapshot.cursor)`.
public struct RevocationSnapshot: Sendable, Equatable {
    /// The highest feed `seq` included.
    public var cursor: Int64
    public var clientIDs: Set<String>
    /// Revoked access tokens that have not expired yet, with their expiry.
    public var tokenJTIs: [String: Timestamp]
    public var disabledUserIDs: Set<String>

    public init(cursor: Int64, clientIDs: Set<String>, tokenJTIs: [String: Timestamp], disabledUserIDs: Set<String>) {
        self.cursor = cursor
        self.clientIDs = clientIDs
        self.tokenJTIs = tokenJTIs
        self.disabledUserIDs = disabledUserIDs
    }
}
