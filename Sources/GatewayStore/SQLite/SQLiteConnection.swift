import CSQLite

/// One open SQLite connection with its prepared-statement cache.
///
/// Opening applies the store's invariants: WAL journal, `synchronous=NORMAL`, foreign keys
/// on, extended result codes, the busy timeout, and the optional page cap.
///
/// Thread-safety: a connection is used by one thread at a time. `SQLiteDatabase` hands each
/// connection to exactly one caller until it is returned, which is why the class can be
/// `@unchecked Sendable` (it crosses threads only through the pool's mutex).
package final class SQLiteConnection: @unchecked Sendable {
    let handle: OpaquePointer
    package let path: String
    private let cacheCapacity: Int
    private var cache: [String: SQLiteStatement] = [:]

    package init(path: String, configuration: SQLiteConfiguration) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let db { sqlite3_close_v2(db) }
            throw StoreError.cannotOpen(path: path, message: message)
        }
        self.handle = db
        self.path = path
        self.cacheCapacity = configuration.statementCacheCapacity
        sqlite3_extended_result_codes(db, 1)
        _ = csqlite_busy_timeout(db, configuration.busyTimeoutMilliseconds)
        // From here on a throw runs `deinit`, which closes the handle.
        let mode = try queryOne("PRAGMA journal_mode=WAL") { $0.string(0) }
        guard mode?.lowercased() == "wal" else {
            throw StoreError.cannotOpen(path: path, message: "could not switch to WAL journal mode (got \(mode ?? "nothing"))")
        }
        try execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;")
        if let pages = configuration.maxPageCount {
            _ = try queryOne("PRAGMA max_page_count=\(pages)") { $0.int64(0) }
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    package func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if let message { sqlite3_free(message) }
        guard code == SQLITE_OK else { throw error(code, sql: sql) }
    }

    /// Runs one statement to completion and returns the number of rows it changed.
    @discardableResult
    package func run(_ sql: String, _ values: (any SQLiteBindable)?...) throws -> Int {
        try run(sql, values: values)
    }

    @discardableResult
    package func run(_ sql: String, values: [(any SQLiteBindable)?]) throws -> Int {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(values, connection: self)
        while try statement.step(connection: self) {}
        return Int(sqlite3_changes(handle))
    }

    /// Runs a query and maps every row.
    package func query<T>(_ sql: String, _ values: (any SQLiteBindable)?...,
                          map: (SQLiteRow) throws -> T) throws -> [T] {
        try query(sql, values: values, map: map)
    }

    package func query<T>(_ sql: String, values: [(any SQLiteBindable)?],
                          map: (SQLiteRow) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(values, connection: self)
        var rows: [T] = []
        let row = SQLiteRow(handle: statement.handle)
        while try statement.step(connection: self) {
            rows.append(try map(row))
        }
        return rows
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    package func queryOne<T>(_ sql: String, _ values: (any SQLiteBindable)?...,
                             map: (SQLiteRow) throws -> T) throws -> T? {
        try queryOne(sql, values: values, map: map)
    }

    package func queryOne<T>(_ sql: String, values: [(any SQLiteBindable)?],
                             map: (SQLiteRow) throws -> T) throws -> T? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(values, connection: self)
        guard try statement.step(connection: self) else { return nil }
        return try map(SQLiteRow(handle: statement.handle))
    }

    /// The rowid of the last successful INSERT on this connection.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `true` while a transaction is open on this connection.
    package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// `.immediate` (the default, for writes) takes the write lock up front so two writers
    /// never deadlock upgrading from a read; `.deferred` suits read-only snapshots. Called
    /// while a transaction is already open, `body` joins it (the outer one decides).
    package func transaction<T>(_ mode: SQLiteTransactionMode = .immediate,
                                _ body: (SQLiteConnection) throws -> T) throws -> T {
        if isInTransaction { return try body(self) }
        try execute(mode == .immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }

    /// Returns the cached prepared statement for `sql`, preparing it on first use.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        if let cached = cache[sql] { return cached }
        var statement: OpaquePointer?
        let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql: sql) }
        let prepared = SQLiteStatement(handle: statement, sql: sql)
        if cache.count >= cacheCapacity { cache.removeAll(keepingCapacity: true) }
        cache[sql] = prepared
        return prepared
    }

    /// Maps a result code to a typed `StoreError` carrying SQLite's message and the statement.
    func error(_ code: Int32, sql: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        return StoreError.from(code: code, message: message, sql: sql)
    }
}

/// How `SQLiteConnection.transaction` begins.
package enum SQLiteTransactionMode: Sendable {
    /// `BEGIN IMMEDIATE`: take the write lock now (writers).
    case immediate
    /// `BEGIN DEFERRED`: a read snapshot that upgrades only if it writes (readers).
    case deferred
}
