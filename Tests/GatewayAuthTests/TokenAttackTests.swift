import Testing
@testable import GatewayAuth

/// Every way a hostile token tries to get past the verifier.
@Suite struct TokenAttackTests {
    let fixture = TokenFixture()
    let payload = TokenFixture.payload()

    @Test func algNoneIsRefused() {
        for alg in ["none", "None", "NONE"] {
            let unsigned = TokenFixture.raw(header: TokenFixture.header(alg: alg), payload: payload, key: nil)
            #expect(unsigned.hasSuffix("."))
            #expect(fixture.failure(unsigned) == .malformed, "no signature part at all")
            let withJunk = TokenFixture.raw(header: TokenFixture.header(alg: alg), payload: payload, signature: [1, 2, 3])
            #expect(fixture.failure(withJunk) == .unsupportedAlgorithm)
        }
    }

    @Test func hs256SignedWithThePublicKeyAsSecretIsRefused() throws {
        // The classic key-confusion attack: HMAC keyed with the public key bytes
        // the verifier would hold, in every form an implementation might use.
        let pem = try TokenFixture.rsa.publicKeyPEM()
        for secret in [Array(pem.utf8), Array(TokenFixture.rsa.publicJWK.json.utf8), Base64URL.decode(TokenFixture.rsa.publicJWK.n!)!] {
            for alg in ["HS256", "HS384", "HS512"] {
                let input = Base64URL.encode(Array(TokenFixture.header(alg: alg).utf8)) + "." + Base64URL.encode(Array(payload.utf8))
                let mac = TokenFixture.hmacSHA256(key: secret, message: Array(input.utf8))
                #expect(fixture.failure(input + "." + Base64URL.encode(mac)) == .unsupportedAlgorithm)
            }
        }
    }

    @Test(arguments: ["PS256", "RS384", "RS512", "ES384", "ES512", "EdDSA", "rs256", "RS256 ", ""])
    func algorithmsOffTheAllowListAreRefused(_ alg: String) {
        let token = TokenFixture.raw(header: TokenFixture.header(alg: alg), payload: payload)
        #expect(fixture.failure(token) == .unsupportedAlgorithm)
    }

    @Test func algMustBeAString() {
        let token = TokenFixture.raw(header: #"{"alg":["RS256"],"typ":"at+jwt","kid":"\#(TokenFixture.rsa.kid)"}"#, payload: payload)
        #expect(fixture.failure(token) == .unsupportedAlgorithm)
    }

    @Test func switchingTheAlgorithmOfAKeyIsRefused() {
        // RSA key named, ES256 claimed (and signed with the EC key): the key decides.
        let rsaAsES = TokenFixture.raw(header: TokenFixture.header(alg: "ES256", kid: TokenFixture.rsa.kid), payload: payload,
                                       key: TokenFixture.ec)
        #expect(fixture.failure(rsaAsES) == .algorithmMismatch)
        let ecAsRS = TokenFixture.raw(header: TokenFixture.header(alg: "RS256", kid: TokenFixture.ec.kid), payload: payload,
                                      key: TokenFixture.rsa)
        #expect(fixture.failure(ecAsRS) == .algorithmMismatch)
    }

    @Test func keyIDsMustNameACurrentKey() throws {
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(kid: "nope"), payload: payload)) == .unknownKey)
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(kid: nil), payload: payload)) == .missingKeyID)
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(kid: ""), payload: payload)) == .missingKeyID)
        let numericKid = #"{"alg":"RS256","typ":"at+jwt","kid":7}"#
        #expect(fixture.failure(TokenFixture.raw(header: numericKid, payload: payload)) == .missingKeyID)
    }

    @Test func aRemovedKeyStopsWorkingEvenForCachedTokens() throws {
        let token = TokenFixture.token()
        #expect(fixture.failure(token) == nil)
        #expect(fixture.cache.count == 1)
        fixture.ring.remove(kid: TokenFixture.rsa.kid)
        #expect(fixture.failure(token) == .unknownKey)
        let ecToken = TokenFixture.token(TokenFixture.ec)
        #expect(fixture.failure(ecToken) == nil, "the other key still works")
        fixture.ring.replace(with: [TokenFixture.rsa.verificationKey])
        #expect(fixture.failure(ecToken) == .unknownKey, "replaced away")
        #expect(fixture.failure(token) == nil)
    }

    @Test func addingAKeyKeepsCachedEntriesValid() throws {
        let token = TokenFixture.token()
        _ = try fixture.verifier.verify(token, now: TokenFixture.now)
        let epoch = fixture.ring.removalEpoch
        fixture.ring.publish(try SigningKey.generate(.es256).verificationKey)
        #expect(fixture.ring.removalEpoch == epoch)
        fixture.ring.publish(TokenFixture.rsa.verificationKey)  // same instance again
        #expect(fixture.ring.removalEpoch == epoch)
    }

    @Test func tamperedPayloadIsRefused() {
        let parts = TokenFixture.token().split(separator: ".").map(String.init)
        var claims = TokenFixture.claims()
        claims.scopes.append("admin")
        let forged = parts[0] + "." + Base64URL.encode(claims.json) + "." + parts[2]
        #expect(fixture.failure(forged) == .badSignature)
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func tamperedSignatureIsRefused(_ algorithm: JWSAlgorithm) {
        let key = algorithm == .rs256 ? TokenFixture.rsa : TokenFixture.ec
        let parts = TokenFixture.token(key).split(separator: ".").map(String.init)
        var signature = Base64URL.decode(parts[2])!
        signature[signature.count / 2] ^= 0x40
        #expect(fixture.failure(parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)) == .badSignature)
        #expect(fixture.failure(parts[0] + "." + parts[1] + "." + Base64URL.encode(signature.dropLast())) == .badSignature)
        #expect(fixture.failure(parts[0] + "." + parts[1] + "." + Base64URL.encode(signature + [0])) == .badSignature)
        // ES256 must be raw r||s: the DER form of a valid signature is refused.
        if algorithm == .es256 {
            let der = Base64URL.decode(parts[2])!.withUnsafeBytes { ECDSASignature.der(fromRaw: $0)! }
            #expect(fixture.failure(parts[0] + "." + parts[1] + "." + Base64URL.encode(der)) == .badSignature)
        }
    }

    @Test func truncatedAndExtraPartsAreRefused() {
        let token = TokenFixture.token()
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for bad in [parts[0], parts[0] + "." + parts[1], parts[0] + "." + parts[1] + ".", "." + parts[1] + "." + parts[2],
                    parts[0] + ".." + parts[2], token + "." + parts[2], token + ".", "." + token, "..", ".", "",
                    String(token.dropLast(1))] {
            let failure = fixture.failure(bad)
            #expect(failure == .malformed || failure == .badSignature, "\(bad.prefix(20))…")
        }
        #expect(fixture.failure(token + "." + parts[2]) == .malformed)
    }

    @Test func oversizedTokensAreRefusedBeforeDecoding() {
        let big = String(repeating: "x", count: 10_000)
        let claims = TokenFixture.payload().replacingFirst(#""jti":"jti-1""#, with: #""jti":"jti-1","pad":"\#(big)""#)
        let token = TokenFixture.raw(header: TokenFixture.header(), payload: claims)
        #expect(token.utf8.count > 10_000)
        #expect(fixture.failure(token) == .tooLarge)
        #expect(fixture.failure(String(repeating: "A", count: 8193)) == .tooLarge)
        #expect(fixture.failure(String(repeating: "A", count: 8192)) == .malformed)
    }

    @Test func badBase64IsRefused() {
        let parts = TokenFixture.token().split(separator: ".").map(String.init)
        for header in [parts[0] + "=", parts[0].replacingFirst("e", with: "+"), parts[0].replacingFirst("e", with: "/"),
                       parts[0] + "A", " " + parts[0]] {
            #expect(fixture.failure(header + "." + parts[1] + "." + parts[2]) == .malformed)
        }
        #expect(fixture.failure(parts[0] + "." + parts[1] + "." + parts[2] + "==") == .malformed)
        #expect(fixture.failure(parts[0] + "." + parts[1] + "." + "%%%") == .malformed)
    }

    @Test func nonJSONAndHostileHeadersAreRefused() {
        for header in ["not json", "[]", "\"RS256\"", "{", #"{"alg":"RS256","alg":"none"}"#,
                       String(repeating: "[", count: 5000), #"{"alg":"RS256","typ":"at+jwt","kid":"k"} x"#,
                       #"{"alg":"RS256","typ":"at+jwt","kid":"\ud800"}"#] {
            #expect(fixture.failure(TokenFixture.raw(header: header, payload: payload)) == .malformed, "\(header.prefix(30))")
        }
        let duplicateKid = #"{"alg":"RS256","typ":"at+jwt","kid":"\#(TokenFixture.rsa.kid)","kid":"other"}"#
        #expect(fixture.failure(TokenFixture.raw(header: duplicateKid, payload: payload)) == .malformed)
    }

    @Test func duplicateClaimsAreRefused() {
        for duplicate in [#""scope":"admin""#, #""exp":9999999999"#, #""sub":"someone-else""#, #""client_id":"other""#,
                          #""iss":"https://auth.portcullis.test""#] {
            let doubled = payload.dropLast() + "," + duplicate + "}"
            #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: String(doubled))) == .malformed)
        }
        let unknownTwice = payload.dropLast() + #","x":1,"x":2}"#
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: String(unknownTwice))) == nil,
                "claims the gateway ignores may repeat")
        let escapedName = payload.dropLast() + #","scope":"admin"}"#
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: String(escapedName))) == .malformed,
                "an escaped spelling is the same name")
    }

    @Test func nonJSONPayloadIsRefusedAfterTheSignature() {
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: "hello")) == .malformed)
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: "[1]")) == .malformed)
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: String(repeating: "{\"a\":", count: 200))) == .malformed)
    }

    @Test func critIsRefusedAndKeyURLsAreNeverHonoured() {
        let crit = TokenFixture.raw(header: TokenFixture.header(extra: #""crit":["exp"],"exp":1"#), payload: payload)
        #expect(fixture.failure(crit) == .criticalHeader)
        let attacker = try! SigningKey.generate(.es256)
        // A header that carries its own key (or points at one) signed by that key: ignored, kid decides.
        let embedded = TokenFixture.raw(
            header: TokenFixture.header(alg: "ES256", kid: attacker.kid,
                                        extra: #""jwk":\#(attacker.publicJWK.json),"jku":"https://evil.test/jwks","x5u":"https://evil.test/c""#),
            payload: payload, key: attacker)
        #expect(fixture.failure(embedded) == .unknownKey)
        // Those members next to a legitimate kid change nothing.
        let harmless = TokenFixture.raw(header: TokenFixture.header(extra: #""jku":"https://evil.test/jwks""#), payload: payload)
        #expect(fixture.failure(harmless) == nil)
    }
}
