import Foundation
import GatewayAudit
import GatewayStore
import Synchronization

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp = Timestamp(milliseconds: 1_767_225_600_000)) {  // 2026-01-01T00:00:00Z
        current = Mutex(start)
    }

    var now: Timestamp { current.withLock { $0 } }

    func advance(seconds: Int64) {
        current.withLock { $0 = $0.adding(seconds: seconds) }
    }

    var storeClock: StoreClock { StoreClock { [self] in now } }
}

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "portcullis-store-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A store in its own temporary directory with a manual clock, plus helpers to make rows.
final class StoreFixture {
    let directory = TemporaryDirectory()
    let clock = ManualClock()
    let store: SQLiteStore
    let cli = AuditContext(actor: "cli", requestID: "req-test")

    init(configuration: SQLiteConfiguration = SQLiteConfiguration()) throws {
        store = try SQLiteStore.open(directory: directory.path, clock: clock.storeClock, configuration: configuration)
    }

    var audit: AuditLog { AuditLog(store) }

    /// A connection to the same file, outside the repositories (for tampering and inspection).
    func rawConnection() throws -> SQLiteConnection {
        try SQLiteConnection(path: store.path, configuration: SQLiteConfiguration())
    }

    @discardableResult
    func makeOrg(_ id: String = "acme",
                 scopes: [String] = ["ledger:read", "ledger:write", "clients:write"]) throws -> OrgRecord {
        try store.orgs.create(NewOrg(id: id, name: "Org \(id)", scopePolicy: scopes), audit: cli)
    }

    @discardableResult
    func makeClient(_ id: String = "cl_one", org: String = "acme", scopes: [String] = ["ledger:read"],
                    externalID: String? = nil, rpm: Int? = nil) throws -> ClientRecord {
        let creation = try store.clients.create(
            NewClient(clientID: id, orgID: org, name: "Client \(id)", secretHash: "$2b$10$hash-of-\(id)",
                      scopes: scopes, rpm: rpm, redirectURIs: ["https://app.example/cb"], externalID: externalID),
            audit: cli)
        guard case .created(let client) = creation else { throw FixtureError.unexpected("\(creation)") }
        return client
    }

    @discardableResult
    func makeUser(_ id: String = "usr_one", org: String = "acme", email: String = "ada@example.com") throws -> UserRecord {
        try store.users.create(NewUser(id: id, orgID: org, email: email, passwordHash: "$2b$10$pw-\(id)"), audit: cli)
    }

    /// Every audit event type appended so far, in order.
    func auditTypes() throws -> [String] {
        try store.auditEvents.events(after: 0, limit: 10_000).map(\.type)
    }
}

enum FixtureError: Error {
    case unexpected(String)
}

/// Runs `body` on `count` threads released at the same moment, and waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let start = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            start.wait()
            body(index)
            group.leave()
        }
        thread.start()
    }
    for _ in 0..<count { start.signal() }
    group.wait()
}
