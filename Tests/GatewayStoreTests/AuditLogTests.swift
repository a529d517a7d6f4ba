import Foundation
import GatewayAudit
import GatewayStore
import Testing

@Suite("Audit log")
struct AuditLogTests {
    /// A store whose log holds `count` events appended directly.
    private func fixtureWithEvents(_ count: Int) throws -> StoreFixture {
        let fixture = try StoreFixture()
        for index in 1...count {
            fixture.clock.advance(seconds: 1)
            try fixture.audit.append(AuditEvent(type: .tokenIssued, actor: "client:cl_\(index)", clientID: "cl_\(index)",
                                                orgID: "acme", requestID: "req-\(index)",
                                                data: ["jti": "jti-\(index)", "scope": "ledger:read"]))
        }
        return fixture
    }

    @Test("SHA-256 through EVP matches the FIPS 180-2 test vector")
    func sha256KnownAnswer() {
        #expect(AuditChainHasher.sha256Hex(Array("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the canonical encoding keeps field boundaries and NULL distinct from empty")
    func canonicalEncodingIsUnambiguous() {
        let base = AuditRecord(seq: 1, ts: Timestamp(milliseconds: 5), type: "t", actor: "ab", clientID: "c", orgID: nil,
                               reason: nil, requestID: nil, data: "{}", prevHash: AuditRecord.genesisHash, hash: "")
        var shifted = base
        shifted.actor = "a"
        shifted.clientID = "bc"
        var empty = base
        empty.orgID = ""
        let hasher = AuditChainHasher()
        #expect(hasher.chainHash(of: base) != hasher.chainHash(of: shifted))
        #expect(hasher.chainHash(of: base) != hasher.chainHash(of: empty))
        var counted = base
        counted.coalescedCount = 9
        counted.hash = "ignored"
        #expect(hasher.chainHash(of: base) == hasher.chainHash(of: counted))
    }

    @Test("the canonical encoding is the one docs/audit.md shows")
    func documentedEncoding() {
        let record = AuditRecord(seq: 1, ts: Timestamp(milliseconds: 1_767_225_600_000), type: "api.org_created",
                                 actor: "cli", clientID: nil, orgID: "acme", reason: nil, requestID: nil, data: "{}",
                                 prevHash: AuditRecord.genesisHash, hash: "")
        let expected = "portcullis-audit-v1i1;i1767225600000;s15:api.org_createds3:clins4:acmenns2:{}s64:"
            + AuditRecord.genesisHash
        #expect(String(decoding: AuditChainHasher.canonicalEncoding(of: record), as: UTF8.self) == expected)
    }

    @Test("an empty log verifies with the genesis head")
    func emptyLog() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.audit.verify() == .valid(count: 0, headSeq: 0, headHash: AuditRecord.genesisHash))
        #expect(try fixture.audit.exportLines().isEmpty)
    }

    @Test("appended rows chain from the genesis hash and verify")
    func appendAndVerify() throws {
        let fixture = try fixtureWithEvents(5)
        let rows = try fixture.store.auditEvents.events(after: 0, limit: 100)
        #expect(rows.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(rows[0].prevHash == AuditRecord.genesisHash)
        for index in 1..<rows.count { #expect(rows[index].prevHash == rows[index - 1].hash) }
        #expect(try fixture.audit.verify() == .valid(count: 5, headSeq: 5, headHash: rows[4].hash))
        let small = AuditLog(store: fixture.store.auditEvents, pageSize: 2)
        #expect(try small.verify().isValid)
        #expect(try small.exportLines().count == 5)
    }

    @Test("export writes one JSON object per row with every field")
    func export() throws {
        let fixture = try fixtureWithEvents(2)
        let lines = try fixture.audit.exportLines()
        #expect(lines.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(object["seq"] as? Int == 2)
        #expect(object["type"] as? String == "api.token_issued")
        #expect(object["actor"] as? String == "client:cl_2")
        #expect(object["client_id"] as? String == "cl_2")
        #expect(object["org_id"] as? String == "acme")
        #expect(object["request_id"] as? String == "req-2")
        #expect(object["reason"] is NSNull)
        #expect((object["data"] as? [String: String])?["jti"] == "jti-2")
        #expect(object["ts"] as? String == "2026-01-01T00:00:02.000Z")
        #expect((object["prev_hash"] as? String)?.count == 64)
        #expect(object["count"] == nil)
        #expect(lines[0].hasPrefix("{\"seq\":1,\"ts\":"))
    }

    @Test("the store's own connections refuse UPDATE and DELETE on audit_events; an outside edit reaches the file")
    func theProgramCannotRewriteHistory() throws {
        let fixture = try fixtureWithEvents(2)
        // Every connection the store lends, the one that migrated the schema and new ones alike.
        try fixture.store.database.withConnection { first in
            try fixture.store.database.withConnection { second in
                for connection in [first, second] {
                    #expect(throws: StoreError.self) {
                        try connection.run("UPDATE audit_events SET actor = 'someone' WHERE seq = 1")
                    }
                    #expect(throws: StoreError.self) { try connection.run("DELETE FROM audit_events WHERE seq = 2") }
                }
            }
        }
        #expect(try fixture.audit.verify().isValid)
        // No schema trigger is left to stop an examiner's (or an attacker's) edit: verify catches it.
        let raw = try fixture.rawConnection()
        #expect(try raw.queryOne("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'audit_events%'") {
            $0.int(0)
        } == 0)
        try raw.run("UPDATE audit_events SET actor = 'someone' WHERE seq = 1")
        #expect(try fixture.audit.verify().firstBadSeq == 1)
    }

    @Test("editing a row is reported at that row")
    func detectsEdit() throws {
        let fixture = try fixtureWithEvents(5)
        let raw = try fixture.rawConnection()
        try raw.run("UPDATE audit_events SET data = '{\"jti\":\"forged\"}' WHERE seq = 3")
        #expect(try fixture.audit.verify().firstBadSeq == 3)
    }

    @Test("editing a row and recomputing its hash is reported at the next row")
    func detectsEditWithRehash() throws {
        let fixture = try fixtureWithEvents(5)
        let raw = try fixture.rawConnection()
        var row = try #require(try fixture.store.auditEvents.events(after: 2, limit: 1).first)
        row.actor = "attacker"
        row.hash = AuditChainHasher().chainHash(of: row)
        try raw.run("UPDATE audit_events SET actor = ?, hash = ? WHERE seq = 3", row.actor, row.hash)
        #expect(try fixture.audit.verify().firstBadSeq == 4)
    }

    @Test("deleting a row is reported at the missing seq")
    func detectsDelete() throws {
        let fixture = try fixtureWithEvents(5)
        let raw = try fixture.rawConnection()
        try raw.run("DELETE FROM audit_events WHERE seq = 2")
        #expect(try fixture.audit.verify().firstBadSeq == 2)
    }

    @Test("swapping two rows' contents is reported at the first of them")
    func detectsReorder() throws {
        let fixture = try fixtureWithEvents(5)
        let raw = try fixture.rawConnection()
        try raw.execute("""
            CREATE TEMP TABLE saved AS SELECT * FROM audit_events WHERE seq IN (2, 4);
            DELETE FROM audit_events WHERE seq IN (2, 4);
            INSERT INTO audit_events SELECT 6 - seq, ts, type, actor, client_id, org_id, reason, request_id, data,
                prev_hash, hash FROM saved;
            """)
        #expect(try fixture.audit.verify().firstBadSeq == 2)
    }

    @Test("inserting a row, in the middle or at the end, is reported")
    func detectsInsert() throws {
        let fixture = try fixtureWithEvents(4)
        let raw = try fixture.rawConnection()
        // At the end, with a made-up hash.
        try raw.run("""
            INSERT INTO audit_events (seq, ts, type, actor, data, prev_hash, hash)
            VALUES (5, 0, 'api.client_created', 'attacker', '{}', ?, ?)
            """, String(repeating: "a", count: 64), String(repeating: "b", count: 64))
        #expect(try fixture.audit.verify().firstBadSeq == 5)
        try raw.run("DELETE FROM audit_events WHERE seq = 5")
        // In the middle: shift rows 3…4 up by one and put a forged row 3 with a valid-looking link.
        try raw.execute("UPDATE audit_events SET seq = seq + 10 WHERE seq >= 3; UPDATE audit_events SET seq = seq - 9 WHERE seq >= 13;")
        let previous = try #require(try fixture.store.auditEvents.events(after: 1, limit: 1).first)
        var forged = AuditRecord(seq: 3, ts: previous.ts, type: "api.client_created", actor: "attacker", clientID: "cl_x",
                                 orgID: nil, reason: nil, requestID: nil, data: "{}", prevHash: previous.hash, hash: "")
        forged.hash = AuditChainHasher().chainHash(of: forged)
        try raw.run("INSERT INTO audit_events (seq, ts, type, actor, client_id, data, prev_hash, hash) VALUES (3, ?, ?, ?, ?, ?, ?, ?)",
                    forged.ts, forged.type, forged.actor, forged.clientID, forged.data, forged.prevHash, forged.hash)
        #expect(try fixture.audit.verify().firstBadSeq == 4)
    }

    @Test("an anchor catches truncation and a whole-chain rewrite")
    func anchor() throws {
        let fixture = try fixtureWithEvents(4)
        guard case .valid(_, let headSeq, let headHash) = try fixture.audit.verify() else {
            Issue.record("expected a valid log")
            return
        }
        let anchor = AuditAnchor(seq: headSeq, hash: headHash)
        #expect(try fixture.audit.verify(anchor: anchor).isValid)
        let third = try #require(try fixture.store.auditEvents.events(after: 2, limit: 1).first)
        let olderAnchor = AuditAnchor(seq: 3, hash: third.hash)
        #expect(try fixture.audit.verify(anchor: olderAnchor).isValid)
        let raw = try fixture.rawConnection()
        // Truncation of the newest row leaves a valid chain; only the anchor notices.
        try raw.run("DELETE FROM audit_events WHERE seq = 4")
        #expect(try fixture.audit.verify().isValid)
        #expect(try fixture.audit.verify(anchor: anchor).firstBadSeq == 4)
        // Rewriting every hash from row 1 on: chain valid again, anchor still disagrees.
        var previous = AuditRecord.genesisHash
        for var row in try fixture.store.auditEvents.events(after: 0, limit: 100) {
            row.actor = "rewritten"
            row.prevHash = previous
            row.hash = AuditChainHasher().chainHash(of: row)
            try raw.run("UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                        row.actor, row.prevHash, row.hash, row.seq)
            previous = row.hash
        }
        #expect(try fixture.audit.verify().isValid)
        #expect(try fixture.audit.verify(anchor: olderAnchor).firstBadSeq == 3)
    }

    @Test("a state change and its event commit together: a failing append leaves the change undone")
    func eventsShareTheTransaction() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient()
        try fixture.rawConnection().execute("""
            CREATE TRIGGER refuse_appends BEFORE INSERT ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END;
            """)
        #expect(throws: StoreError.self) {
            try fixture.store.clients.revoke("cl_one", reason: "compromised", audit: fixture.cli)
        }
        #expect(try fixture.store.clients.get("cl_one")?.status == .active)
        #expect(try fixture.store.revocations.entries(after: 0, limit: 10).isEmpty)
        #expect(throws: StoreError.self) { try fixture.makeClient("cl_two") }
        #expect(try fixture.store.clients.get("cl_two") == nil)
    }

    @Test("appends from many threads produce one contiguous valid chain")
    func concurrentAppends() throws {
        let fixture = try StoreFixture()
        let log = fixture.audit
        onThreads(6) { index in
            for round in 0..<10 {
                _ = try? log.append(AuditEvent(type: .tokenIssued, actor: "client:\(index)", data: ["round": "\(round)"]))
            }
        }
        #expect(try log.verify() == .valid(count: 60, headSeq: 60, headHash: try #require(try fixture.store.auditEvents.head()).hash))
    }
}
