/// `RevocationFeed` on SQLite, plus the helpers other repositories use to feed it.
package struct SQLiteRevocationFeed: RevocationFeed {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = "seq, kind, subject, expires_at, revoked_at, reason"

    static func record(_ row: SQLiteRow) -> RevocationEntry {
        RevocationEntry(seq: row.int64(0), kind: RevocationKind(rawValue: row.string(1)) ?? .token,
                        subject: row.string(2), expiresAt: row.optionalTimestamp(3), revokedAt: row.timestamp(4),
                        reason: row.optionalString(5))
    }

    /// Appends a feed row inside the caller's write transaction.
    @discardableResult
    static func insert(_ db: SQLiteConnection, kind: RevocationKind, subject: String, expiresAt: Timestamp?,
                       reason: String?, at now: Timestamp) throws -> RevocationEntry {
        try db.run("INSERT INTO revocations (kind, subject, expires_at, revoked_at, reason) VALUES (?, ?, ?, ?, ?)",
                   kind.rawValue, subject, expiresAt, now, reason)
        return RevocationEntry(seq: db.lastInsertRowID, kind: kind, subject: subject, expiresAt: expiresAt,
                               revokedAt: now, reason: reason)
    }

    /// Revokes an access token unless it already is; returns the new row, or `nil`.
    @discardableResult
    static func insertTokenIfNew(_ db: SQLiteConnection, jti: String, expiresAt: Timestamp, reason: String?,
                                 at now: Timestamp) throws -> RevocationEntry? {
        let known = try db.queryOne("SELECT 1 FROM revocations WHERE kind = 'token' AND subject = ?", jti) { _ in true }
        if known != nil { return nil }
        return try insert(db, kind: .token, subject: jti, expiresAt: expiresAt, reason: reason, at: now)
    }

    /// Revokes every refresh token of `familyID` and the unexpired access tokens issued with
    /// them, and records the family on the feed (once).
    static func revokeFamily(_ db: SQLiteConnection, familyID: String, reason: String, at now: Timestamp) throws {
        try db.run("UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ? AND revoked = 0", familyID)
        let live = try db.query("""
            SELECT access_jti, access_expires_at FROM refresh_tokens
            WHERE family_id = ? AND access_jti IS NOT NULL AND access_expires_at > ?
            """, familyID, now) { (jti: $0.string(0), expiresAt: $0.timestamp(1)) }
        for token in live {
            try insertTokenIfNew(db, jti: token.jti, expiresAt: token.expiresAt, reason: reason, at: now)
        }
        let known = try db.queryOne("SELECT 1 FROM revocations WHERE kind = 'token_family' AND subject = ?",
                                    familyID) { _ in true }
        if known == nil {
            try insert(db, kind: .tokenFamily, subject: familyID, expiresAt: nil, reason: reason, at: now)
        }
    }

    package func entries(after cursor: Int64, limit: Int) throws -> [RevocationEntry] {
        try database.withConnection { db in
            try db.query("SELECT \(Self.columns) FROM revocations WHERE seq > ? ORDER BY seq LIMIT ?",
                         cursor, limit, map: Self.record)
        }
    }

    package func snapshot() throws -> RevocationSnapshot {
        let now = writer.clock.now()
        return try database.read { db in
            let cursor = try db.queryOne("SELECT COALESCE(MAX(seq), 0) FROM revocations") { $0.int64(0) } ?? 0
            let clients = try db.query("SELECT client_id FROM clients WHERE status = 'REVOKED'") { $0.string(0) }
            let tokens = try db.query("""
                SELECT subject, MAX(expires_at) FROM revocations
                WHERE kind = 'token' AND expires_at > ? GROUP BY subject
                """, now) { (jti: $0.string(0), expiresAt: $0.timestamp(1)) }
            let users = try db.query("SELECT id FROM users WHERE status = 'DISABLED'") { $0.string(0) }
            return RevocationSnapshot(
                cursor: cursor, clientIDs: Set(clients),
                tokenJTIs: Dictionary(tokens.map { ($0.jti, $0.expiresAt) }, uniquingKeysWith: max),
                disabledUserIDs: Set(users))
        }
    }

    @discardableResult
    package func revokeToken(jti: String, clientID: String?, expiresAt: Timestamp, reason: String,
                             audit: AuditContext) throws -> RevocationEntry? {
        guard !jti.isEmpty else { throw StoreError.invalidArgument("jti must not be empty") }
        return try database.write { db in
            let now = writer.clock.now()
            guard let entry = try Self.insertTokenIfNew(db, jti: jti, expiresAt: expiresAt, reason: reason, at: now)
            else { return nil }
            let orgID = try clientID.flatMap { id in
                try db.queryOne("SELECT org_id FROM clients WHERE client_id = ?", id) { $0.string(0) }
            }
            try writer.append(audit.event(.tokenRevoked, clientID: clientID, orgID: orgID, reason: reason,
                                          data: ["jti": jti, "token_type": "access_token"]), on: db)
            return entry
        }
    }

    package func isTokenRevoked(jti: String) throws -> Bool {
        try database.withConnection { db in
            try db.queryOne("SELECT 1 FROM revocations WHERE kind = 'token' AND subject = ?", jti) { _ in true } ?? false
        }
    }
}
