import GatewayStore
import Synchronization
import Testing

@Suite("Client repository")
struct ClientRepositoryTests {
    @Test("create stores every field, normalises scopes and appends api.client_created")
    func create() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        let client = try fixture.makeClient(scopes: ["ledger:write", "ledger:read", "ledger:read"], rpm: 120)
        #expect(client.scopes == ["ledger:read", "ledger:write"])
        #expect(client.rpm == 120)
        #expect(client.status == .active)
        #expect(client.redirectURIs == ["https://app.example/cb"])
        #expect(client.secretHash == "$2b$10$hash-of-cl_one")
        #expect(client.createdAt == fixture.clock.now)
        #expect(try fixture.store.clients.get("cl_one") == client)
        #expect(try fixture.auditTypes() == ["api.org_created", "api.client_created"])
        let event = try #require(try fixture.store.auditEvents.head())
        #expect(event.clientID == "cl_one")
        #expect(event.orgID == "acme")
        #expect(event.actor == "cli")
        #expect(event.requestID == "req-test")
        #expect(!event.data.contains("$2b$"))
    }

    @Test("a scope outside the org policy is refused with scopeOutsidePolicy and nothing is written")
    func scopePolicy() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg(scopes: ["ledger:read"])
        #expect(throws: StoreError.scopeOutsidePolicy(orgID: "acme", scopes: ["admin"])) {
            try fixture.makeClient(scopes: ["ledger:read", "admin"])
        }
        #expect(try fixture.store.clients.list(orgID: nil).isEmpty)
        #expect(try fixture.auditTypes() == ["api.org_created"])
    }

    @Test("unknown org, bad ids, bad rpm and secret/public mismatch are refused")
    func validation() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError.self) { try fixture.makeClient(org: "nope") }
        try fixture.makeOrg()
        #expect(throws: StoreError.self) { try fixture.makeClient("has space") }
        #expect(throws: StoreError.self) { try fixture.makeClient(rpm: 0) }
        let publicWithSecret = NewClient(clientID: "cl_pub", orgID: "acme", name: "p", secretHash: "$2b$x",
                                         scopes: [], isPublic: true)
        #expect(throws: StoreError.self) { try fixture.store.clients.create(publicWithSecret, audit: fixture.cli) }
        let confidentialWithout = NewClient(clientID: "cl_c", orgID: "acme", name: "c", secretHash: nil, scopes: [])
        #expect(throws: StoreError.self) { try fixture.store.clients.create(confidentialWithout, audit: fixture.cli) }
        try fixture.makeClient("cl_dup")
        #expect {
            try fixture.makeClient("cl_dup")
        } throws: { error in
            if case StoreError.conflict = error { return true }
            return false
        }
    }

    @Test("same external_id and same request → existing; different request → conflict; other org is separate")
    func idempotentCreation() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeOrg("other")
        let first = try fixture.makeClient("cl_a", externalID: "ext-1")
        let replay = NewClient(clientID: "cl_b", orgID: "acme", name: "Client cl_a", secretHash: "$2b$10$another",
                               scopes: ["ledger:read"], redirectURIs: ["https://app.example/cb"], externalID: "ext-1")
        #expect(try fixture.store.clients.create(replay, audit: fixture.cli) == .existing(first))
        var changed = replay
        changed.scopes = ["ledger:write"]
        #expect(try fixture.store.clients.create(changed, audit: fixture.cli) == .conflict(first))
        #expect(try fixture.store.clients.find(orgID: "acme", externalID: "ext-1") == first)
        try fixture.makeClient("cl_c", org: "other", externalID: "ext-1")
        #expect(try fixture.store.clients.list(orgID: "acme").map(\.clientID) == ["cl_a"])
        #expect(try fixture.store.clients.list(orgID: nil).count == 2)
        #expect(try fixture.auditTypes().filter { $0 == "api.client_created" }.count == 2)
    }

    @Test("concurrent creations of one external_id from many threads yield exactly one client")
    func concurrentIdempotentCreation() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        let outcomes = Mutex<[String]>([])
        let store = fixture.store
        let audit = fixture.cli
        onThreads(8) { index in
            let request = NewClient(clientID: "cl_thread\(index)", orgID: "acme", name: "same", secretHash: "$2b$10$h\(index)",
                                    scopes: ["ledger:read"], externalID: "shared")
            let label: String
            do {
                switch try store.clients.create(request, audit: audit) {
                case .created(let client): label = "created:\(client.clientID)"
                case .existing(let client): label = "existing:\(client.clientID)"
                case .conflict: label = "conflict"
                }
            } catch {
                label = "error:\(error)"
            }
            outcomes.withLock { $0.append(label) }
        }
        let results = outcomes.withLock { $0 }
        let created = results.filter { $0.hasPrefix("created:") }
        #expect(results.count == 8)
        #expect(created.count == 1)
        let winner = String(created[0].dropFirst("created:".count))
        #expect(results.filter { $0 == "existing:\(winner)" }.count == 7)
        #expect(try fixture.store.clients.list(orgID: "acme").map(\.clientID) == [winner])
        #expect(try fixture.auditTypes().filter { $0 == "api.client_created" }.count == 1)
    }

    @Test("revoke is terminal: records reason and actor, feeds the revocation feed, refuses further changes")
    func revoke() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient()
        fixture.clock.advance(seconds: 5)
        let outcome = try fixture.store.clients.revoke("cl_one", reason: "compromised",
                                                       audit: AuditContext(actor: "user:admin"))
        guard case .revoked(let revoked) = outcome else {
            Issue.record("expected .revoked, got \(outcome)")
            return
        }
        #expect(revoked.status == .revoked)
        #expect(revoked.revokedReason == "compromised")
        #expect(revoked.revokedBy == "user:admin")
        #expect(revoked.revokedAt == fixture.clock.now)
        #expect(revoked.acceptedSecretHashes(at: fixture.clock.now).isEmpty)
        #expect(try fixture.store.clients.revoke("cl_one", reason: "again", audit: fixture.cli) == .alreadyRevoked(revoked))
        #expect(throws: StoreError.self) {
            try fixture.store.clients.rotateSecret("cl_one", newSecretHash: "$2b$new", previousValidUntil: nil,
                                                   audit: fixture.cli)
        }
        #expect(throws: StoreError.self) { try fixture.store.clients.setRateLimit("cl_one", rpm: 5, audit: fixture.cli) }
        #expect(throws: StoreError.self) { try fixture.store.clients.setDebugLog("cl_one", enabled: true, audit: fixture.cli) }
        let feed = try fixture.store.revocations.entries(after: 0, limit: 10)
        #expect(feed.map(\.kind) == [.client])
        #expect(feed.first?.subject == "cl_one")
        #expect(feed.first?.reason == "compromised")
        #expect(try fixture.auditTypes().last == "api.client_revoked")
        #expect(try fixture.auditTypes().filter { $0 == "api.client_revoked" }.count == 1)
        #expect(throws: StoreError.self) { try fixture.store.clients.revoke("cl_missing", reason: "x", audit: fixture.cli) }
    }

    @Test("the SQL trigger refuses REVOKED → ACTIVE even for raw SQL")
    func revokedTriggerInSQL() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient()
        _ = try fixture.store.clients.revoke("cl_one", reason: "compromised", audit: fixture.cli)
        let raw = try fixture.rawConnection()
        #expect {
            try raw.run("UPDATE clients SET status = 'ACTIVE', revoked_at = NULL WHERE client_id = 'cl_one'")
        } throws: { error in
            guard case StoreError.constraint(let message) = error else { return false }
            return message.contains("terminal")
        }
        #expect(try fixture.store.clients.get("cl_one")?.status == .revoked)
    }

    @Test("rotating the secret keeps the previous hash only during the grace period")
    func rotateSecret() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        let original = try fixture.makeClient()
        let graceUntil = fixture.clock.now.adding(seconds: 3600)
        let rotated = try fixture.store.clients.rotateSecret("cl_one", newSecretHash: "$2b$10$second",
                                                             previousValidUntil: graceUntil, audit: fixture.cli)
        #expect(rotated.secretHash == "$2b$10$second")
        #expect(rotated.previousSecretHash == original.secretHash)
        #expect(rotated.acceptedSecretHashes(at: fixture.clock.now) == ["$2b$10$second", original.secretHash!])
        #expect(rotated.acceptedSecretHashes(at: graceUntil) == ["$2b$10$second"])
        let immediate = try fixture.store.clients.rotateSecret("cl_one", newSecretHash: "$2b$10$third",
                                                               previousValidUntil: nil, audit: fixture.cli)
        #expect(immediate.previousSecretHash == nil)
        #expect(immediate.acceptedSecretHashes(at: fixture.clock.now) == ["$2b$10$third"])
        #expect(try fixture.auditTypes().suffix(2) == ["api.secret_rotated", "api.secret_rotated"])
    }

    @Test("rpm and debug flag changes bump the version and are audited")
    func updates() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        let client = try fixture.makeClient()
        let limited = try fixture.store.clients.setRateLimit("cl_one", rpm: 60, audit: fixture.cli)
        #expect(limited.rpm == 60)
        #expect(limited.version > client.version)
        let debugging = try fixture.store.clients.setDebugLog("cl_one", enabled: true, audit: fixture.cli)
        #expect(debugging.debugLog)
        #expect(debugging.version > limited.version)
        let reset = try fixture.store.clients.setRateLimit("cl_one", rpm: nil, audit: fixture.cli)
        #expect(reset.rpm == nil)
        #expect(try fixture.auditTypes().suffix(3) == ["api.client_updated", "api.client_updated", "api.client_updated"])
        #expect(throws: StoreError.self) { try fixture.store.clients.setRateLimit("cl_missing", rpm: 1, audit: fixture.cli) }
    }
}
