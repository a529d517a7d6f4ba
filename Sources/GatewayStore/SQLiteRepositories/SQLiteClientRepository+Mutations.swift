/// The state changes of a client after creation. Each runs in one write transaction with
/// its audit event; a REVOKED client refuses them all (`revoke` reports `alreadyRevoked`).
extension SQLiteClientRepository {
    package func revoke(_ clientID: String, reason: String, audit: AuditContext) throws -> ClientRevocation {
        guard !reason.isEmpty else { throw StoreError.invalidArgument("a revocation needs a reason code") }
        return try database.write { db in
            let client = try Self.fetchRequired(db, clientID: clientID)
            if client.status == .revoked { return .alreadyRevoked(client) }
            let now = writer.clock.now()
            try db.run("""
                UPDATE clients SET status = 'REVOKED', revoked_at = ?, revoked_reason = ?, revoked_by = ?, updated_at = ?
                WHERE client_id = ? AND status = 'ACTIVE'
                """, now, reason, audit.actor, now, clientID)
            try db.run("UPDATE refresh_tokens SET revoked = 1 WHERE client_id = ? AND revoked = 0", clientID)
            try SQLiteRevocationFeed.insert(db, kind: .client, subject: clientID, expiresAt: nil, reason: reason,
                                            at: now)
            try writer.append(audit.event(.clientRevoked, clientID: clientID, orgID: client.orgID, reason: reason),
                              on: db)
            return .revoked(try Self.fetchRequired(db, clientID: clientID))
        }
    }

    package func rotateSecret(_ clientID: String, newSecretHash: String, previousValidUntil: Timestamp?,
                              audit: AuditContext) throws -> ClientRecord {
        guard !newSecretHash.isEmpty else { throw StoreError.invalidArgument("the new secret hash is empty") }
        return try database.write { db in
            let client = try Self.requireModifiable(db, clientID: clientID)
            guard !client.isPublic else {
                throw StoreError.invalidState("client \(clientID) is a public client and has no secret to rotate")
            }
            let now = writer.clock.now()
            let graceUntil = previousValidUntil.flatMap { $0 > now ? $0 : nil }
            try db.run("""
                UPDATE clients SET previous_secret_hash = CASE WHEN ? IS NULL THEN NULL ELSE secret_hash END,
                    previous_secret_expires_at = ?, secret_hash = ?, updated_at = ?
                WHERE client_id = ?
                """, graceUntil, graceUntil, newSecretHash, now, clientID)
            var data: [String: String] = [:]
            if let graceUntil { data["previous_valid_until"] = graceUntil.iso8601 }
            try writer.append(audit.event(.secretRotated, clientID: clientID, orgID: client.orgID, data: data), on: db)
            return try Self.fetchRequired(db, clientID: clientID)
        }
    }

    package func setRateLimit(_ clientID: String, rpm: Int?, audit: AuditContext) throws -> ClientRecord {
        if let rpm, rpm < 1 {
            throw StoreError.invalidArgument("rpm must be a positive number of requests per minute, got \(rpm)")
        }
        return try database.write { db in
            let client = try Self.requireModifiable(db, clientID: clientID)
            try db.run("UPDATE clients SET rpm = ?, updated_at = ? WHERE client_id = ?", rpm, writer.clock.now(), clientID)
            let data = ["field": "rpm", "rpm": rpm.map(String.init) ?? "default"]
            try writer.append(audit.event(.clientUpdated, clientID: clientID, orgID: client.orgID, data: data), on: db)
            return try Self.fetchRequired(db, clientID: clientID)
        }
    }

    package func setDebugLog(_ clientID: String, enabled: Bool, audit: AuditContext) throws -> ClientRecord {
        try database.write { db in
            let client = try Self.requireModifiable(db, clientID: clientID)
            try db.run("UPDATE clients SET debug_log = ?, updated_at = ? WHERE client_id = ?",
                       enabled, writer.clock.now(), clientID)
            let data = ["field": "debug_log", "debug_log": enabled ? "true" : "false"]
            try writer.append(audit.event(.clientUpdated, clientID: clientID, orgID: client.orgID, data: data), on: db)
            return try Self.fetchRequired(db, clientID: clientID)
        }
    }

    /// The client, or `.notFound` / `.invalidState` when it is missing or REVOKED.
    static func requireModifiable(_ db: SQLiteConnection, clientID: String) throws -> ClientRecord {
        let client = try fetchRequired(db, clientID: clientID)
        guard client.status == .active else {
            throw StoreError.invalidState("client \(clientID) is REVOKED; a revoked client cannot be changed")
        }
        return client
    }
}
