/// OAuth clients: creation (idempotent per `(org, external_id)`), reads, and the few
/// mutations a client can undergo. Every mutation appends its audit event in its own
/// transaction; a REVOKED client cannot be changed back or modified further.
///
/// All methods block on I/O: call them from a worker thread, never from an event loop.
public protocol ClientRepository: Sendable {
    /// Creates a client, atomically with respect to concurrent calls:
    /// - no `externalID`, or a new one → `.created` (appends `api.client_created`);
    /// - an existing `(orgID, externalID)` with the same `fingerprint` → `.existing`;
    /// - an existing one with a different fingerprint → `.conflict`.
    /// Throws `.notFound` for an unknown org, `.invalidArgument` for a scope outside the
    /// org's policy (→ `invalid_scope`) or malformed input, `.conflict` if `clientID` exists.
    func create(_ client: NewClient, audit: AuditContext) throws -> ClientCreation
    func get(_ clientID: String) throws -> ClientRecord?
    /// The client created with `externalID` in `orgID`, if any.
    func find(orgID: String, externalID: String) throws -> ClientRecord?
    /// Clients of one org (or all when `orgID` is nil), by creation time.
    func list(orgID: String?) throws -> [ClientRecord]
    /// ACTIVE → REVOKED (terminal): records `reason` and `audit.actor` as `revoked_by`, puts
    /// the client on the revocation feed and appends `api.client_revoked`.
    func revoke(_ clientID: String, reason: String, audit: AuditContext) throws -> ClientRevocation
    /// Replaces the secret hash. With `previousValidUntil` the old hash keeps working until
    /// then (grace period); with `nil` it stops at once. Appends `api.secret_rotated`.
    /// Throws `.invalidState` for a revoked or public client.
    func rotateSecret(_ clientID: String, newSecretHash: String, previousValidUntil: Timestamp?,
                      audit: AuditContext) throws -> ClientRecord
    /// Sets the client's requests per minute (`nil` = default). Appends `api.client_updated`.
    func setRateLimit(_ clientID: String, rpm: Int?, audit: AuditContext) throws -> ClientRecord
    /// Turns the masked debug log on or off for the client. Appends `api.client_updated`.
    func setDebugLog(_ clientID: String, enabled: Bool, audit: AuditContext) throws -> ClientRecord
}
