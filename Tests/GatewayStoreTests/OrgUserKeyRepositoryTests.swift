import GatewayStore
import Testing

@Suite("Org, user and signing-key repositories")
struct OrgUserKeyRepositoryTests {
    @Test("orgs: create, get, list, duplicate id conflicts, bad scopes refused")
    func orgs() throws {
        let fixture = try StoreFixture()
        let acme = try fixture.makeOrg("acme", scopes: ["b:write", "a:read", "a:read"])
        #expect(acme.scopePolicy == ["a:read", "b:write"])
        try fixture.makeOrg("beta")
        #expect(try fixture.store.orgs.get("acme") == acme)
        #expect(try fixture.store.orgs.get("missing") == nil)
        #expect(try fixture.store.orgs.list().map(\.id) == ["acme", "beta"])
        #expect {
            try fixture.makeOrg("acme")
        } throws: { error in
            if case StoreError.conflict = error { return true }
            return false
        }
        #expect(throws: StoreError.self) { try fixture.makeOrg("gamma", scopes: ["bad scope"]) }
        #expect(throws: StoreError.self) { try fixture.makeOrg("") }
        #expect(try fixture.auditTypes() == ["api.org_created", "api.org_created"])
    }

    @Test("users: create, lookup by e-mail ignoring case, duplicate e-mail conflicts")
    func users() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        let ada = try fixture.makeUser("usr_ada", email: "Ada@Example.com")
        #expect(try fixture.store.users.get(email: "ada@example.COM") == ada)
        #expect(try fixture.store.users.get(id: "usr_ada") == ada)
        #expect(try fixture.store.users.get(email: "bob@example.com") == nil)
        #expect {
            try fixture.makeUser("usr_other", email: "ADA@example.com")
        } throws: { error in
            if case StoreError.conflict = error { return true }
            return false
        }
        #expect(throws: StoreError.self) { try fixture.makeUser("usr_x", email: "not-an-email") }
        #expect(throws: StoreError.self) { try fixture.makeUser("usr_y", org: "missing", email: "y@example.com") }
        #expect(try fixture.auditTypes().last == "api.user_created")
    }

    @Test("disabling a user feeds the revocation feed once and is audited once")
    func disableUser() throws {
        let fixture = try StoreFixture()
        try fixture.makeOrg()
        try fixture.makeUser()
        let disabled = try fixture.store.users.disable("usr_one", reason: "left_company", audit: fixture.cli)
        #expect(disabled.status == .disabled)
        #expect(disabled.disabledAt == fixture.clock.now)
        #expect(try fixture.store.users.disable("usr_one", reason: "again", audit: fixture.cli).status == .disabled)
        let feed = try fixture.store.revocations.entries(after: 0, limit: 10)
        #expect(feed.map(\.kind) == [.user])
        #expect(feed.map(\.subject) == ["usr_one"])
        #expect(try fixture.auditTypes().filter { $0 == "api.user_disabled" }.count == 1)
        #expect(throws: StoreError.self) { try fixture.store.users.disable("usr_missing", reason: "x", audit: fixture.cli) }
    }

    @Test("signing keys: one active key; rotation retires it with not_after = now + max token TTL")
    func signingKeys() throws {
        let fixture = try StoreFixture()
        let keys = fixture.store.signingKeys
        #expect(try keys.active() == nil)
        let first = try keys.rotate(to: key("key_a"), maxTokenLifetimeSeconds: 900, audit: fixture.cli)
        #expect(try keys.active() == first)
        fixture.clock.advance(seconds: 60)
        let rotatedAt = fixture.clock.now
        let second = try keys.rotate(to: key("key_b"), maxTokenLifetimeSeconds: 900, audit: fixture.cli)
        #expect(try keys.active() == second)
        let retired = try #require(try keys.get(kid: "key_a"))
        #expect(retired.retiredAt == rotatedAt)
        #expect(retired.notAfter == rotatedAt.adding(seconds: 900))
        #expect(try keys.verificationKeys().map(\.kid) == ["key_b", "key_a"])
        fixture.clock.advance(seconds: 900)
        #expect(try keys.verificationKeys().map(\.kid) == ["key_b"])
        let head = try #require(try fixture.store.auditEvents.head())
        #expect(head.type == "api.key_rotated")
        #expect(head.data.contains("\"retired_kid\":\"key_a\""))
    }

    @Test("signing keys: algorithms outside RS256/ES256 and reused kids are refused, nothing retired")
    func signingKeyValidation() throws {
        let fixture = try StoreFixture()
        let keys = fixture.store.signingKeys
        try keys.rotate(to: key("key_a"), maxTokenLifetimeSeconds: 900, audit: fixture.cli)
        #expect(throws: StoreError.self) {
            try keys.rotate(to: key("key_hs", algorithm: "HS256"), maxTokenLifetimeSeconds: 900, audit: fixture.cli)
        }
        #expect(throws: StoreError.self) {
            try keys.rotate(to: key("key_none", algorithm: "none"), maxTokenLifetimeSeconds: 900, audit: fixture.cli)
        }
        #expect {
            try keys.rotate(to: key("key_a"), maxTokenLifetimeSeconds: 900, audit: fixture.cli)
        } throws: { error in
            if case StoreError.conflict = error { return true }
            return false
        }
        #expect(try keys.active()?.kid == "key_a")
        #expect(try keys.get(kid: "key_a")?.retiredAt == nil)
    }

    @Test("the schema itself refuses a second active key")
    func singleActiveKeyInSQL() throws {
        let fixture = try StoreFixture()
        try fixture.store.signingKeys.rotate(to: key("key_a"), maxTokenLifetimeSeconds: 900, audit: fixture.cli)
        #expect(throws: StoreError.self) {
            try fixture.rawConnection().run("""
                INSERT INTO signing_keys (kid, alg, public_jwk, private_key_path, created_at)
                VALUES ('key_b', 'RS256', '{}', '/k', 0)
                """)
        }
    }

    private func key(_ kid: String, algorithm: String = "RS256") -> NewSigningKey {
        NewSigningKey(kid: kid, algorithm: algorithm, publicJWK: "{\"kty\":\"RSA\",\"kid\":\"\(kid)\"}",
                      privateKeyPath: "/data/keys/\(kid).pem")
    }
}
