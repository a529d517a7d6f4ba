import Foundation
import GatewayProxy
import Testing
@testable import GatewayAuth

@Suite struct AccessTokenVerifierTests {
    @Test(arguments: JWSAlgorithm.allCases)
    func acceptsAWellFormedToken(_ algorithm: JWSAlgorithm) throws {
        let fixture = TokenFixture()
        let key = algorithm == .rs256 ? TokenFixture.rsa : TokenFixture.ec
        let claims = TokenFixture.claims(client: "c-9", subject: "user-7", scopes: ["ledger:read", "ledger:write"])
        let token = try fixture.verifier.verify(TokenFixture.token(key, claims), now: TokenFixture.now)
        #expect(token.clientID == "c-9")
        #expect(token.orgID == "org-1")
        #expect(token.subject == "user-7")
        #expect(token.scopes == ["ledger:read", "ledger:write"])
        #expect(token.tokenID == "jti-1")
        #expect(token.issuedAt == TokenFixture.now - 60)
        #expect(token.expiresAt == TokenFixture.now + 840)
        #expect(token.notBefore == nil)
        #expect(token.audience == [TokenFixture.audience])
        #expect(token.issuer == TokenFixture.issuer)
        #expect(token.keyID == key.kid)
        #expect(token.principal == Principal(clientID: "c-9", orgID: "org-1", subject: "user-7",
                                             scopes: ["ledger:read", "ledger:write"], tokenID: "jti-1",
                                             expiresAt: TokenFixture.now + 840))
    }

    @Test func clientCredentialsTokenHasNoPrincipalSubject() throws {
        let fixture = TokenFixture()
        let token = try fixture.verifier.verify(TokenFixture.token(), now: TokenFixture.now)
        #expect(token.subject == "client-1")
        #expect(token.principal.subject == nil)
    }

    @Test func usesTheInjectedClockWhenNoTimeIsGiven() throws {
        let fixture = TokenFixture()
        #expect(try fixture.verifier.verify(TokenFixture.token()).clientID == "client-1")
        let expired = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(expiresAt: TokenFixture.now - 31))
        #expect(throws: TokenVerificationError.expired) { try fixture.verifier.verify(expired) }
    }

    @Test(arguments: ["at+jwt", "AT+JWT", "application/at+jwt", "Application/AT+JWT"])
    func acceptsBothSpellingsOfTheAccessTokenType(_ typ: String) {
        let fixture = TokenFixture()
        let token = TokenFixture.raw(header: TokenFixture.header(typ: typ), payload: TokenFixture.payload())
        #expect(fixture.failure(token) == nil)
    }

    @Test(arguments: [Optional("JWT"), "jwt", "at+jwt ", "application/jwt", nil])
    func refusesOtherTypes(_ typ: String?) {
        let fixture = TokenFixture()
        let token = TokenFixture.raw(header: TokenFixture.header(typ: typ), payload: TokenFixture.payload())
        #expect(fixture.failure(token) == .wrongType)
    }

    @Test func refusesWrongIssuer() {
        let fixture = TokenFixture()
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(issuer: "https://evil.test"))) == .wrongIssuer)
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(issuer: TokenFixture.issuer + "/"))) == .wrongIssuer)
        let noIss = TokenFixture.raw(header: TokenFixture.header(), payload: #"{"sub":"a","aud":"portcullis","exp":1750000100,"iat":1750000000,"client_id":"a","org_id":"o","jti":"j"}"#)
        #expect(fixture.failure(noIss) == .wrongIssuer)
    }

    @Test func checksTheAudienceAsStringOrArray() {
        let fixture = TokenFixture()
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(audience: ["other"]))) == .wrongAudience)
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(audience: ["a", "b"]))) == .wrongAudience)
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(audience: ["a", "portcullis"]))) == nil)
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(audience: ["Portcullis"]))) == .wrongAudience)
        let numericAud = TokenFixture.payload().replacingFirst(#""aud":"portcullis""#, with: #""aud":["portcullis",7]"#)
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: numericAud)) == .invalidClaim("aud"))
    }

    @Test func timeClaimsHonourTheLeeway() {
        let fixture = TokenFixture(leeway: 30)
        let now = TokenFixture.now
        let exp = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(issuedAt: now - 900, expiresAt: now - 10))
        #expect(fixture.failure(exp) == nil, "exp 10 s ago is within the 30 s leeway")
        let expired = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(jti: "j2", issuedAt: now - 900, expiresAt: now - 30))
        #expect(fixture.failure(expired) == .expired)
        let future = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(jti: "j3", issuedAt: now + 31, expiresAt: now + 900))
        #expect(fixture.failure(future) == .issuedInFuture)
        let nearFuture = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(jti: "j4", issuedAt: now + 30, expiresAt: now + 900))
        #expect(fixture.failure(nearFuture) == nil)

        var nbf = TokenFixture.claims(jti: "j5")
        nbf.notBefore = now + 31
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, nbf)) == .notYetValid)
        nbf.notBefore = now + 30
        nbf.tokenID = "j6"
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, nbf)) == nil)
    }

    @Test func zeroLeewayIsExact() {
        let fixture = TokenFixture(leeway: 0)
        let now = TokenFixture.now
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(expiresAt: now))) == .expired)
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(jti: "b", expiresAt: now + 1))) == nil)
    }

    @Test func leewayAboveThirtySecondsIsRefused() {
        #expect(throws: AuthConfigurationError.self) {
            try AccessTokenVerifier.Configuration(issuer: "i", audience: "a", leewaySeconds: 31)
        }
        #expect(throws: AuthConfigurationError.self) {
            try AccessTokenVerifier.Configuration(issuer: "i", audience: "a", leewaySeconds: -1)
        }
        #expect(throws: AuthConfigurationError.self) { try AccessTokenVerifier.Configuration(issuer: "", audience: "a") }
    }

    @Test(arguments: ["exp", "iat", "sub", "client_id", "org_id", "jti"])
    func requiredClaimsMustBePresent(_ name: String) throws {
        let fixture = TokenFixture()
        let object = try #require(try JSONParser.parse(TokenFixture.claims().json).objectValue)
        var members = object.members.filter { $0.name != name }.map { "\(JSONQuote($0.name)):\(render($0.value))" }
        let without = "{" + members.joined(separator: ",") + "}"
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: without)) == .invalidClaim(name))
        members.append("\(JSONQuote(name)):true")
        let wrongType = "{" + members.joined(separator: ",") + "}"
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: wrongType)) == .invalidClaim(name))
    }

    @Test func identityClaimsWithControlCharactersAreRefused() {
        let fixture = TokenFixture()
        // These claims are forwarded as header values: a CR LF would add a header upstream.
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(client: "c1\r\nX-Injected: 1"))) == .invalidClaim("sub"))
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(subject: "u1\nX: 1"))) == .invalidClaim("sub"))
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(jti: "j\u{7F}"))) == .invalidClaim("jti"))
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(scopes: ["ledger:read\r\nX: 1"]))) == .invalidClaim("scope"))
        // Unicode that is not a control character stays acceptable.
        #expect(fixture.failure(TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(subject: "ünïcode-user"))) == nil)
    }

    @Test func fractionalAndHugeNumericDates() {
        let fixture = TokenFixture(leeway: 0)
        let base = TokenFixture.payload()
        let fractional = base.replacingFirst("\"exp\":\(TokenFixture.now + 840)", with: "\"exp\":\(TokenFixture.now).9")
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: fractional)) == .expired)
        let huge = base.replacingFirst("\"exp\":\(TokenFixture.now + 840)", with: "\"exp\":1e300")
        #expect(fixture.failure(TokenFixture.raw(header: TokenFixture.header(), payload: huge)) == .invalidClaim("exp"))
    }

    @Test func unicodeScopesAreKeptAndComparedByteExactly() throws {
        let fixture = TokenFixture()
        let composed = "r\u{E9}ad", decomposed = "re\u{301}ad"
        let claims = TokenFixture.claims(scopes: [composed, "🔥:write", "ledger:read", "x\u{A0}y"])
        let token = try fixture.verifier.verify(TokenFixture.token(TokenFixture.rsa, claims), now: TokenFixture.now)
        #expect(token.scopes.count == 4)
        #expect(token.hasScope(composed))
        #expect(!token.hasScope(decomposed), "canonically equivalent but different bytes")
        #expect(token.hasScope("🔥:write"))
        #expect(!token.hasScope("LEDGER:READ"))
        #expect(token.missingScopes(["ledger:read", decomposed]) == [decomposed])
        // Several spaces in a row and a missing claim.
        let spaced = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(scopes: ["", "a", "", "", "b", ""]))
        #expect(try fixture.verifier.verify(spaced,
                                            now: TokenFixture.now).scopes == ["a", "b"])
        let noScope = TokenFixture.raw(header: TokenFixture.header(), payload: #"{"iss":"\#(TokenFixture.issuer)","sub":"s","aud":"portcullis","client_id":"c","org_id":"o","jti":"n","iat":\#(TokenFixture.now),"exp":\#(TokenFixture.now + 60)}"#)
        #expect(try fixture.verifier.verify(noScope, now: TokenFixture.now).scopes == [])
        let arrayScope = TokenFixture.raw(header: TokenFixture.header(), payload: #"{"iss":"\#(TokenFixture.issuer)","sub":"s","aud":"portcullis","client_id":"c","org_id":"o","jti":"n","iat":\#(TokenFixture.now),"exp":\#(TokenFixture.now + 60),"scope":["a"]}"#)
        #expect(fixture.failure(arrayScope) == .invalidClaim("scope"))
    }

    @Test func tokenSignedHereVerifiesWithTheKeyFromItsExportedJWK() throws {
        for key in [TokenFixture.rsa, TokenFixture.ec] {
            let jwkJSON = JWKSet(signingKeys: [key]).json
            let imported = try #require(try JWKSet(json: jwkJSON).verificationKeys().keys.first)
            let fixtureRing = KeyRing([imported])
            let verifier = AccessTokenVerifier(
                configuration: try .init(issuer: TokenFixture.issuer, audience: TokenFixture.audience),
                keys: fixtureRing, cache: nil)
            let token = TokenFixture.token(key)
            #expect(try verifier.verify(token, now: TokenFixture.now).keyID == key.kid)
            let parts = token.split(separator: ".")
            #expect(Base64URL.decode(parts[2])?.count == (key.algorithm == .es256 ? 64 : 256))
            let header = try #require(try JSONParser.parse(Base64URL.decode(parts[0])!).objectValue)
            #expect(header["alg"] == .string(key.algorithm.rawValue))
            #expect(header["typ"] == .string("at+jwt"))
            #expect(header["kid"] == .string(key.kid))
        }
    }
}

func JSONQuote(_ text: String) -> String { "\"" + text + "\"" }

func render(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool(let b): b ? "true" : "false"
    case .number(let n): n == n.rounded() ? String(Int64(n)) : String(n)
    case .string(let s): JSONQuote(s)
    case .array(let a): "[" + a.map(render).joined(separator: ",") + "]"
    case .object(let o): "{" + o.members.map { JSONQuote($0.name) + ":" + render($0.value) }.joined(separator: ",") + "}"
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
