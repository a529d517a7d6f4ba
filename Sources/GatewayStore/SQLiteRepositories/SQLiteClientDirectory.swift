/// `ClientDirectory` on SQLite: one range scan of the `clients_version` index.
package struct SQLiteClientDirectory: ClientDirectory {
    let database: SQLiteDatabase

    package func changes(after cursor: Int64, limit: Int) throws -> ClientDirectoryPage {
        let entries = try database.withConnection { db in
            try db.query("""
                SELECT client_id, org_id, rpm, status, debug_log, version FROM clients
                WHERE version > ? ORDER BY version LIMIT ?
                """, cursor, limit) { row in
                ClientDirectoryEntry(clientID: row.string(0), orgID: row.string(1), rpm: row.optionalInt(2),
                                     status: ClientStatus(rawValue: row.string(3)) ?? .revoked,
                                     debugLog: row.bool(4), version: row.int64(5))
            }
        }
        return ClientDirectoryPage(entries: entries, cursor: entries.last?.version ?? cursor)
    }
}
