/// `UserRepository` on SQLite.
package struct SQLiteUserRepository: UserRepository {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = "id, org_id, email, password_hash, status, disabled_at, created_at"

    static func record(_ row: SQLiteRow) -> UserRecord {
        UserRecord(id: row.string(0), orgID: row.string(1), email: row.string(2), passwordHash: row.string(3),
                   status: UserStatus(rawValue: row.string(4)) ?? .disabled, disabledAt: row.optionalTimestamp(5),
                   createdAt: row.timestamp(6))
    }

    static func fetch(_ db: SQLiteConnection, id: String) throws -> UserRecord? {
        try db.queryOne("SELECT \(columns) FROM users WHERE id = ?", id, map: record)
    }

    package func create(_ user: NewUser, audit: AuditContext) throws -> UserRecord {
        try Identifier.check(user.id, "user id")
        let parts = user.email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !user.email.contains(" ") else {
            throw StoreError.invalidArgument("\"\(user.email)\" is not an e-mail address (expected name@domain)")
        }
        guard !user.passwordHash.isEmpty else { throw StoreError.invalidArgument("the password hash is empty") }
        return try database.write { db in
            guard try SQLiteOrgRepository.fetch(db, id: user.orgID) != nil else {
                throw StoreError.notFound("no org with id \(user.orgID); create it first")
            }
            let now = writer.clock.now()
            do {
                try db.run("""
                    INSERT INTO users (id, org_id, email, password_hash, status, created_at)
                    VALUES (?, ?, ?, ?, 'ACTIVE', ?)
                    """, user.id, user.orgID, user.email, user.passwordHash, now)
            } catch StoreError.conflict {
                throw StoreError.conflict("a user with e-mail \(user.email) or id \(user.id) already exists")
            }
            try writer.append(audit.event(.userCreated, orgID: user.orgID, data: ["user_id": user.id]), on: db)
            return UserRecord(id: user.id, orgID: user.orgID, email: user.email, passwordHash: user.passwordHash,
                              status: .active, disabledAt: nil, createdAt: now)
        }
    }

    package func get(id: String) throws -> UserRecord? {
        try database.withConnection { try Self.fetch($0, id: id) }
    }

    package func get(email: String) throws -> UserRecord? {
        try database.withConnection { db in
            try db.queryOne("SELECT \(Self.columns) FROM users WHERE email = ? COLLATE NOCASE", email, map: Self.record)
        }
    }

    package func disable(_ id: String, reason: String, audit: AuditContext) throws -> UserRecord {
        try database.write { db in
            guard let user = try Self.fetch(db, id: id) else { throw StoreError.notFound("no user with id \(id)") }
            if user.status == .disabled { return user }
            let now = writer.clock.now()
            try db.run("UPDATE users SET status = 'DISABLED', disabled_at = ? WHERE id = ?", now, id)
            try db.run("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0", id)
            try SQLiteRevocationFeed.insert(db, kind: .user, subject: id, expiresAt: nil, reason: reason, at: now)
            try writer.append(audit.event(.userDisabled, orgID: user.orgID, reason: reason, data: ["user_id": id]),
                              on: db)
            return try Self.fetch(db, id: id) ?? user
        }
    }
}
