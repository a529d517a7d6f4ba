/// The revocation feed gateways poll, and the operation that revokes one access token.
///
/// A gateway loads `snapshot()` once at start-up, then polls `entries(after:)` with the
/// last `seq` it applied (at least every 500 ms). Client revocations and user disabling
/// feed it through `ClientRepository.revoke` and `UserRepository.disable`.
public protocol RevocationFeed: Sendable {
    /// Rows with `seq > cursor`, in `seq` order, at most `limit`.
    func entries(after cursor: Int64, limit: Int) throws -> [RevocationEntry]
    /// Everything in force now, in one consistent read, with the feed cursor to continue from.
    func snapshot() throws -> RevocationSnapshot
    /// Revokes one access token until `expiresAt` (RFC 7009) and appends `api.token_revoked`.
    /// Returns `nil` (writing nothing) when that jti is already revoked.
    @discardableResult
    func revokeToken(jti: String, clientID: String?, expiresAt: Timestamp, reason: String,
                     audit: AuditContext) throws -> RevocationEntry?
    /// `true` when the jti has been revoked (for introspection).
    func isTokenRevoked(jti: String) throws -> Bool
}
