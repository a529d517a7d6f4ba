/// `OrgRepository` on SQLite.
package struct SQLiteOrgRepository: OrgRepository {
    let database: SQLiteDatabase
    let writer: SQLiteAuditWriter

    static let columns = "id, name, scope_policy, created_at"

    static func record(_ row: SQLiteRow) -> OrgRecord {
        OrgRecord(id: row.string(0), name: row.string(1), scopePolicy: ScopeList.decode(row.string(2)),
                  createdAt: row.timestamp(3))
    }

    static func fetch(_ db: SQLiteConnection, id: String) throws -> OrgRecord? {
        try db.queryOne("SELECT \(columns) FROM orgs WHERE id = ?", id, map: record)
    }

    package func create(_ org: NewOrg, audit: AuditContext) throws -> OrgRecord {
        guard Identifier.isValid(org.id) else {
            throw StoreError.invalidArgument("org id \"\(org.id)\" must be 1–128 characters of A-Z a-z 0-9 - _ . ~")
        }
        guard !org.name.isEmpty else { throw StoreError.invalidArgument("org name must not be empty") }
        let policy = try ScopeList.normalize(org.scopePolicy)
        return try database.write { db in
            let record = OrgRecord(id: org.id, name: org.name, scopePolicy: policy, createdAt: writer.clock.now())
            do {
                try db.run("INSERT INTO orgs (id, name, scope_policy, created_at) VALUES (?, ?, ?, ?)",
                           record.id, record.name, ScopeList.encode(policy), record.createdAt)
            } catch StoreError.conflict {
                throw StoreError.conflict("an org with id \(org.id) already exists")
            }
            try writer.append(audit.event(.orgCreated, orgID: record.id,
                                          data: ["name": record.name, "scope_policy": ScopeList.encode(policy)]), on: db)
            return record
        }
    }

    package func get(_ id: String) throws -> OrgRecord? {
        try database.withConnection { try Self.fetch($0, id: id) }
    }

    package func list() throws -> [OrgRecord] {
        try database.withConnection { db in
            try db.query("SELECT \(Self.columns) FROM orgs ORDER BY id", map: Self.record)
        }
    }
}
