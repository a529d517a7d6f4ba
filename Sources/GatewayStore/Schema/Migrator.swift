/// Brings a database file up to the schema this build knows, one migration at a time.
///
/// Each pending migration runs in its own `BEGIN IMMEDIATE` transaction together with its
/// row in `schema_migrations`, so it is applied exactly once even when several processes
/// start at the same moment, and a failure leaves the file at the previous version.
/// A file whose schema is newer than this build is refused (`StoreError.schemaTooNew`).
package struct Migrator: Sendable {
    package let migrations: [Migration]
    package let clock: StoreClock

    package init(migrations: [Migration] = Migration.all, clock: StoreClock = .system) {
        self.migrations = migrations
        self.clock = clock
    }

    /// Applies every pending migration up to `target` (default: the latest); returns the
    /// versions it applied, in order.
    @discardableResult
    package func migrate(_ connection: SQLiteConnection, upTo target: Int? = nil) throws -> [Int] {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT
            """)
        let known = migrations.last?.version ?? 0
        let current = try currentVersion(connection)
        if current > known { throw StoreError.schemaTooNew(found: current, supported: known) }
        var applied: [Int] = []
        for migration in migrations where migration.version <= (target ?? known) {
            let didApply = try connection.transaction(.immediate) { db -> Bool in
                let exists = try db.queryOne("SELECT 1 FROM schema_migrations WHERE version = ?",
                                             migration.version) { _ in true } ?? false
                if exists { return false }
                try db.execute(migration.sql)
                try db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                           migration.version, migration.name, clock.now())
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    /// The highest applied version, 0 for a new file.
    package func currentVersion(_ connection: SQLiteConnection) throws -> Int {
        try connection.queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { $0.int(0) } ?? 0
    }
}
