@testable import GatewayAuth

/// Keys, a verifier and token builders shared by the auth tests. Keys are made
/// once per process (RSA generation is slow); every fixture has its own ring,
/// revocation set and cache.
struct TokenFixture {
    static let rsa = try! SigningKey.generate(.rs256)
    static let ec = try! SigningKey.generate(.es256)
    static let issuer = "https://auth.portcullis.test"
    static let audience = "portcullis"
    static let now: Int64 = 1_750_000_000

    let ring: KeyRing
    let revocations = RevocationSet()
    let cache: VerifiedTokenCache
    let verifier: AccessTokenVerifier

    init(leeway: Int64 = 30, cacheCapacity: Int = 1000, keys: [SigningKey] = [TokenFixture.rsa, TokenFixture.ec]) {
        ring = KeyRing(keys.map(\.verificationKey))
        cache = VerifiedTokenCache(capacity: cacheCapacity, shardCount: 4)
        let configuration = try! AccessTokenVerifier.Configuration(issuer: Self.issuer, audience: Self.audience,
                                                                   leewaySeconds: leeway)
        verifier = AccessTokenVerifier(configuration: configuration, keys: ring, revocations: revocations, cache: cache,
                                       clock: { TokenFixture.now })
    }

    static func claims(client: String = "client-1", subject: String? = nil, scopes: [String] = ["ledger:read"],
                       jti: String = "jti-1", issuedAt: Int64 = now - 60, expiresAt: Int64 = now + 840,
                       audience: [String] = [audience], issuer: String = issuer) -> AccessTokenClaims {
        AccessTokenClaims(issuer: issuer, subject: subject ?? client, audience: audience, clientID: client,
                          orgID: "org-1", scopes: scopes, tokenID: jti, issuedAt: issuedAt, expiresAt: expiresAt)
    }

    static func token(_ key: SigningKey = rsa, _ claims: AccessTokenClaims = claims()) -> String {
        try! JWTSigner(key: key).sign(claims)
    }

    /// A token with a hand-written header and payload, signed by `key` (or with
    /// `signature` as given), for attacks the signer would never produce.
    static func raw(header: String, payload: String, key: SigningKey? = rsa, signature: [UInt8]? = nil) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let sig = signature ?? (key.map { try! $0.sign(Array(input.utf8)) } ?? [])
        return input + "." + Base64URL.encode(sig)
    }

    static func header(alg: String = "RS256", typ: String? = "at+jwt", kid: String? = rsa.kid, extra: String = "") -> String {
        var members = [#""alg":"\#(alg)""#]
        if let typ { members.append(#""typ":"\#(typ)""#) }
        if let kid { members.append(#""kid":"\#(kid)""#) }
        if !extra.isEmpty { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func payload(_ claims: AccessTokenClaims = claims()) -> String {
        String(decoding: claims.json, as: UTF8.self)
    }

    /// The error `verify` throws for `token`, or nil when it passes.
    func failure(_ token: String, now: Int64 = TokenFixture.now) -> TokenVerificationError? {
        do {
            _ = try verifier.verify(token, now: now)
            return nil
        } catch {
            return error
        }
    }

    /// HMAC-SHA256 (RFC 2104), to forge the HS256 tokens an attacker would send.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? key.withUnsafeBytes { SHA256Digest.hash($0)! } : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = (block.map { $0 ^ 0x36 } + message).withUnsafeBytes { SHA256Digest.hash($0)! }
        return (block.map { $0 ^ 0x5C } + inner).withUnsafeBytes { SHA256Digest.hash($0)! }
    }
}
