import Foundation
import GatewayAuth
import GatewayStore
import Testing
@testable import TokenService

@Suite("Signing keys: generation, files, rotation, refresh")
struct SigningKeyManagerTests {
    func manager(_ fixture: ServiceFixture, ring: KeyRing = KeyRing(), alg: JWSAlgorithm = .rs256) -> SigningKeyManager {
        SigningKeyManager(keys: fixture.store.signingKeys, ring: ring, keyDirectory: fixture.directory + "/keys",
                          algorithm: alg)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("the first start makes an RS256 key: PKCS#8 file 0600 in a 0700 directory, public JWK in the store and ring")
    func firstKey() throws {
        let fixture = try ServiceFixture()
        let ring = KeyRing()
        let keys = manager(fixture, ring: ring)
        try keys.ensureActiveKey()
        let active = try #require(try fixture.store.signingKeys.active())
        #expect(active.algorithm == "RS256")
        #expect(keys.signer?.key.kid == active.kid)
        #expect(ring.keys.map(\.kid) == [active.kid])
        #expect(try mode(active.privateKeyPath) == 0o600)
        #expect(try mode(fixture.directory + "/keys") == 0o700)
        let pem = try String(contentsOfFile: active.privateKeyPath, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(!active.publicJWK.contains("\"d\""))
        #expect(try JWKSet(json: keys.jwksJSON).keys.map(\.kid) == [active.kid])
        // A second start reuses it.
        try manager(fixture).ensureActiveKey()
        #expect(try fixture.store.signingKeys.active()?.kid == active.kid)
        #expect(try fixture.auditTypes().filter { $0 == "api.key_rotated" }.count == 1)
    }

    @Test("ES256 when configured; a configured algorithm change rotates at start")
    func es256() throws {
        let fixture = try ServiceFixture()
        try manager(fixture).ensureActiveKey()
        let es = manager(fixture, alg: .es256)
        try es.ensureActiveKey()
        #expect(try fixture.store.signingKeys.active()?.algorithm == "ES256")
        #expect(es.signer?.key.algorithm == .es256)
        #expect(try JWKSet(json: es.jwksJSON).keys.count == 2)
    }

    @Test("rotation signs new tokens with the new key, keeps the old one until retired + 930 s, then drops it")
    func rotation() throws {
        let fixture = try ServiceFixture()
        let ring = KeyRing()
        let keys = manager(fixture, ring: ring)
        try keys.ensureActiveKey()
        let old = try #require(keys.signer?.key.kid)
        let record = try keys.rotate(audit: fixture.cli)
        #expect(keys.signer?.key.kid == record.kid)
        #expect(Set(ring.keys.map(\.kid)) == [old, record.kid])
        #expect(Set(try JWKSet(json: keys.jwksJSON).keys.compactMap(\.kid)) == [old, record.kid])
        fixture.clock.advance(seconds: 929)
        try keys.refresh()
        #expect(ring.key(for: old) != nil)
        fixture.clock.advance(seconds: 1)
        try keys.refresh()
        #expect(ring.key(for: old) == nil)
        #expect(try JWKSet(json: keys.jwksJSON).keys.compactMap(\.kid) == [record.kid])
    }

    @Test("a rotation made by another process is picked up by refresh()")
    func otherProcess() throws {
        let fixture = try ServiceFixture()
        let ring = KeyRing()
        let gateway = manager(fixture, ring: ring)
        try gateway.ensureActiveKey()
        let cli = manager(fixture)
        let rotated = try cli.rotate(algorithm: .es256, audit: fixture.cli)
        #expect(gateway.signer?.key.kid != rotated.kid)
        try gateway.refresh()
        #expect(gateway.signer?.key.kid == rotated.kid)
        #expect(ring.key(for: rotated.kid)?.algorithm == .es256)
        #expect(ring.keys.count == 2)
    }

    @Test("a missing private key file is reported once and the previous signer stays")
    func missingFile() throws {
        let fixture = try ServiceFixture()
        let gateway = manager(fixture)
        try gateway.ensureActiveKey()
        let before = gateway.signer?.key.kid
        let other = SigningKeyManager(keys: fixture.store.signingKeys, ring: KeyRing(),
                                      keyDirectory: fixture.directory + "/elsewhere")
        let rotated = try other.rotate(audit: fixture.cli)
        try FileManager.default.removeItem(atPath: rotated.privateKeyPath)
        #expect(throws: TokenServiceError.self) { try gateway.refresh() }
        try gateway.refresh()  // quiet the second time
        #expect(gateway.signer?.key.kid == before)
    }
}
