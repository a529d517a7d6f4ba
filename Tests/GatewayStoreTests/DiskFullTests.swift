import GatewayAudit
import GatewayStore
import Testing

@Suite("Disk full")
struct DiskFullTests {
    @Test("SQLITE_FULL surfaces as .diskFull and the transaction leaves nothing behind")
    func diskFull() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        let raw = try fixture.rawConnection()
        let pages = try #require(try raw.queryOne("PRAGMA page_count") { $0.int(0) })
        let capped = try StoreFixture.reopen(fixture, maxPageCount: pages + 2)
        let eventsBefore = try capped.auditEvents.events(after: 0, limit: 1000).count
        // A client whose rows cannot fit in two more pages.
        let huge = NewClient(clientID: "cl_big", orgID: "acme", name: String(repeating: "n", count: 64 * 1024),
                             secretHash: "$2b$10$h", scopes: ["ledger:read"])
        #expect {
            try capped.clients.create(huge, audit: fixture.cli)
        } throws: { error in
            guard case StoreError.diskFull = error else { return false }
            return "\(error)".contains("nothing was written")
        }
        #expect(try capped.clients.get("cl_big") == nil)
        #expect(try capped.auditEvents.events(after: 0, limit: 1000).count == eventsBefore)
        #expect(try capped.clientDirectory.changes(after: 0, limit: 10).entries.isEmpty)
        // Small writes still fit afterwards, and the chain is intact.
        let small = NewClient(clientID: "cl_small", orgID: "acme", name: "small", secretHash: "$2b$10$h",
                              scopes: ["ledger:read"])
        guard case .created = try capped.clients.create(small, audit: fixture.cli) else {
            Issue.record("expected the small client to be created")
            return
        }
        #expect(try fixture.audit.verify().isValid)
    }
}

extension StoreFixture {
    /// A second store on the same file whose connections are capped at `maxPageCount` pages.
    static func reopen(_ fixture: StoreFixture, maxPageCount: Int) throws -> SQLiteStore {
        try SQLiteStore.open(directory: fixture.directory.path, clock: fixture.clock.storeClock,
                             configuration: SQLiteConfiguration(maxPageCount: maxPageCount))
    }
}
