/// `RefreshTokenRepository` on SQLite.
package struct SQLiteRefreshTokenRepository: RefreshTokenRepository {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = """
        token_hash, family_id, client_id, user_id, scopes, access_jti, access_expires_at, created_at, expires_at,
        used_at, revoked
        """

    static func record(_ row: SQLiteRow) -> RefreshTokenRecord {
        RefreshTokenRecord(tokenHash: row.string(0), familyID: row.string(1), clientID: row.string(2),
                           userID: row.optionalString(3), scopes: ScopeList.decode(row.string(4)),
                           accessJTI: row.optionalString(5), accessExpiresAt: row.optionalTimestamp(6),
                           createdAt: row.timestamp(7), expiresAt: row.timestamp(8), usedAt: row.optionalTimestamp(9),
                           revoked: row.bool(10))
    }

    static func fetch(_ db: SQLiteConnection, tokenHash: String) throws -> RefreshTokenRecord? {
        try db.queryOne("SELECT \(columns) FROM refresh_tokens WHERE token_hash = ?", tokenHash, map: record)
    }

    /// Inserts a refresh token issued with `issuing`'s access token, inside the caller's transaction.
    static func insert(_ db: SQLiteConnection, tokenHash: String, familyID: String, clientID: String,
                       userID: String?, scopes: [String], issuing: IssuedTokens, expiresAt: Timestamp,
                       at now: Timestamp) throws {
        do {
            try db.run("""
                INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scopes, access_jti,
                    access_expires_at, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, tokenHash, familyID, clientID, userID, ScopeList.encode(scopes), issuing.accessJTI,
                issuing.accessExpiresAt, now, expiresAt)
        } catch StoreError.conflict {
            throw StoreError.conflict("refresh token hash already stored; generate a fresh token")
        }
    }

    /// The audit data of an issuance.
    static func issuanceData(_ issuing: IssuedTokens, familyID: String?) -> [String: String] {
        var data = ["grant_type": issuing.grantType, "jti": issuing.accessJTI,
                    "scope": ScopeList.encode(issuing.accessScopes), "expires_at": issuing.accessExpiresAt.iso8601]
        if let familyID, issuing.refreshTokenHash != nil { data["refresh_family_id"] = familyID }
        return data
    }

    static func orgID(_ db: SQLiteConnection, clientID: String) throws -> String? {
        try db.queryOne("SELECT org_id FROM clients WHERE client_id = ?", clientID) { $0.string(0) }
    }

    package func get(tokenHash: String) throws -> RefreshTokenRecord? {
        try database.withConnection { try Self.fetch($0, tokenHash: tokenHash) }
    }

    @discardableResult
    package func insert(clientID: String, userID: String?, scopes: [String], issuing: IssuedTokens,
                        audit: AuditContext) throws -> RefreshTokenRecord {
        guard let tokenHash = issuing.refreshTokenHash, let expiresAt = issuing.refreshExpiresAt else {
            throw StoreError.invalidArgument("a refresh token needs refreshTokenHash and refreshExpiresAt")
        }
        let scopes = try ScopeList.normalize(scopes)
        return try database.write { db in
            let client = try SQLiteClientRepository.requireModifiable(db, clientID: clientID)
            if let userID, try SQLiteUserRepository.fetch(db, id: userID) == nil {
                throw StoreError.notFound("no user with id \(userID)")
            }
            let now = writer.clock.now()
            try Self.insert(db, tokenHash: tokenHash, familyID: tokenHash, clientID: clientID, userID: userID,
                            scopes: scopes, issuing: issuing, expiresAt: expiresAt, at: now)
            var data = Self.issuanceData(issuing, familyID: tokenHash)
            if let userID { data["user_id"] = userID }
            try writer.append(audit.event(.tokenIssued, clientID: clientID, orgID: client.orgID, data: data), on: db)
            guard let record = try Self.fetch(db, tokenHash: tokenHash) else {
                throw StoreError.notFound("refresh token missing right after its insert")
            }
            return record
        }
    }

    package func rotate(tokenHash: String, clientID: String, issuing: IssuedTokens,
                        audit: AuditContext) throws -> ConsumeOutcome<RefreshTokenRecord> {
        try database.write { db in
            guard var token = try Self.fetch(db, tokenHash: tokenHash) else { return .notFound }
            guard token.clientID == clientID else { return .wrongClient(token) }
            let now = writer.clock.now()
            let orgID = try Self.orgID(db, clientID: clientID)
            if token.usedAt != nil {
                try SQLiteRevocationFeed.revokeFamily(db, familyID: token.familyID, reason: "refresh_token_reused",
                                                      at: now)
                try writer.append(audit.event(.refreshTokenReused, clientID: clientID, orgID: orgID,
                                              reason: "refresh_token_reused",
                                              data: ["refresh_family_id": token.familyID]), on: db)
                return .reused(token)
            }
            if token.revoked { return .revoked(token) }
            if token.expiresAt <= now { return .expired(token) }
            try db.run("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", now, tokenHash)
            token.usedAt = now
            if let successor = issuing.refreshTokenHash {
                try Self.insert(db, tokenHash: successor, familyID: token.familyID, clientID: clientID,
                                userID: token.userID, scopes: token.scopes, issuing: issuing,
                                expiresAt: issuing.refreshExpiresAt ?? token.expiresAt, at: now)
            }
            try writer.append(audit.event(.tokenIssued, clientID: clientID, orgID: orgID,
                                          data: Self.issuanceData(issuing, familyID: token.familyID)), on: db)
            return .consumed(token)
        }
    }

    @discardableResult
    package func revokeFamily(ofTokenHash tokenHash: String, clientID: String, reason: String,
                              audit: AuditContext) throws -> Bool {
        try database.write { db in
            guard let token = try Self.fetch(db, tokenHash: tokenHash), token.clientID == clientID else { return false }
            try SQLiteRevocationFeed.revokeFamily(db, familyID: token.familyID, reason: reason, at: writer.clock.now())
            try writer.append(audit.event(.tokenRevoked, clientID: clientID, orgID: try Self.orgID(db, clientID: clientID),
                                          reason: reason,
                                          data: ["token_type": "refresh_token", "refresh_family_id": token.familyID]),
                              on: db)
            return true
        }
    }
}
