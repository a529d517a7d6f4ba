import CSQLite

/// Typed read access to the current row of a stepping statement.
///
/// Valid only inside the closure that received it: the statement moves on (or is reset)
/// once the closure returns. Column indexes are zero-based, in the order of the SELECT list.
/// Reading a NULL through a non-optional accessor yields `0`, `""` or `false`; use the
/// `optional…` accessors for nullable columns.
package struct SQLiteRow {
    let handle: OpaquePointer
    let offset: Int32

    init(handle: OpaquePointer) {
        self.handle = handle
        self.offset = 0
    }

    /// The same row with column 0 at `row`'s column `offset` (to map a record that follows
    /// other columns in the SELECT list).
    package init(offsetting row: SQLiteRow, by offset: Int32) {
        self.handle = row.handle
        self.offset = row.offset + offset
    }

    package func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index + offset) == SQLITE_NULL
    }

    package func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index + offset)
    }

    package func int(_ index: Int32) -> Int {
        Int(sqlite3_column_int64(handle, index + offset))
    }

    package func bool(_ index: Int32) -> Bool {
        sqlite3_column_int64(handle, index + offset) != 0
    }

    package func double(_ index: Int32) -> Double {
        sqlite3_column_double(handle, index + offset)
    }

    package func string(_ index: Int32) -> String {
        guard let text = sqlite3_column_text(handle, index + offset) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index + offset))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    package func blob(_ index: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, index + offset) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index + offset))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    package func timestamp(_ index: Int32) -> Timestamp {
        Timestamp(milliseconds: int64(index))
    }

    package func optionalInt64(_ index: Int32) -> Int64? {
        isNull(index) ? nil : int64(index)
    }

    package func optionalInt(_ index: Int32) -> Int? {
        isNull(index) ? nil : int(index)
    }

    package func optionalString(_ index: Int32) -> String? {
        isNull(index) ? nil : string(index)
    }

    package func optionalTimestamp(_ index: Int32) -> Timestamp? {
        isNull(index) ? nil : timestamp(index)
    }
}
