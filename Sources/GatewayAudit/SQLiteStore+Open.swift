import GatewayStore

extension SQLiteStore {
    /// Opens the embedded store in `directory` (the `--data` directory) with the SHA-256
    /// audit chain — the way the CLI, the gateway and the token service should open it.
    public static func open(directory: String, clock: StoreClock = .system,
                            configuration: SQLiteConfiguration = SQLiteConfiguration()) throws -> SQLiteStore {
        try SQLiteStore(directory: directory, auditHasher: AuditChainHasher(), clock: clock,
                        configuration: configuration)
    }
}
