/// `SigningKeyRepository` on SQLite.
package struct SQLiteSigningKeyRepository: SigningKeyRepository {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = "kid, alg, public_jwk, private_key_path, created_at, retired_at, not_after"

    static func record(_ row: SQLiteRow) -> SigningKeyRecord {
        SigningKeyRecord(kid: row.string(0), algorithm: row.string(1), publicJWK: row.string(2),
                         privateKeyPath: row.string(3), createdAt: row.timestamp(4),
                         retiredAt: row.optionalTimestamp(5), notAfter: row.optionalTimestamp(6))
    }

    @discardableResult
    package func rotate(to key: NewSigningKey, maxTokenLifetimeSeconds: Int64,
                        audit: AuditContext) throws -> SigningKeyRecord {
        try Identifier.check(key.kid, "kid")
        guard NewSigningKey.allowedAlgorithms.contains(key.algorithm) else {
            throw StoreError.invalidArgument("signing algorithm \(key.algorithm) is not allowed; use RS256 or ES256")
        }
        guard maxTokenLifetimeSeconds >= 0 else {
            throw StoreError.invalidArgument("maxTokenLifetimeSeconds must not be negative")
        }
        return try database.write { db in
            let now = writer.clock.now()
            let retiring = try db.queryOne("SELECT kid FROM signing_keys WHERE retired_at IS NULL") { $0.string(0) }
            try db.run("UPDATE signing_keys SET retired_at = ?, not_after = ? WHERE retired_at IS NULL",
                       now, now.adding(seconds: maxTokenLifetimeSeconds))
            do {
                try db.run("""
                    INSERT INTO signing_keys (kid, alg, public_jwk, private_key_path, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """, key.kid, key.algorithm, key.publicJWK, key.privateKeyPath, now)
            } catch StoreError.conflict {
                throw StoreError.conflict("a signing key with kid \(key.kid) already exists; kids are never reused")
            }
            var data = ["kid": key.kid, "alg": key.algorithm]
            if let retiring { data["retired_kid"] = retiring }
            try writer.append(audit.event(.keyRotated, data: data), on: db)
            return SigningKeyRecord(kid: key.kid, algorithm: key.algorithm, publicJWK: key.publicJWK,
                                    privateKeyPath: key.privateKeyPath, createdAt: now, retiredAt: nil, notAfter: nil)
        }
    }

    package func active() throws -> SigningKeyRecord? {
        try database.withConnection { db in
            try db.queryOne("SELECT \(Self.columns) FROM signing_keys WHERE retired_at IS NULL", map: Self.record)
        }
    }

    package func get(kid: String) throws -> SigningKeyRecord? {
        try database.withConnection { db in
            try db.queryOne("SELECT \(Self.columns) FROM signing_keys WHERE kid = ?", kid, map: Self.record)
        }
    }

    package func verificationKeys() throws -> [SigningKeyRecord] {
        let now = writer.clock.now()
        return try database.withConnection { db in
            try db.query("""
                SELECT \(Self.columns) FROM signing_keys WHERE not_after IS NULL OR not_after > ?
                ORDER BY created_at DESC, kid
                """, now, map: Self.record)
        }
    }
}
