import GatewayStore
import Synchronization
import Testing
import TokenService

@Suite("Client authentication against the store")
struct ClientAuthenticatorTests {
    func authenticator(_ fixture: ServiceFixture, cache: SecretDigestCache = SecretDigestCache(),
                       throttle: AuthFailureThrottle = AuthFailureThrottle(),
                       now: MonotonicSeconds = MonotonicSeconds(1000)) -> ClientAuthenticator {
        ClientAuthenticator(store: fixture.counting, cache: cache, throttle: throttle,
                            clock: fixture.clock.storeClock, monotonicSeconds: { now.value })
    }

    func post(_ id: String, _ secret: String?) -> ClientCredentials {
        ClientCredentials(clientID: id, secret: secret, method: secret == nil ? .none : .clientSecretPost)
    }

    @Test("a returning client is checked by HMAC without bcrypt or a store read")
    func returningClient() throws {
        let fixture = try ServiceFixture()
        let (client, secret) = try fixture.makeClient()
        let auth = authenticator(fixture)
        let first = try auth.authenticate(post(client.clientID, secret), address: "10.0.0.1").get()
        #expect(first.client.clientID == client.clientID)
        #expect(first.orgPolicy == ["clients:write", "ledger:read", "ledger:write"])
        let readsAfterFirst = fixture.counting.clientReads.load(ordering: .relaxed)
        #expect(readsAfterFirst == 1)
        for _ in 0..<5 { _ = try auth.authenticate(post(client.clientID, secret), address: "10.0.0.1").get() }
        #expect(fixture.counting.clientReads.load(ordering: .relaxed) == readsAfterFirst)
        // A wrong secret for a remembered, unchanged client fails after one read, keeping the entry.
        #expect(code(auth.authenticate(post(client.clientID, "wrong"), address: "10.0.0.1")) == .invalidClient)
        #expect(fixture.counting.clientReads.load(ordering: .relaxed) == readsAfterFirst + 1)
        _ = try auth.authenticate(post(client.clientID, secret), address: "10.0.0.1").get()
        #expect(fixture.counting.clientReads.load(ordering: .relaxed) == readsAfterFirst + 1)
    }

    @Test("a secret rotated elsewhere works before the directory feed is polled")
    func rotatedElsewhere() throws {
        let fixture = try ServiceFixture()
        let cache = SecretDigestCache()
        let auth = authenticator(fixture, cache: cache)
        let (client, secret) = try fixture.makeClient()
        _ = try auth.authenticate(post(client.clientID, secret), address: "a").get()
        // "Another process" rotates; this cache still remembers the old secret.
        let (_, newSecret) = try fixture.administration.rotateSecret(clientID: client.clientID, audit: fixture.cli)
        #expect(try auth.authenticate(post(client.clientID, newSecret), address: "a").get().client.clientID == client.clientID)
        #expect(code(auth.authenticate(post(client.clientID, secret), address: "a")) == .invalidClient)
    }

    @Test("unknown clients, wrong secrets and over-long inputs are invalid_client")
    func failures() throws {
        let fixture = try ServiceFixture()
        let (client, _) = try fixture.makeClient()
        let auth = authenticator(fixture)
        #expect(code(auth.authenticate(post("cl_nobody", "x"), address: "a")) == .invalidClient)
        #expect(code(auth.authenticate(post(client.clientID, "wrong"), address: "a")) == .invalidClient)
        #expect(code(auth.authenticate(post(client.clientID, String(repeating: "s", count: 73)), address: "a")) == .invalidClient)
        #expect(code(auth.authenticate(post(String(repeating: "c", count: 129), "x"), address: "a")) == .invalidClient)
        #expect(code(auth.authenticate(post(client.clientID, nil), address: "a")) == .invalidClient)
    }

    @Test("revoking or rotating through the administration drops the remembered secret")
    func directInvalidation() throws {
        let fixture = try ServiceFixture()
        let cache = SecretDigestCache()
        let auth = authenticator(fixture, cache: cache)
        let admin = ClientAdministration(store: fixture.store, bcrypt: fixture.bcrypt, cache: cache)
        let (first, firstSecret) = try fixture.makeClient()
        let (second, secondSecret) = try fixture.makeClient()
        _ = try auth.authenticate(post(first.clientID, firstSecret), address: "a").get()
        _ = try auth.authenticate(post(second.clientID, secondSecret), address: "a").get()

        let (_, newSecret) = try admin.rotateSecret(clientID: first.clientID, audit: fixture.cli)
        #expect(code(auth.authenticate(post(first.clientID, firstSecret), address: "a")) == .invalidClient)
        #expect(try auth.authenticate(post(first.clientID, newSecret), address: "a").get().client.clientID == first.clientID)

        _ = try admin.revoke(clientID: second.clientID, reason: "compromised", audit: fixture.cli)
        #expect(code(auth.authenticate(post(second.clientID, secondSecret), address: "a")) == .invalidClient)
    }

    @Test("a change made by another process reaches the cache through the client directory")
    func feedInvalidation() throws {
        let fixture = try ServiceFixture()
        let cache = SecretDigestCache()
        let auth = authenticator(fixture, cache: cache)
        let follower = ClientDirectoryFollower(directory: fixture.store.clientDirectory, cache: cache)
        try follower.poll()
        let (client, secret) = try fixture.makeClient()
        _ = try auth.authenticate(post(client.clientID, secret), address: "a").get()
        #expect(try follower.poll() == 1)  // the creation: harmless invalidation
        _ = try auth.authenticate(post(client.clientID, secret), address: "a").get()
        guard case .hit = cache.lookup(clientID: client.clientID, secret: secret) else {
            Issue.record("expected the secret to be remembered")
            return
        }
        // "The CLI" revokes through its own administration, without this process's cache.
        _ = try fixture.administration.revoke(clientID: client.clientID, reason: "offboarded", audit: fixture.cli)
        #expect(try follower.poll() == 1)
        #expect(cache.lookup(clientID: client.clientID, secret: secret) == .miss)
        #expect(code(auth.authenticate(post(client.clientID, secret), address: "a")) == .invalidClient)
    }

    @Test("repeated failures stop bcrypt with slow_down, but a remembered client still passes")
    func throttled() throws {
        let fixture = try ServiceFixture()
        let now = MonotonicSeconds(1000)
        let auth = authenticator(fixture, throttle: AuthFailureThrottle(maxPerClient: 3, maxPerAddress: 100),
                                 now: now)
        let (victim, victimSecret) = try fixture.makeClient()
        let (other, otherSecret) = try fixture.makeClient()
        _ = try auth.authenticate(post(victim.clientID, victimSecret), address: "10.0.0.1").get()  // remembered
        for _ in 0..<3 { _ = auth.authenticate(post(other.clientID, "guess"), address: "6.6.6.6") }
        let blocked = auth.authenticate(post(other.clientID, otherSecret), address: "10.0.0.2")
        guard case .failure(let error) = blocked else {
            Issue.record("expected slow_down")
            return
        }
        #expect(error.code == .slowDown)
        #expect(error.retryAfterSeconds == 60)
        #expect(error.response(realm: "r").status == 429)
        // Guesses against a remembered client cost no bcrypt and do not lock it out.
        for _ in 0..<5 { _ = auth.authenticate(post(victim.clientID, "guess"), address: "6.6.6.6") }
        #expect(try auth.authenticate(post(victim.clientID, victimSecret), address: "10.0.0.1").get().client == victim)
        now.value = 1060
        #expect(try auth.authenticate(post(other.clientID, otherSecret), address: "10.0.0.2").get().client == other)
    }

    private func code(_ result: Result<AuthenticatedClient, OAuthError>) -> OAuthError.Code? {
        if case .failure(let error) = result { return error.code }
        return nil
    }
}
