/// A stored authorization code (by hash) from `/oauth/authorize`, waiting to be redeemed once.
///
/// PKCE is mandatory and S256 only: `codeChallenge` is the base64url SHA-256 of the
/// verifier. After redemption `issuedTokenJTIs` and `refreshFamilyID` name what it produced,
/// so a replay can revoke them (RFC 6749 §4.1.2).
public struct AuthorizationCodeRecord: Sendable, Equatable {
    public var codeHash: String
    public var clientID: String
    public var userID: String
    public var redirectURI: String
    public var scopes: [String]
    public var codeChallenge: String
    public var codeChallengeMethod: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var usedAt: Timestamp?
    public var issuedTokenJTIs: [String]
    public var issuedTokensExpireAt: Timestamp?
    public var refreshFamilyID: String?
}

/// What `AuthorizationCodeRepository.insert` needs.
public struct NewAuthorizationCode: Sendable, Equatable {
    public var codeHash: String
    public var clientID: String
    public var userID: String
    public var redirectURI: String
    public var scopes: [String]
    public var codeChallenge: String
    public var expiresAt: Timestamp

    public init(codeHash: String, clientID: String, userID: String, redirectURI: String,
                scopes: [String], codeChallenge: String, expiresAt: Timestamp) {
        self.codeHash = codeHash
        self.clientID = clientID
        self.userID = userID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.expiresAt = expiresAt
    }
}
