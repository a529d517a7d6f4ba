/// What the gateway needs to know about one client on its hot path: its org, rate, status
/// and debug-log flag. No secret material.
public struct ClientDirectoryEntry: Sendable, Equatable {
    public var clientID: String
    public var orgID: String
    /// Requests per minute; `nil` means the gateway's `default_rpm`.
    public var rpm: Int?
    public var status: ClientStatus
    public var debugLog: Bool
    /// The change counter value of this client's latest change.
    public var version: Int64

    public init(clientID: String, orgID: String, rpm: Int?, status: ClientStatus, debugLog: Bool, version: Int64) {
        self.clientID = clientID
        self.orgID = orgID
        self.rpm = rpm
        self.status = status
        self.debugLog = debugLog
        self.version = version
    }
}

/// Clients changed after a cursor, oldest change first.
///
/// Pass `cursor` to the next `ClientDirectory.changes(after:limit:)` call. When
/// `entries.count == limit` more may be pending: call again right away.
public struct ClientDirectoryPage: Sendable, Equatable {
    public var entries: [ClientDirectoryEntry]
    public var cursor: Int64

    public init(entries: [ClientDirectoryEntry], cursor: Int64) {
        self.entries = entries
        self.cursor = cursor
    }
}
