/// Appends audit rows inside the caller's open transaction, computing seq, ts and the
/// chain hash. The single place that inserts into `audit_events`.
///
/// Invariant: called only inside a write transaction (`BEGIN IMMEDIATE`), so reading the
/// last row and inserting the next cannot interleave with another writer.
package struct SQLiteAuditWriter: Sendable {
    package let hasher: any AuditHashing
    package let clock: StoreClock

    package init(hasher: any AuditHashing, clock: StoreClock) {
        self.hasher = hasher
        self.clock = clock
    }

    /// Appends `event` as the next row of the chain.
    @discardableResult
    package func append(_ event: AuditEvent, on db: SQLiteConnection) throws -> AuditRecord {
        try db.transaction(.immediate) { db in
            let last = try db.queryOne("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1") {
                (seq: $0.int64(0), hash: $0.string(1))
            }
            var record = AuditRecord(
                seq: (last?.seq ?? 0) + 1, ts: clock.now(), type: event.type.rawValue, actor: event.actor,
                clientID: event.clientID, orgID: event.orgID, reason: event.reason, requestID: event.requestID,
                data: StoreJSON.object(event.data), prevHash: last?.hash ?? AuditRecord.genesisHash, hash: "")
            record.hash = hasher.chainHash(of: record)
            try db.run("""
                INSERT INTO audit_events (seq, ts, type, actor, client_id, org_id, reason, request_id, data, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, record.seq, record.ts, record.type, record.actor, record.clientID, record.orgID,
                record.reason, record.requestID, record.data, record.prevHash, record.hash)
            return record
        }
    }
}
