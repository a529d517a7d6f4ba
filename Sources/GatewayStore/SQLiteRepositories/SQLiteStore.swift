/// The embedded store: one SQLite file in the `--data` directory, migrated to the latest
/// schema on open, exposing every repository.
///
/// Construct once per process and share it (it is `Sendable`; each call borrows a pooled
/// connection). Every method blocks on file I/O: call from worker threads, not event loops.
/// `auditHasher` is mandatory because every mutation appends a chained audit event;
/// `GatewayAudit` provides `SQLiteStore.open(directory:…)` that supplies the SHA-256 one.
public final class SQLiteStore: DataStore {
    package let database: SQLiteDatabase
    public let clock: StoreClock
    public let orgs: any OrgRepository
    public let clients: any ClientRepository
    public let users: any UserRepository
    public let signingKeys: any SigningKeyRepository
    public let revocations: any RevocationFeed
    public let refreshTokens: any RefreshTokenRepository
    public let authorizationCodes: any AuthorizationCodeRepository
    public let clientDirectory: any ClientDirectory
    public let auditEvents: any AuditEventStore

    /// The path of the database file.
    public var path: String { database.path }

    /// Opens (creating if needed) the store in `directory` and applies pending migrations.
    public convenience init(directory: String, auditHasher: any AuditHashing, clock: StoreClock = .system,
                            configuration: SQLiteConfiguration = SQLiteConfiguration()) throws {
        let database = try SQLiteDatabase(directory: directory, configuration: configuration)
        try self.init(database: database, auditHasher: auditHasher, clock: clock)
    }

    /// Wraps an open database; migrates it up to `schemaVersion` (default: latest).
    package init(database: SQLiteDatabase, auditHasher: any AuditHashing, clock: StoreClock,
                 schemaVersion: Int? = nil) throws {
        _ = try database.withConnection { try Migrator(clock: clock).migrate($0, upTo: schemaVersion) }
        if (schemaVersion ?? Migration.latestVersion) >= 4 { try database.setUpConnections(AuditGuard.sql) }
        let writer = SQLiteAuditWriter(hasher: auditHasher, clock: clock)
        self.database = database
        self.clock = clock
        self.orgs = SQLiteOrgRepository(database: database, writer: writer)
        self.clients = SQLiteClientRepository(database: database, writer: writer)
        self.users = SQLiteUserRepository(database: database, writer: writer)
        self.signingKeys = SQLiteSigningKeyRepository(database: database, writer: writer)
        self.revocations = SQLiteRevocationFeed(database: database, writer: writer)
        self.refreshTokens = SQLiteRefreshTokenRepository(database: database, writer: writer)
        self.authorizationCodes = SQLiteAuthorizationCodeRepository(database: database, writer: writer)
        self.clientDirectory = SQLiteClientDirectory(database: database)
        self.auditEvents = SQLiteAuditEventStore(database: database, writer: writer)
    }

    /// The schema version of the file.
    public func schemaVersion() throws -> Int {
        try database.withConnection { try Migrator().currentVersion($0) }
    }
}
