/// Tunables for the SQLite store. Defaults suit one gateway process on one machine.
///
/// - `busyTimeoutMilliseconds` (default 5000): how long a writer waits for another writer's
///   lock before failing with `StoreError.busy`.
/// - `maxIdleConnections` (default 4): connections kept open for reuse by `SQLiteDatabase`;
///   more may be open while busy, the surplus is closed when returned.
/// - `maxPageCount` (default `nil`, unlimited): a hard cap on the file size in pages
///   (`PRAGMA max_page_count`); reaching it behaves like a full disk (`StoreError.diskFull`).
/// - `statementCacheCapacity` (default 64): prepared statements kept per connection.
public struct SQLiteConfiguration: Sendable, Equatable {
    public var busyTimeoutMilliseconds: Int32
    public var maxIdleConnections: Int
    public var maxPageCount: Int?
    public var statementCacheCapacity: Int

    public init(busyTimeoutMilliseconds: Int32 = 5000, maxIdleConnections: Int = 4,
                maxPageCount: Int? = nil, statementCacheCapacity: Int = 64) {
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.maxIdleConnections = maxIdleConnections
        self.maxPageCount = maxPageCount
        self.statementCacheCapacity = statementCacheCapacity
    }
}
