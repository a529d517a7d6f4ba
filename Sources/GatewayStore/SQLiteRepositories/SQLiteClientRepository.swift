/// `ClientRepository` on SQLite: creation and reads (mutations in `+Mutations`).
package struct SQLiteClientRepository: ClientRepository {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = """
        client_id, org_id, name, secret_hash, previous_secret_hash, previous_secret_expires_at, scopes, rpm,
        redirect_uris, status, revoked_at, revoked_reason, revoked_by, external_id, debug_log, is_public,
        version, created_at, updated_at
        """

    static func record(_ row: SQLiteRow) -> ClientRecord {
        ClientRecord(
            clientID: row.string(0), orgID: row.string(1), name: row.string(2), secretHash: row.optionalString(3),
            previousSecretHash: row.optionalString(4), previousSecretExpiresAt: row.optionalTimestamp(5),
            scopes: ScopeList.decode(row.string(6)), rpm: row.optionalInt(7),
            redirectURIs: StoreJSON.decodeArray(row.string(8)),
            status: ClientStatus(rawValue: row.string(9)) ?? .revoked, revokedAt: row.optionalTimestamp(10),
            revokedReason: row.optionalString(11), revokedBy: row.optionalString(12),
            externalID: row.optionalString(13), debugLog: row.bool(14), isPublic: row.bool(15),
            version: row.int64(16), createdAt: row.timestamp(17), updatedAt: row.timestamp(18))
    }

    static func fetch(_ db: SQLiteConnection, clientID: String) throws -> ClientRecord? {
        try db.queryOne("SELECT \(columns) FROM clients WHERE client_id = ?", clientID, map: record)
    }

    static func fetchRequired(_ db: SQLiteConnection, clientID: String) throws -> ClientRecord {
        guard let client = try fetch(db, clientID: clientID) else {
            throw StoreError.notFound("no client with id \(clientID)")
        }
        return client
    }

    package func create(_ client: NewClient, audit: AuditContext) throws -> ClientCreation {
        let scopes = try validate(client)
        return try database.write { db in
            guard let org = try SQLiteOrgRepository.fetch(db, id: client.orgID) else {
                throw StoreError.notFound("no org with id \(client.orgID); create it first")
            }
            let outside = scopes.filter { !org.scopePolicy.contains($0) }
            guard outside.isEmpty else { throw StoreError.scopeOutsidePolicy(orgID: org.id, scopes: outside) }
            let fingerprint = client.fingerprint
            if let externalID = client.externalID, let existing = try db.queryOne(
                "SELECT request_fingerprint, \(Self.columns) FROM clients WHERE org_id = ? AND external_id = ?",
                client.orgID, externalID, map: { row in
                    (fingerprint: row.optionalString(0), record: Self.record(SQLiteRow(offsetting: row, by: 1)))
                }) {
                return existing.fingerprint == fingerprint ? .existing(existing.record) : .conflict(existing.record)
            }
            let now = writer.clock.now()
            do {
                try db.run("""
                    INSERT INTO clients (client_id, org_id, name, secret_hash, scopes, rpm, redirect_uris, status,
                        external_id, request_fingerprint, debug_log, is_public, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?)
                    """, client.clientID, client.orgID, client.name, client.secretHash, ScopeList.encode(scopes),
                    client.rpm, StoreJSON.array(client.redirectURIs), client.externalID, fingerprint,
                    client.debugLog, client.isPublic, now, now)
            } catch StoreError.conflict {
                throw StoreError.conflict("a client with id \(client.clientID) already exists")
            }
            var data = ["name": client.name, "scopes": ScopeList.encode(scopes),
                        "rpm": client.rpm.map(String.init) ?? "default", "public": client.isPublic ? "true" : "false"]
            if let externalID = client.externalID { data["external_id"] = externalID }
            try writer.append(audit.event(.clientCreated, clientID: client.clientID, orgID: client.orgID, data: data),
                              on: db)
            return .created(try Self.fetchRequired(db, clientID: client.clientID))
        }
    }

    private func validate(_ client: NewClient) throws -> [String] {
        try Identifier.check(client.clientID, "client id")
        guard !client.name.isEmpty else { throw StoreError.invalidArgument("client name must not be empty") }
        if let rpm = client.rpm, rpm < 1 {
            throw StoreError.invalidArgument("rpm must be a positive number of requests per minute, got \(rpm)")
        }
        if client.isPublic != (client.secretHash == nil) {
            throw StoreError.invalidArgument(client.isPublic
                ? "a public client must not have a secret hash"
                : "a confidential client needs a secret hash")
        }
        if let externalID = client.externalID, externalID.isEmpty {
            throw StoreError.invalidArgument("external_id must not be empty when given")
        }
        if let uri = client.redirectURIs.first(where: { $0.isEmpty || $0.contains(" ") }) {
            throw StoreError.invalidArgument("redirect URI \"\(uri)\" must be an absolute URI without spaces")
        }
        return try ScopeList.normalize(client.scopes)
    }

    package func get(_ clientID: String) throws -> ClientRecord? {
        try database.withConnection { try Self.fetch($0, clientID: clientID) }
    }

    package func find(orgID: String, externalID: String) throws -> ClientRecord? {
        try database.withConnection { db in
            try db.queryOne("SELECT \(Self.columns) FROM clients WHERE org_id = ? AND external_id = ?",
                            orgID, externalID, map: Self.record)
        }
    }

    package func list(orgID: String?) throws -> [ClientRecord] {
        try database.withConnection { db in
            if let orgID {
                return try db.query("SELECT \(Self.columns) FROM clients WHERE org_id = ? ORDER BY created_at, client_id",
                                    orgID, map: Self.record)
            }
            return try db.query("SELECT \(Self.columns) FROM clients ORDER BY created_at, client_id", map: Self.record)
        }
    }
}
