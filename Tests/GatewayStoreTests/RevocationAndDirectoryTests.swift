import GatewayStore
import Testing

@Suite("Revocation feed and client directory")
struct RevocationAndDirectoryTests {
    @Test("the feed returns rows after a cursor in seq order, limited")
    func feedPaging() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient("cl_a")
        try fixture.makeClient("cl_b")
        try fixture.makeUser()
        _ = try fixture.store.clients.revoke("cl_a", reason: "r1", audit: fixture.cli)
        try fixture.store.revocations.revokeToken(jti: "jti-1", clientID: "cl_b",
                                                  expiresAt: fixture.clock.now.adding(seconds: 900),
                                                  reason: "user_request", audit: fixture.cli)
        _ = try fixture.store.users.disable("usr_one", reason: "r3", audit: fixture.cli)
        let all = try fixture.store.revocations.entries(after: 0, limit: 100)
        #expect(all.map(\.kind) == [.client, .token, .user])
        #expect(all.map(\.seq) == all.map(\.seq).sorted())
        let page = try fixture.store.revocations.entries(after: all[0].seq, limit: 1)
        #expect(page.map(\.subject) == ["jti-1"])
        #expect(try fixture.store.revocations.entries(after: all[2].seq, limit: 100).isEmpty)
    }

    @Test("revoking a token twice writes one row and one event")
    func revokeTokenOnce() throws {
        let fixture = try StoreFixture()
        let expiry = fixture.clock.now.adding(seconds: 900)
        let first = try fixture.store.revocations.revokeToken(jti: "jti-1", clientID: nil, expiresAt: expiry,
                                                              reason: "user_request", audit: fixture.cli)
        #expect(first?.expiresAt == expiry)
        #expect(try fixture.store.revocations.revokeToken(jti: "jti-1", clientID: nil, expiresAt: expiry,
                                                          reason: "again", audit: fixture.cli) == nil)
        #expect(try fixture.store.revocations.isTokenRevoked(jti: "jti-1"))
        #expect(try !fixture.store.revocations.isTokenRevoked(jti: "jti-2"))
        #expect(try fixture.auditTypes() == ["api.token_revoked"])
    }

    @Test("the snapshot holds revoked clients, unexpired revoked jtis, disabled users and the cursor")
    func snapshot() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient("cl_a")
        try fixture.makeClient("cl_b")
        try fixture.makeUser()
        _ = try fixture.store.clients.revoke("cl_a", reason: "r", audit: fixture.cli)
        let shortLived = fixture.clock.now.adding(seconds: 10)
        let longLived = fixture.clock.now.adding(seconds: 900)
        try fixture.store.revocations.revokeToken(jti: "short", clientID: "cl_b", expiresAt: shortLived, reason: "r",
                                                  audit: fixture.cli)
        try fixture.store.revocations.revokeToken(jti: "long", clientID: "cl_b", expiresAt: longLived, reason: "r",
                                                  audit: fixture.cli)
        _ = try fixture.store.users.disable("usr_one", reason: "r", audit: fixture.cli)
        fixture.clock.advance(seconds: 60)
        let snapshot = try fixture.store.revocations.snapshot()
        #expect(snapshot.clientIDs == ["cl_a"])
        #expect(snapshot.tokenJTIs == ["long": longLived])
        #expect(snapshot.disabledUserIDs == ["usr_one"])
        #expect(snapshot.cursor == (try fixture.store.revocations.entries(after: 0, limit: 100).last?.seq))
    }

    @Test("the client directory returns every client from cursor 0, then only changes")
    func directory() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient("cl_a", rpm: 100)
        try fixture.makeClient("cl_b")
        let directory = fixture.store.clientDirectory
        let full = try directory.changes(after: 0, limit: 100)
        #expect(full.entries.map(\.clientID) == ["cl_a", "cl_b"])
        #expect(full.entries.first == ClientDirectoryEntry(clientID: "cl_a", orgID: "acme", rpm: 100, status: .active,
                                                           debugLog: false, version: full.entries[0].version))
        let idle = try directory.changes(after: full.cursor, limit: 100)
        #expect(idle.entries.isEmpty)
        #expect(idle.cursor == full.cursor)

        _ = try fixture.store.clients.setRateLimit("cl_a", rpm: 5, audit: fixture.cli)
        _ = try fixture.store.clients.setDebugLog("cl_b", enabled: true, audit: fixture.cli)
        _ = try fixture.store.clients.revoke("cl_a", reason: "r", audit: fixture.cli)
        let changed = try directory.changes(after: full.cursor, limit: 100)
        #expect(changed.entries.map(\.clientID) == ["cl_b", "cl_a"])
        #expect(changed.entries.last?.status == .revoked)
        #expect(changed.entries.last?.rpm == 5)
        #expect(changed.entries.first?.debugLog == true)
        #expect(changed.cursor > full.cursor)

        let paged = try directory.changes(after: 0, limit: 1)
        #expect(paged.entries.count == 1)
        #expect(try directory.changes(after: paged.cursor, limit: 10).entries.count == 1)
    }

    @Test("a raw SQL update of a client also advances the directory cursor")
    func directoryCursorFromTrigger() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient("cl_a")
        let start = try fixture.store.clientDirectory.changes(after: 0, limit: 100).cursor
        try fixture.rawConnection().run("UPDATE clients SET rpm = 7 WHERE client_id = 'cl_a'")
        let page = try fixture.store.clientDirectory.changes(after: start, limit: 100)
        #expect(page.entries.map(\.rpm) == [7])
    }
}
