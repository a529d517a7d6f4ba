/// Storage of the hash-chained audit log. `GatewayAudit.AuditLog` builds verification and
/// export on top; repositories append through the same store inside their transactions.
///
/// All methods block on I/O: call them from a worker thread, never from an event loop.
public protocol AuditEventStore: Sendable {
    /// Appends `event` in its own transaction (seq, ts, prev_hash and hash are assigned).
    @discardableResult
    func append(_ event: AuditEvent) throws -> AuditRecord
    /// Rows with `seq > cursor`, in `seq` order, at most `limit`, with `coalescedCount`.
    func events(after cursor: Int64, limit: Int) throws -> [AuditRecord]
    /// The last row, or `nil` for an empty log.
    func head() throws -> AuditRecord?
    /// Counts `count` refusals of `clientID` in the window starting at `windowStart`: the
    /// first call for a (client, window) appends one `api.rate_limit_exceeded` event;
    /// later calls only add to its counter in the `audit_counters` side table.
    @discardableResult
    func recordRateLimitRefusals(clientID: String, orgID: String?, windowStart: Timestamp,
                                 windowSeconds: Int, count: Int, requestID: String?) throws -> RateLimitRecording
}
