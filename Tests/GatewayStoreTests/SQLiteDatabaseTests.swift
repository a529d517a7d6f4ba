import Foundation
import GatewayStore
import Testing

@Suite("SQLite database")
struct SQLiteDatabaseTests {
    @Test("a connection runs in WAL mode with synchronous=NORMAL, foreign keys and a busy timeout")
    func pragmas() throws {
        let directory = TemporaryDirectory()
        let database = try SQLiteDatabase(directory: directory.path + "/nested/data")
        try database.withConnection { db throws in
            #expect(try db.queryOne("PRAGMA journal_mode") { $0.string(0) } == "wal")
            #expect(try db.queryOne("PRAGMA synchronous") { $0.int(0) } == 1)
            #expect(try db.queryOne("PRAGMA foreign_keys") { $0.int(0) } == 1)
            #expect(try db.queryOne("PRAGMA busy_timeout") { $0.int(0) } == 5000)
        }
        #expect(database.path.hasSuffix("/nested/data/portcullis.sqlite3"))
    }

    @Test("typed binds and columns round-trip, NULL included")
    func bindAndColumns() throws {
        let directory = TemporaryDirectory()
        let database = try SQLiteDatabase(directory: directory.path)
        try database.write { db in
            try db.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, r REAL, n TEXT)")
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", Int64(-42), "héllo", [UInt8]([0, 1, 255]), 1.5,
                       Optional<String>.none)
        }
        let row = try database.read { db in
            try db.queryOne("SELECT i, s, b, r, n FROM t") { row in
                (row.int64(0), row.string(1), row.blob(2), row.double(3), row.optionalString(4), row.isNull(4))
            }
        }
        #expect(row?.0 == -42)
        #expect(row?.1 == "héllo")
        #expect(row?.2 == [0, 1, 255])
        #expect(row?.3 == 1.5)
        #expect(row?.4 == nil)
        #expect(row?.5 == true)
    }

    @Test("a throwing transaction rolls back everything it wrote")
    func rollbackOnThrow() throws {
        let directory = TemporaryDirectory()
        let database = try SQLiteDatabase(directory: directory.path)
        try database.write { try $0.execute("CREATE TABLE t (k TEXT PRIMARY KEY)") }
        #expect(throws: FixtureError.self) {
            try database.write { db in
                try db.run("INSERT INTO t VALUES ('a')")
                throw FixtureError.unexpected("stop")
            }
        }
        #expect(try database.read { try $0.queryOne("SELECT COUNT(*) FROM t") { $0.int(0) } } == 0)
    }

    @Test("a unique violation is .conflict, a foreign-key violation is .constraint")
    func constraintErrors() throws {
        let directory = TemporaryDirectory()
        let database = try SQLiteDatabase(directory: directory.path)
        try database.write { db in
            try db.execute("""
                CREATE TABLE p (id TEXT PRIMARY KEY);
                CREATE TABLE c (id TEXT PRIMARY KEY, p TEXT REFERENCES p(id), u TEXT UNIQUE);
                INSERT INTO p VALUES ('p1');
                INSERT INTO c VALUES ('c1', 'p1', 'x');
                """)
        }
        #expect {
            try database.write { try $0.run("INSERT INTO c VALUES ('c2', 'p1', 'x')") }
        } throws: { error in
            if case StoreError.conflict = error { return true }
            return false
        }
        #expect {
            try database.write { try $0.run("INSERT INTO c VALUES ('c1', 'p1', 'y')") }
        } throws: { error in
            if case StoreError.conflict = error { return true }
            return false
        }
        #expect {
            try database.write { try $0.run("INSERT INTO c VALUES ('c3', 'missing', 'z')") }
        } throws: { error in
            if case StoreError.constraint = error { return true }
            return false
        }
    }

    @Test("a wrong parameter count is refused before running")
    func parameterCount() throws {
        let directory = TemporaryDirectory()
        let database = try SQLiteDatabase(directory: directory.path)
        #expect {
            try database.withConnection { try $0.run("SELECT ?, ?", 1) }
        } throws: { error in
            if case StoreError.invalidArgument = error { return true }
            return false
        }
    }

    @Test("opening a file that is not a database fails with a typed error")
    func notADatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/garbage.sqlite3"
        try Array(repeating: "not a database ", count: 200).joined().write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try SQLiteDatabase(path: path)
        } throws: { error in
            switch error {
            case StoreError.corrupt, StoreError.cannotOpen: return true
            default: return false
            }
        }
    }

    @Test("connections are pooled and each concurrent borrower gets its own")
    func pool() throws {
        let directory = TemporaryDirectory()
        let database = try SQLiteDatabase(directory: directory.path)
        let (outer, inner) = try database.withConnection { outer in
            try database.withConnection { inner in (ObjectIdentifier(outer), ObjectIdentifier(inner)) }
        }
        #expect(outer != inner)
        // Both went back to the pool: the next two borrowers get exactly those two.
        let reused = try database.withConnection { first in
            try database.withConnection { second in Set([ObjectIdentifier(first), ObjectIdentifier(second)]) }
        }
        #expect(reused == Set([outer, inner]))
    }
}
