import GatewayStore
import Synchronization
import Testing

@Suite("Authorization codes and refresh tokens")
struct GrantRepositoryTests {
    /// An org, a client `cl_one`, a user `usr_one`, and a stored code `code-hash`.
    private func fixtureWithCode(expiresIn seconds: Int64 = 60) throws -> StoreFixture {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeClient(scopes: ["ledger:read", "ledger:write"])
        try fixture.makeClient("cl_two")
        try fixture.makeUser()
        _ = try fixture.store.authorizationCodes.insert(
            NewAuthorizationCode(codeHash: "code-hash", clientID: "cl_one", userID: "usr_one",
                                 redirectURI: "https://app.example/cb", scopes: ["ledger:read", "ledger:write"],
                                 codeChallenge: "challenge", expiresAt: fixture.clock.now.adding(seconds: seconds)),
            audit: AuditContext(actor: "user:usr_one"))
        return fixture
    }

    private func issuing(_ fixture: StoreFixture, jti: String, refresh: String?) -> IssuedTokens {
        IssuedTokens(grantType: "authorization_code", accessJTI: jti,
                     accessExpiresAt: fixture.clock.now.adding(seconds: 900), accessScopes: ["ledger:read"],
                     refreshTokenHash: refresh, refreshExpiresAt: refresh == nil ? nil : fixture.clock.now.adding(seconds: 86_400))
    }

    @Test("a code is stored with api.authorization_granted and read back unchanged")
    func insertAndGet() throws {
        let fixture = try fixtureWithCode()
        let code = try #require(try fixture.store.authorizationCodes.get(codeHash: "code-hash"))
        #expect(code.clientID == "cl_one")
        #expect(code.codeChallengeMethod == "S256")
        #expect(code.usedAt == nil)
        #expect(try fixture.auditTypes().last == "api.authorization_granted")
        #expect(try fixture.store.authorizationCodes.get(codeHash: "other") == nil)
    }

    @Test("a code is consumed once; the replay revokes the issued access token and refresh family")
    func consumeOnceAndReuse() throws {
        let fixture = try fixtureWithCode()
        let codes = fixture.store.authorizationCodes
        let first = try codes.consume(codeHash: "code-hash", clientID: "cl_one",
                                      issuing: issuing(fixture, jti: "jti-1", refresh: "rt-1"), audit: fixture.cli)
        guard case .consumed(let used) = first else {
            Issue.record("expected .consumed, got \(first)")
            return
        }
        #expect(used.usedAt == fixture.clock.now)
        #expect(used.issuedTokenJTIs == ["jti-1"])
        #expect(used.refreshFamilyID == "rt-1")
        let refresh = try #require(try fixture.store.refreshTokens.get(tokenHash: "rt-1"))
        #expect(refresh.familyID == "rt-1")
        #expect(refresh.userID == "usr_one")
        #expect(refresh.scopes == ["ledger:read", "ledger:write"])
        #expect(try fixture.auditTypes().last == "api.token_issued")

        let replay = try codes.consume(codeHash: "code-hash", clientID: "cl_one",
                                       issuing: issuing(fixture, jti: "jti-2", refresh: "rt-2"), audit: fixture.cli)
        guard case .reused = replay else {
            Issue.record("expected .reused, got \(replay)")
            return
        }
        #expect(try fixture.store.revocations.isTokenRevoked(jti: "jti-1"))
        #expect(try !fixture.store.revocations.isTokenRevoked(jti: "jti-2"))
        #expect(try fixture.store.refreshTokens.get(tokenHash: "rt-1")?.revoked == true)
        #expect(try fixture.store.refreshTokens.get(tokenHash: "rt-2") == nil)
        #expect(try fixture.auditTypes().last == "api.authorization_code_reused")
    }

    @Test("expired, unknown and foreign codes change nothing")
    func consumeRefusals() throws {
        let fixture = try fixtureWithCode(expiresIn: 60)
        let codes = fixture.store.authorizationCodes
        let wrong = try codes.consume(codeHash: "code-hash", clientID: "cl_two",
                                      issuing: issuing(fixture, jti: "j", refresh: nil), audit: fixture.cli)
        guard case .wrongClient = wrong else {
            Issue.record("expected .wrongClient, got \(wrong)")
            return
        }
        #expect(try codes.consume(codeHash: "nope", clientID: "cl_one", issuing: issuing(fixture, jti: "j", refresh: nil),
                                  audit: fixture.cli) == .notFound)
        fixture.clock.advance(seconds: 60)
        let expired = try codes.consume(codeHash: "code-hash", clientID: "cl_one",
                                        issuing: issuing(fixture, jti: "j", refresh: nil), audit: fixture.cli)
        guard case .expired(let code) = expired else {
            Issue.record("expected .expired, got \(expired)")
            return
        }
        #expect(code.usedAt == nil)
        #expect(try fixture.auditTypes().last == "api.authorization_granted")
    }

    @Test("of many threads redeeming one code, exactly one succeeds")
    func concurrentCodeConsumption() throws {
        let fixture = try fixtureWithCode()
        let store = fixture.store
        let expiry = fixture.clock.now.adding(seconds: 900)
        let consumed = Atomic<Int>(0)
        let reused = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        onThreads(8) { index in
            let tokens = IssuedTokens(grantType: "authorization_code", accessJTI: "jti-\(index)", accessExpiresAt: expiry,
                                      accessScopes: ["ledger:read"])
            switch try? store.authorizationCodes.consume(codeHash: "code-hash", clientID: "cl_one", issuing: tokens,
                                                         audit: AuditContext(actor: "client:cl_one")) {
            case .consumed: consumed.add(1, ordering: .relaxed)
            case .reused: reused.add(1, ordering: .relaxed)
            default: failures.add(1, ordering: .relaxed)
            }
        }
        #expect(consumed.load(ordering: .relaxed) == 1)
        #expect(reused.load(ordering: .relaxed) == 7)
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(try fixture.auditTypes().filter { $0 == "api.token_issued" }.count == 1)
    }

    @Test("refresh rotation issues a successor in the same family with the original scopes")
    func rotate() throws {
        let fixture = try fixtureWithCode()
        _ = try fixture.store.authorizationCodes.consume(
            codeHash: "code-hash", clientID: "cl_one", issuing: issuing(fixture, jti: "jti-1", refresh: "rt-1"),
            audit: fixture.cli)
        fixture.clock.advance(seconds: 10)
        var next = issuing(fixture, jti: "jti-2", refresh: "rt-2")
        next.grantType = "refresh_token"
        let outcome = try fixture.store.refreshTokens.rotate(tokenHash: "rt-1", clientID: "cl_one", issuing: next,
                                                             audit: fixture.cli)
        guard case .consumed(let old) = outcome else {
            Issue.record("expected .consumed, got \(outcome)")
            return
        }
        #expect(old.usedAt == fixture.clock.now)
        let successor = try #require(try fixture.store.refreshTokens.get(tokenHash: "rt-2"))
        #expect(successor.familyID == "rt-1")
        #expect(successor.scopes == ["ledger:read", "ledger:write"])
        #expect(successor.accessJTI == "jti-2")
        #expect(successor.usedAt == nil)
        let event = try #require(try fixture.store.auditEvents.head())
        #expect(event.type == "api.token_issued")
        #expect(event.data.contains("\"grant_type\":\"refresh_token\""))
        #expect(event.data.contains("\"refresh_family_id\":\"rt-1\""))
        #expect(!event.data.contains("rt-2"))
    }

    @Test("reusing a rotated refresh token revokes the family and its live access tokens")
    func reuseRevokesFamily() throws {
        let fixture = try fixtureWithCode()
        let tokens = fixture.store.refreshTokens
        _ = try fixture.store.authorizationCodes.consume(
            codeHash: "code-hash", clientID: "cl_one", issuing: issuing(fixture, jti: "jti-1", refresh: "rt-1"),
            audit: fixture.cli)
        _ = try tokens.rotate(tokenHash: "rt-1", clientID: "cl_one", issuing: issuing(fixture, jti: "jti-2", refresh: "rt-2"),
                              audit: fixture.cli)
        let replay = try tokens.rotate(tokenHash: "rt-1", clientID: "cl_one",
                                       issuing: issuing(fixture, jti: "jti-3", refresh: "rt-3"), audit: fixture.cli)
        guard case .reused = replay else {
            Issue.record("expected .reused, got \(replay)")
            return
        }
        #expect(try tokens.get(tokenHash: "rt-2")?.revoked == true)
        #expect(try tokens.get(tokenHash: "rt-3") == nil)
        #expect(try fixture.store.revocations.isTokenRevoked(jti: "jti-1"))
        #expect(try fixture.store.revocations.isTokenRevoked(jti: "jti-2"))
        #expect(try fixture.auditTypes().last == "api.refresh_token_reused")
        let feedKinds = try fixture.store.revocations.entries(after: 0, limit: 100).map(\.kind)
        #expect(feedKinds.filter { $0 == .tokenFamily }.count == 1)
        // The legitimate holder's newest token is now refused as revoked.
        let later = try tokens.rotate(tokenHash: "rt-2", clientID: "cl_one",
                                      issuing: issuing(fixture, jti: "jti-4", refresh: "rt-4"), audit: fixture.cli)
        guard case .revoked = later else {
            Issue.record("expected .revoked, got \(later)")
            return
        }
    }

    @Test("expired, foreign and unknown refresh tokens change nothing; explicit revocation revokes the family")
    func refreshRefusalsAndRevocation() throws {
        let fixture = try fixtureWithCode()
        let tokens = fixture.store.refreshTokens
        _ = try fixture.store.authorizationCodes.consume(
            codeHash: "code-hash", clientID: "cl_one", issuing: issuing(fixture, jti: "jti-1", refresh: "rt-1"),
            audit: fixture.cli)
        let next = issuing(fixture, jti: "jti-2", refresh: "rt-2")
        #expect(try tokens.rotate(tokenHash: "missing", clientID: "cl_one", issuing: next, audit: fixture.cli) == .notFound)
        let foreign = try tokens.rotate(tokenHash: "rt-1", clientID: "cl_two", issuing: next, audit: fixture.cli)
        guard case .wrongClient(let untouched) = foreign else {
            Issue.record("expected .wrongClient, got \(foreign)")
            return
        }
        #expect(untouched.usedAt == nil)
        #expect(try !tokens.revokeFamily(ofTokenHash: "rt-1", clientID: "cl_two", reason: "r", audit: fixture.cli))
        #expect(try tokens.revokeFamily(ofTokenHash: "rt-1", clientID: "cl_one", reason: "user_request", audit: fixture.cli))
        #expect(try fixture.store.revocations.isTokenRevoked(jti: "jti-1"))
        #expect(try fixture.auditTypes().last == "api.token_revoked")
        let revoked = try tokens.rotate(tokenHash: "rt-1", clientID: "cl_one", issuing: next, audit: fixture.cli)
        guard case .revoked = revoked else {
            Issue.record("expected .revoked, got \(revoked)")
            return
        }

        let other = try fixtureWithCode()
        _ = try other.store.authorizationCodes.consume(
            codeHash: "code-hash", clientID: "cl_one", issuing: issuing(other, jti: "jti-1", refresh: "rt-1"),
            audit: other.cli)
        other.clock.advance(seconds: 86_400)
        let expired = try other.store.refreshTokens.rotate(tokenHash: "rt-1", clientID: "cl_one",
                                                           issuing: issuing(other, jti: "j", refresh: "rt-x"), audit: other.cli)
        guard case .expired = expired else {
            Issue.record("expected .expired, got \(expired)")
            return
        }
    }

    @Test("insert starts a family for other grants, audited as api.token_issued")
    func insertStartsFamily() throws {
        let fixture = try fixtureWithCode()
        var tokens = issuing(fixture, jti: "jti-p", refresh: "rt-p")
        tokens.grantType = "urn:example:custom"
        let record = try fixture.store.refreshTokens.insert(clientID: "cl_one", userID: "usr_one", scopes: ["ledger:read"],
                                                            issuing: tokens, audit: fixture.cli)
        #expect(record.familyID == "rt-p")
        #expect(record.accessJTI == "jti-p")
        #expect(record.scopes == ["ledger:read"])
        #expect(try fixture.auditTypes().last == "api.token_issued")
        #expect(throws: StoreError.self) {
            try fixture.store.refreshTokens.insert(clientID: "cl_one", userID: nil, scopes: [],
                                                   issuing: issuing(fixture, jti: "j", refresh: nil), audit: fixture.cli)
        }
        #expect(throws: StoreError.self) {
            try fixture.store.refreshTokens.insert(clientID: "cl_one", userID: "usr_nobody", scopes: [],
                                                   issuing: issuing(fixture, jti: "j", refresh: "rt-q"), audit: fixture.cli)
        }
    }

    @Test("of many threads rotating one refresh token, exactly one succeeds and the family ends revoked")
    func concurrentRotation() throws {
        let fixture = try fixtureWithCode()
        _ = try fixture.store.authorizationCodes.consume(
            codeHash: "code-hash", clientID: "cl_one", issuing: issuing(fixture, jti: "jti-0", refresh: "rt-0"),
            audit: fixture.cli)
        let store = fixture.store
        let expiry = fixture.clock.now.adding(seconds: 900)
        let refreshExpiry = fixture.clock.now.adding(seconds: 86_400)
        let consumed = Atomic<Int>(0)
        let reused = Atomic<Int>(0)
        onThreads(6) { index in
            let tokens = IssuedTokens(grantType: "refresh_token", accessJTI: "jti-t\(index)", accessExpiresAt: expiry,
                                      accessScopes: ["ledger:read"], refreshTokenHash: "rt-t\(index)",
                                      refreshExpiresAt: refreshExpiry)
            switch try? store.refreshTokens.rotate(tokenHash: "rt-0", clientID: "cl_one", issuing: tokens,
                                                   audit: AuditContext(actor: "client:cl_one")) {
            case .consumed: consumed.add(1, ordering: .relaxed)
            case .reused: reused.add(1, ordering: .relaxed)
            default: break
            }
        }
        #expect(consumed.load(ordering: .relaxed) == 1)
        #expect(reused.load(ordering: .relaxed) == 5)
        #expect(try fixture.auditTypes().filter { $0 == "api.refresh_token_reused" }.count == 5)
    }
}
