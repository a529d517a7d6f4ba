import Glibc
import Synchronization

/// The store's SQLite database file: a small pool of connections behind a mutex.
///
/// Every caller borrows a connection for the length of one closure, so worker threads
/// (writes: bcrypt-free transactions, audit appends) and pollers (reads of the revocation
/// feed and client directory) each get their own connection and never share one. In WAL
/// mode readers see a consistent snapshot and never block the single writer; writers are
/// serialised by SQLite's lock (`BEGIN IMMEDIATE` + the busy timeout).
///
/// Invariants: the file lives in `directory` (created with mode 0700 if missing) and is
/// created with mode 0600 because it holds secret hashes; every connection has the
/// settings `SQLiteConnection` documents. Blocking: every method does file I/O — never
/// call it on an event loop.
package final class SQLiteDatabase: Sendable {
    /// The default file name inside the `--data` directory.
    package static let defaultFileName = "portcullis.sqlite3"

    package let path: String
    package let configuration: SQLiteConfiguration
    private let idle: Mutex<[SQLiteConnection]>
    /// Statements every connection runs once before its first use (set after migrations).
    private let setup = Mutex<String?>(nil)

    /// Opens (creating if needed) `directory/fileName` and checks that it is usable.
    package convenience init(directory: String, fileName: String = SQLiteDatabase.defaultFileName,
                             configuration: SQLiteConfiguration = SQLiteConfiguration()) throws {
        try Self.createDirectory(directory)
        let path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
        try self.init(path: path, configuration: configuration)
    }

    /// Opens (creating if needed) the database file at `path`.
    package init(path: String, configuration: SQLiteConfiguration = SQLiteConfiguration()) throws {
        self.path = path
        self.configuration = configuration
        self.idle = Mutex([])
        try Self.createPrivateFile(path)
        let first = try SQLiteConnection(path: path, configuration: configuration)
        idle.withLock { $0.append(first) }
    }

    /// Runs `sql` on every idle connection now and on every connection opened later
    /// (temporary triggers, which exist per connection). Call once the schema is migrated.
    package func setUpConnections(_ sql: String) throws {
        try idle.withLock { pool in
            for connection in pool { try connection.execute(sql) }
        }
        setup.withLock { $0 = sql }
    }

    /// Lends a connection to `body`; it returns to the pool afterwards.
    package func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let borrowed = idle.withLock { $0.popLast() }
        let connection: SQLiteConnection
        if let borrowed {
            connection = borrowed
        } else {
            connection = try SQLiteConnection(path: path, configuration: configuration)
            if let sql = setup.withLock({ $0 }) { try connection.execute(sql) }
        }
        defer {
            if !connection.isInTransaction {
                let limit = configuration.maxIdleConnections
                idle.withLock { pool in
                    if pool.count < limit { pool.append(connection) }
                }
            }
        }
        return try body(connection)
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`): all or nothing.
    package func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try withConnection { try $0.transaction(.immediate, body) }
    }

    /// Runs `body` in a read transaction: one consistent snapshot for all its queries.
    package func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try withConnection { try $0.transaction(.deferred, body) }
    }

    private static func createDirectory(_ directory: String) throws {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                let reason = String(cString: strerror(errno))
                throw StoreError.cannotOpen(path: directory, message: "cannot create directory \(prefix): \(reason)")
            }
        }
    }

    private static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError.cannotOpen(path: path, message: reason)
        }
        close(fd)
    }
}
