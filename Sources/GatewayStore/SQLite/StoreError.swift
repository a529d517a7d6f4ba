/// A failure of the persistent store, typed so callers can react without parsing messages.
///
/// Every case carries a message that says what failed and, where possible, what to fix.
/// `conflict` is reserved for unique-key violations (a duplicate id, e-mail or
/// `(org_id, external_id)`), so an HTTP layer can map it to `409` without guessing;
/// other constraint failures (foreign keys, CHECKs, the terminal-state triggers) are
/// `constraint`. `diskFull` means SQLite refused to grow the file: the transaction that
/// hit it was rolled back as a whole.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file or its directory could not be opened or created.
    case cannotOpen(path: String, message: String)
    /// A UNIQUE or PRIMARY KEY constraint refused the write.
    case conflict(String)
    /// Another constraint (foreign key, CHECK, NOT NULL, trigger abort) refused the write.
    case constraint(String)
    /// The disk (or the configured `maxPageCount`) is full; nothing of the transaction was written.
    case diskFull(String)
    /// The database stayed locked by another writer for longer than the busy timeout.
    case busy(String)
    /// The row the operation needs does not exist.
    case notFound(String)
    /// The operation is not allowed from the row's current state (e.g. rotating a revoked client).
    case invalidState(String)
    /// An argument was refused before touching the database.
    case invalidArgument(String)
    /// Scopes outside the org's scope policy were requested (maps to OAuth `invalid_scope`).
    case scopeOutsidePolicy(orgID: String, scopes: [String])
    /// The file was written by a newer release of this program.
    case schemaTooNew(found: Int, supported: Int)
    /// The file is not a database or is damaged.
    case corrupt(String)
    /// Any other SQLite failure, with its extended result code and the statement.
    case sqlite(code: Int32, message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let message):
            return "cannot open the store at \(path): \(message); check that the --data directory exists and is writable"
        case .conflict(let message):
            return "conflict: \(message)"
        case .constraint(let message):
            return "constraint violated: \(message)"
        case .diskFull(let message):
            return "the store is full (\(message)); free disk space in the --data directory and retry — nothing was written"
        case .busy(let message):
            return "the store stayed locked by another writer: \(message); retry, or check for a stuck process"
        case .notFound(let message):
            return "not found: \(message)"
        case .invalidState(let message):
            return "not allowed: \(message)"
        case .invalidArgument(let message):
            return "invalid argument: \(message)"
        case .scopeOutsidePolicy(let orgID, let scopes):
            return "scopes \(scopes.joined(separator: " ")) are outside the scope policy of org \(orgID); request only scopes the org allows"
        case .schemaTooNew(let found, let supported):
            return "the store's schema is version \(found) but this build knows only up to \(supported); upgrade portcullis"
        case .corrupt(let message):
            return "the store file is damaged or not a database: \(message)"
        case .sqlite(let code, let message):
            return "SQLite error \(code): \(message)"
        }
    }
}
