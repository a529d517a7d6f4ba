/// Refresh tokens (stored by hash) with rotation and reuse detection.
///
/// A family starts when an authorization code is redeemed
/// (`AuthorizationCodeRepository.consume`); each `rotate` consumes one token and issues its
/// successor. All methods block on I/O: call them from a worker thread.
public protocol RefreshTokenRepository: Sendable {
    func get(tokenHash: String) throws -> RefreshTokenRecord?
    /// Starts a new family with `issuing.refreshTokenHash` (required, as is
    /// `refreshExpiresAt`) for a grant other than the authorization code (whose redemption
    /// starts families itself), records the access token issued with it and appends
    /// `api.token_issued`. Throws `.notFound` for an unknown client or user,
    /// `.invalidState` for a revoked client, `.conflict` for a reused hash.
    @discardableResult
    func insert(clientID: String, userID: String?, scopes: [String], issuing: IssuedTokens,
                audit: AuditContext) throws -> RefreshTokenRecord
    /// Consumes the token presented by `clientID` and records `issuing` (a successor
    /// refresh token in the same family, with the same scopes, plus the access token)
    /// and appends `api.token_issued` — all atomically, so of two concurrent calls
    /// exactly one gets `.consumed`. A second use of a consumed token returns `.reused`
    /// after revoking the whole family and its unexpired access tokens and appending
    /// `api.refresh_token_reused`. Expired, revoked, unknown or foreign tokens change nothing.
    func rotate(tokenHash: String, clientID: String, issuing: IssuedTokens,
                audit: AuditContext) throws -> ConsumeOutcome<RefreshTokenRecord>
    /// Revokes the token's family and its unexpired access tokens (RFC 7009) and appends
    /// `api.token_revoked`. Returns `false` when the token is unknown or not `clientID`'s.
    @discardableResult
    func revokeFamily(ofTokenHash tokenHash: String, clientID: String, reason: String,
                      audit: AuditContext) throws -> Bool
}
