/// The authenticated caller of a proxied request, as the bearer token states it.
public struct Principal: Sendable, Equatable {
    /// The OAuth client (the application).
    public var clientID: String
    /// The organisation the client belongs to.
    public var orgID: String
    /// The user on whose behalf the client acts (authorization-code tokens), or nil.
    public var subject: String?
    /// Scopes the token grants, in token order.
    public var scopes: [String]
    /// The token's `jti`.
    public var tokenID: String
    /// The token's `exp`, seconds since the epoch.
    public var expiresAt: Int64

    public init(clientID: String, orgID: String, subject: String? = nil, scopes: [String],
                tokenID: String, expiresAt: Int64) {
        self.clientID = clientID
        self.orgID = orgID
        self.subject = subject
        self.scopes = scopes
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }
}
