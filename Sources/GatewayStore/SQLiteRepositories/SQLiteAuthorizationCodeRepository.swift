/// `AuthorizationCodeRepository` on SQLite.
package struct SQLiteAuthorizationCodeRepository: AuthorizationCodeRepository {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = """
        code_hash, client_id, user_id, redirect_uri, scopes, code_challenge, code_challenge_method, created_at,
        expires_at, used_at, issued_token_jtis, issued_tokens_expire_at, refresh_family_id
        """

    static func record(_ row: SQLiteRow) -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(
            codeHash: row.string(0), clientID: row.string(1), userID: row.string(2), redirectURI: row.string(3),
            scopes: ScopeList.decode(row.string(4)), codeChallenge: row.string(5), codeChallengeMethod: row.string(6),
            createdAt: row.timestamp(7), expiresAt: row.timestamp(8), usedAt: row.optionalTimestamp(9),
            issuedTokenJTIs: ScopeList.decode(row.string(10)), issuedTokensExpireAt: row.optionalTimestamp(11),
            refreshFamilyID: row.optionalString(12))
    }

    static func fetch(_ db: SQLiteConnection, codeHash: String) throws -> AuthorizationCodeRecord? {
        try db.queryOne("SELECT \(columns) FROM authorization_codes WHERE code_hash = ?", codeHash, map: record)
    }

    package func insert(_ code: NewAuthorizationCode, audit: AuditContext) throws -> AuthorizationCodeRecord {
        guard !code.codeHash.isEmpty, !code.codeChallenge.isEmpty, !code.redirectURI.isEmpty else {
            throw StoreError.invalidArgument("an authorization code needs a code hash, a PKCE challenge and a redirect URI")
        }
        let scopes = try ScopeList.normalize(code.scopes)
        return try database.write { db in
            let client = try SQLiteClientRepository.requireModifiable(db, clientID: code.clientID)
            guard try SQLiteUserRepository.fetch(db, id: code.userID) != nil else {
                throw StoreError.notFound("no user with id \(code.userID)")
            }
            let now = writer.clock.now()
            do {
                try db.run("""
                    INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scopes, code_challenge,
                        code_challenge_method, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'S256', ?, ?)
                    """, code.codeHash, code.clientID, code.userID, code.redirectURI, ScopeList.encode(scopes),
                    code.codeChallenge, now, code.expiresAt)
            } catch StoreError.conflict {
                throw StoreError.conflict("authorization code hash already stored; generate a fresh code")
            }
            try writer.append(audit.event(.authorizationGranted, clientID: code.clientID, orgID: client.orgID,
                                          data: ["user_id": code.userID, "scope": ScopeList.encode(scopes)]), on: db)
            return AuthorizationCodeRecord(
                codeHash: code.codeHash, clientID: code.clientID, userID: code.userID, redirectURI: code.redirectURI,
                scopes: scopes, codeChallenge: code.codeChallenge, codeChallengeMethod: "S256", createdAt: now,
                expiresAt: code.expiresAt, usedAt: nil, issuedTokenJTIs: [], issuedTokensExpireAt: nil,
                refreshFamilyID: nil)
        }
    }

    package func get(codeHash: String) throws -> AuthorizationCodeRecord? {
        try database.withConnection { try Self.fetch($0, codeHash: codeHash) }
    }

    package func consume(codeHash: String, clientID: String, issuing: IssuedTokens,
                         audit: AuditContext) throws -> ConsumeOutcome<AuthorizationCodeRecord> {
        if issuing.refreshTokenHash != nil && issuing.refreshExpiresAt == nil {
            throw StoreError.invalidArgument("a refresh token needs refreshExpiresAt")
        }
        return try database.write { db in
            guard let code = try Self.fetch(db, codeHash: codeHash) else { return .notFound }
            guard code.clientID == clientID else { return .wrongClient(code) }
            let now = writer.clock.now()
            let orgID = try SQLiteRefreshTokenRepository.orgID(db, clientID: clientID)
            if code.usedAt != nil {
                try revokeIssued(db, code: code, at: now)
                try writer.append(audit.event(.authorizationCodeReused, clientID: clientID, orgID: orgID,
                                              reason: "authorization_code_reused",
                                              data: ["user_id": code.userID]), on: db)
                return .reused(code)
            }
            if code.expiresAt <= now { return .expired(code) }
            let familyID = issuing.refreshTokenHash
            try db.run("""
                UPDATE authorization_codes SET used_at = ?, issued_token_jtis = ?, issued_tokens_expire_at = ?,
                    refresh_family_id = ?
                WHERE code_hash = ? AND used_at IS NULL
                """, now, issuing.accessJTI, issuing.accessExpiresAt, familyID, codeHash)
            if let familyID, let expiresAt = issuing.refreshExpiresAt {
                try SQLiteRefreshTokenRepository.insert(
                    db, tokenHash: familyID, familyID: familyID, clientID: clientID, userID: code.userID,
                    scopes: code.scopes, issuing: issuing, expiresAt: expiresAt, at: now)
            }
            var data = SQLiteRefreshTokenRepository.issuanceData(issuing, familyID: familyID)
            data["user_id"] = code.userID
            try writer.append(audit.event(.tokenIssued, clientID: clientID, orgID: orgID, data: data), on: db)
            return .consumed(try Self.fetch(db, codeHash: codeHash) ?? code)
        }
    }

    /// Revokes the access tokens and refresh family a redeemed code produced.
    private func revokeIssued(_ db: SQLiteConnection, code: AuthorizationCodeRecord, at now: Timestamp) throws {
        if let expiresAt = code.issuedTokensExpireAt, expiresAt > now {
            for jti in code.issuedTokenJTIs {
                try SQLiteRevocationFeed.insertTokenIfNew(db, jti: jti, expiresAt: expiresAt,
                                                          reason: "authorization_code_reused", at: now)
            }
        }
        if let familyID = code.refreshFamilyID {
            try SQLiteRevocationFeed.revokeFamily(db, familyID: familyID, reason: "authorization_code_reused", at: now)
        }
    }
}
