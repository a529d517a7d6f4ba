/// Authorization codes (stored by hash), redeemable once.
///
/// All methods block on I/O: call them from a worker thread, never from an event loop.
public protocol AuthorizationCodeRepository: Sendable {
    /// Stores a code after consent and appends `api.authorization_granted`.
    /// Throws `.notFound` for an unknown client or user, `.invalidState` for a revoked client.
    func insert(_ code: NewAuthorizationCode, audit: AuditContext) throws -> AuthorizationCodeRecord
    /// Reads a code without consuming it (to check PKCE and `redirect_uri` first).
    func get(codeHash: String) throws -> AuthorizationCodeRecord?
    /// Redeems the code for `clientID`: marks it used, records `issuing` (its refresh
    /// token, if any, starts a new family) and appends `api.token_issued`, atomically —
    /// of two concurrent calls exactly one gets `.consumed`. A second redemption returns
    /// `.reused` after revoking what the first one issued (RFC 6749 §4.1.2) and appending
    /// `api.authorization_code_reused`. Expired, unknown or foreign codes change nothing.
    func consume(codeHash: String, clientID: String, issuing: IssuedTokens,
                 audit: AuditContext) throws -> ConsumeOutcome<AuthorizationCodeRecord>
}
