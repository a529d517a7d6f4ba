/// The gateway's cheap view of every client (id, org, rpm, status, debug flag), read
/// incrementally by a change cursor.
///
/// A poller keeps the cursor of the last page and calls `changes(after:)` every ≤ 500 ms;
/// when nothing changed the call is one indexed range query that returns no rows. Start
/// with cursor 0 to load every client.
public protocol ClientDirectory: Sendable {
    func changes(after cursor: Int64, limit: Int) throws -> ClientDirectoryPage
}
