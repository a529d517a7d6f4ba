import Testing
@testable import GatewayAuth

@Suite struct RevocationTests {
    @Test func revokedClientFailsAtOnceEvenWhenCached() throws {
        let fixture = TokenFixture()
        let token = TokenFixture.token()
        #expect(fixture.failure(token) == nil)
        #expect(fixture.cache.count == 1)
        fixture.revocations.apply(RevocationDelta(revokedClients: ["client-1"]))
        #expect(fixture.failure(token) == .clientRevoked)
        #expect(fixture.failure(TokenFixture.token(TokenFixture.ec, TokenFixture.claims(jti: "fresh"))) == .clientRevoked)
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(client: "client-2"))) == nil)
    }

    @Test func revokedTokenIDFailsAndIsPrunedAfterExpiry() {
        let fixture = TokenFixture()
        let token = TokenFixture.token()
        let other = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(jti: "jti-2"))
        #expect(fixture.failure(token) == nil)
        fixture.revocations.apply(RevocationDelta(revokedTokens: ["jti-1": TokenFixture.now + 840]))
        #expect(fixture.failure(token) == .tokenRevoked)
        #expect(fixture.failure(other) == nil)
        fixture.revocations.prune(expiredBefore: TokenFixture.now)
        #expect(fixture.revocations.snapshot.revokedTokens.count == 1, "not expired yet")
        fixture.revocations.prune(expiredBefore: TokenFixture.now + 841)
        #expect(fixture.revocations.snapshot.revokedTokens.isEmpty)
    }

    @Test func disabledSubjectFailsUntilEnabledAgain() {
        let fixture = TokenFixture()
        let token = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(subject: "user-42"))
        #expect(fixture.failure(token) == nil)
        fixture.revocations.apply(RevocationDelta(disabledSubjects: ["user-42"]))
        #expect(fixture.failure(token) == .subjectDisabled)
        fixture.revocations.apply(RevocationDelta(enabledSubjects: ["user-42"]))
        #expect(fixture.failure(token) == nil)
    }

    @Test func replaceSwapsTheWholeState() {
        let set = RevocationSet(RevocationSnapshot(revokedClients: ["a"], revokedTokens: ["j": 5], disabledSubjects: ["u"]))
        set.replace(with: RevocationSnapshot(revokedClients: ["b"]))
        #expect(set.snapshot == RevocationSnapshot(revokedClients: ["b"]))
        set.apply(RevocationDelta(revokedClients: ["c"], revokedTokens: ["k": 9], disabledSubjects: ["v", "w"],
                                  enabledSubjects: ["w"]))
        #expect(set.snapshot == RevocationSnapshot(revokedClients: ["b", "c"], revokedTokens: ["k": 9],
                                                   disabledSubjects: ["v", "w"]))
    }
}

private func lookup(_ cache: VerifiedTokenCache, _ token: String, now: Int64) -> VerifiedToken? {
    Array(token.utf8).withUnsafeBytes { cache.lookup($0, now: now) }
}

private func insert(_ cache: VerifiedTokenCache, _ token: String, _ value: VerifiedToken, now: Int64) {
    Array(token.utf8).withUnsafeBytes { cache.insert($0, value, now: now) }
}

@Suite struct VerifiedTokenCacheTests {
    private func verified(_ fixture: TokenFixture, jti: String, expiresAt: Int64 = TokenFixture.now + 840) throws -> (String, VerifiedToken) {
        let token = TokenFixture.token(TokenFixture.ec, TokenFixture.claims(jti: jti, expiresAt: expiresAt))
        return (token, try fixture.verifier.verify(token, now: TokenFixture.now))
    }

    @Test func hitsReturnTheSameInstanceOnlyForTheExactToken() throws {
        let fixture = TokenFixture()
        let (token, first) = try verified(fixture, jti: "a")
        #expect(try fixture.verifier.verify(token, now: TokenFixture.now) === first)
        // Same signature, different payload: lands on the cached slot, fails the comparison.
        let parts = token.split(separator: ".").map(String.init)
        let forged = parts[0] + "." + Base64URL.encode(Array(TokenFixture.payload(TokenFixture.claims(jti: "b")).utf8)) + "." + parts[2]
        #expect(fixture.failure(forged) == .badSignature)
        #expect(try fixture.verifier.verify(token, now: TokenFixture.now) === first)
    }

    @Test func boundIsRespectedAndExpiredEntriesGo() throws {
        let fixture = TokenFixture(cacheCapacity: 8)
        var tokens: [String] = []
        for i in 0..<40 {
            let (token, _) = try verified(fixture, jti: "t\(i)", expiresAt: TokenFixture.now + 100 + Int64(i))
            tokens.append(token)
            #expect(fixture.cache.count <= 8)
        }
        #expect(fixture.cache.count == 8)
        // Entries die with their token (exp + 30 s leeway): lookups miss, sweeps drop them.
        let later = TokenFixture.now + 100 + 20 + 30
        let hits = tokens.indices.filter { lookup(fixture.cache, tokens[$0], now: later) != nil }
        #expect(!hits.isEmpty)
        #expect(hits.allSatisfy { $0 > 20 })
        fixture.cache.removeExpired(now: TokenFixture.now + 100 + 39 + 30)
        #expect(fixture.cache.count == 0)
    }

    @Test func fullShardPrefersExpiredEntries() throws {
        let cache = VerifiedTokenCache(capacity: 4, shardCount: 1)
        let fixture = TokenFixture()
        var live: [String] = []
        for i in 0..<4 {
            let (token, value) = try verified(fixture, jti: "x\(i)", expiresAt: TokenFixture.now + (i == 3 ? 10 : 900))
            insert(cache, token, value, now: TokenFixture.now)
            if i != 3 { live.append(token) }
        }
        let (newToken, newValue) = try verified(fixture, jti: "new")
        let later = TokenFixture.now + 60  // x3 is past exp + leeway; the CLOCK hand would pick x0 first
        insert(cache, newToken, newValue, now: later)
        #expect(cache.count == 4)
        for token in live + [newToken] {
            #expect(lookup(cache, token, now: later) != nil)
        }
    }

    @Test func capacityAndShardsAreClamped() {
        #expect(VerifiedTokenCache(capacity: 3, shardCount: 64).capacity == 3)
        #expect(VerifiedTokenCache().capacity == 100_000)
    }

    @Test func disabledCacheStillVerifies() throws {
        let verifier = AccessTokenVerifier(
            configuration: try .init(issuer: TokenFixture.issuer, audience: TokenFixture.audience),
            keys: KeyRing([TokenFixture.rsa.verificationKey]), cache: nil)
        let token = TokenFixture.token()
        #expect(try verifier.verify(token, now: TokenFixture.now) !== (try verifier.verify(token, now: TokenFixture.now)))
    }

    /// Several threads verify a mix of good, bad and revoked tokens through one
    /// verifier with a cache too small to hold them, while revocations change.
    @Test func concurrentVerificationIsConsistent() async throws {
        let fixture = TokenFixture(cacheCapacity: 6)
        let good = (0..<12).map { i in
            TokenFixture.token(i % 2 == 0 ? TokenFixture.rsa : TokenFixture.ec, TokenFixture.claims(client: "c\(i)", jti: "g\(i)"))
        }
        let revoked = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(client: "gone", jti: "r"))
        let bad = TokenFixture.raw(header: TokenFixture.header(), payload: TokenFixture.payload(), signature: [UInt8](repeating: 7, count: 256))
        fixture.revocations.apply(RevocationDelta(revokedClients: ["gone"]))
        let failures = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<150 {
                        let i = (round * 7 + worker) % good.count
                        if (try? fixture.verifier.verify(good[i], now: TokenFixture.now))?.clientID != "c\(i)" { wrong += 1 }
                        if fixture.failure(revoked) != .clientRevoked { wrong += 1 }
                        if fixture.failure(bad) != .badSignature { wrong += 1 }
                        if worker == 0, round % 10 == 0 {
                            fixture.revocations.apply(RevocationDelta(disabledSubjects: ["nobody-\(round)"]))
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
        #expect(fixture.cache.count <= 6)
    }
}
