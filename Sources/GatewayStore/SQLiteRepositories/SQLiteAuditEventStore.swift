/// `AuditEventStore` on SQLite: the audit rows plus the rate-limit counter side table.
package struct SQLiteAuditEventStore: AuditEventStore {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = """
        e.seq, e.ts, e.type, e.actor, e.client_id, e.org_id, e.reason, e.request_id, e.data, e.prev_hash, e.hash, c.count
        """

    static func record(_ row: SQLiteRow) -> AuditRecord {
        AuditRecord(seq: row.int64(0), ts: row.timestamp(1), type: row.string(2), actor: row.string(3),
                    clientID: row.optionalString(4), orgID: row.optionalString(5), reason: row.optionalString(6),
                    requestID: row.optionalString(7), data: row.string(8), prevHash: row.string(9),
                    hash: row.string(10), coalescedCount: row.optionalInt(11))
    }

    @discardableResult
    package func append(_ event: AuditEvent) throws -> AuditRecord {
        try database.write { try writer.append(event, on: $0) }
    }

    package func events(after cursor: Int64, limit: Int) throws -> [AuditRecord] {
        try database.read { db in
            try db.query("""
                SELECT \(Self.columns) FROM audit_events e LEFT JOIN audit_counters c ON c.event_seq = e.seq
                WHERE e.seq > ? ORDER BY e.seq LIMIT ?
                """, cursor, limit, map: Self.record)
        }
    }

    package func head() throws -> AuditRecord? {
        try database.read { db in
            try db.queryOne("""
                SELECT \(Self.columns) FROM audit_events e LEFT JOIN audit_counters c ON c.event_seq = e.seq
                ORDER BY e.seq DESC LIMIT 1
                """, map: Self.record)
        }
    }

    @discardableResult
    package func recordRateLimitRefusals(clientID: String, orgID: String?, windowStart: Timestamp,
                                         windowSeconds: Int, count: Int, requestID: String?) throws -> RateLimitRecording {
        guard count >= 1 else { throw StoreError.invalidArgument("count must be at least 1, got \(count)") }
        return try database.write { db in
            let now = writer.clock.now()
            if let existing = try db.queryOne(
                "SELECT event_seq, count FROM audit_counters WHERE client_id = ? AND window_start = ?",
                clientID, windowStart, map: { (seq: $0.int64(0), count: $0.int(1)) }) {
                try db.run("UPDATE audit_counters SET count = count + ?, updated_at = ? WHERE event_seq = ?",
                           count, now, existing.seq)
                return RateLimitRecording(eventSeq: existing.seq, count: existing.count + count, appendedEvent: false)
            }
            let event = AuditEvent(
                type: .rateLimitExceeded, actor: "gateway", clientID: clientID, orgID: orgID,
                reason: "rate_limited", requestID: requestID,
                data: ["window_start": windowStart.iso8601, "window_seconds": String(windowSeconds)])
            let record = try writer.append(event, on: db)
            try db.run("""
                INSERT INTO audit_counters (event_seq, client_id, window_start, count, updated_at)
                VALUES (?, ?, ?, ?, ?)
                """, record.seq, clientID, windowStart, count, now)
            return RateLimitRecording(eventSeq: record.seq, count: count, appendedEvent: true)
        }
    }
}
