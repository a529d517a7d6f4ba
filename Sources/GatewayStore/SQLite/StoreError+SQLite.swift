import CSQLite

extension StoreError {
    // Extended result codes (sqlite3.h defines them as expressions Swift does not import).
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)

    /// Classifies an SQLite result code: unique violations become `.conflict`, other
    /// constraint failures `.constraint`, SQLITE_FULL `.diskFull`, lock timeouts `.busy`.
    static func from(code: Int32, message: String, sql: String) -> StoreError {
        let statement = sql.count > 160 ? String(sql.prefix(160)) + "…" : sql
        switch code & 0xFF {
        case SQLITE_CONSTRAINT:
            if code == constraintUnique || code == constraintPrimaryKey {
                return .conflict(message)
            }
            return .constraint(message)
        case SQLITE_FULL:
            return .diskFull(message)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .busy("\(message) (while running: \(statement))")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return .corrupt(message)
        default:
            return .sqlite(code: code, message: "\(message) (while running: \(statement))")
        }
    }
}
