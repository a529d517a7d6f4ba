import GatewayAudit
import GatewayStore
import Testing

@Suite("Schema migrations")
struct MigrationTests {
    @Test("a new file is migrated to the latest version, each migration recorded once")
    func freshFile() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.schemaVersion() == Migration.latestVersion)
        let versions = try fixture.rawConnection().query("SELECT version FROM schema_migrations ORDER BY version") {
            $0.int(0)
        }
        #expect(versions == Array(1...Migration.latestVersion))
    }

    @Test("running the migrator again applies nothing")
    func idempotent() throws {
        let fixture = try StoreFixture()
        let applied = try Migrator().migrate(fixture.rawConnection())
        #expect(applied.isEmpty)
    }

    @Test("a version-1 file with data is upgraded in order and keeps its rows")
    func upgradeFromVersionOne() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock()
        do {
            let database = try SQLiteDatabase(directory: directory.path)
            let old = try SQLiteStore(database: database, auditHasher: AuditChainHasher(), clock: clock.storeClock,
                                      schemaVersion: 1)
            #expect(try old.schemaVersion() == 1)
            _ = try old.orgs.create(NewOrg(id: "acme", name: "Acme", scopePolicy: ["ledger:read"]),
                                audit: AuditContext(actor: "cli"))
            let tables = try database.withConnection { db throws in
                try db.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) }
            }
            #expect(!tables.contains("refresh_tokens"))
            #expect(!tables.contains("audit_counters"))
        }
        let upgraded = try SQLiteStore.open(directory: directory.path, clock: clock.storeClock)
        #expect(try upgraded.schemaVersion() == Migration.latestVersion)
        #expect(try upgraded.orgs.get("acme")?.name == "Acme")
        #expect(try AuditLog(upgraded).verify().isValid)
        let applied = try upgraded.database.withConnection { db throws in
            try db.query("SELECT version FROM schema_migrations ORDER BY applied_at, version") { $0.int(0) }
        }
        #expect(applied == Array(1...Migration.latestVersion))
    }

    @Test("a file from a newer release is refused with schemaTooNew")
    func newerSchemaRefused() throws {
        let fixture = try StoreFixture()
        try fixture.rawConnection().run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)")
        #expect(throws: StoreError.schemaTooNew(found: 99, supported: Migration.latestVersion)) {
            _ = try SQLiteStore.open(directory: fixture.directory.path)
        }
    }

    @Test("a failing migration leaves the file at the previous version")
    func failingMigrationRollsBack() throws {
        let directory = TemporaryDirectory()
        let database = try SQLiteDatabase(directory: directory.path)
        let broken = Migration.all + [Migration(version: Migration.latestVersion + 1, name: "broken",
                                                sql: "CREATE TABLE extra (x INTEGER); SELECT * FROM no_such_table;")]
        #expect(throws: StoreError.self) {
            try database.withConnection { try Migrator(migrations: broken).migrate($0) }
        }
        try database.withConnection { db throws in
            #expect(try Migrator().currentVersion(db) == Migration.latestVersion)
            #expect(try db.queryOne("SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'") { $0.int(0) } == 0)
        }
    }
}
