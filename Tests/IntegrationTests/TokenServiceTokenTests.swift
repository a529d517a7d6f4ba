import Foundation
import GatewayAuth
import GatewayHTTP
import GatewayTestSupport
import Testing

/// `POST /oauth/token` over real sockets: the issued JWT checked against the published
/// JWKS, and every refusal the endpoint makes.
@Suite struct TokenServiceTokenTests {
    @Test func tokenVerifiesAgainstThePublishedJWKS() throws {
        let fixture = try TokenServiceFixture()
        let (id, secret) = try fixture.makeClient(scopes: "ledger:read,ledger:write")
        let response = try fixture.post("/oauth/token", form: "grant_type=client_credentials&scope=ledger%3Aread",
                                        basic: (id, secret))
        #expect(response.status == 200)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("Pragma") == "no-cache")
        let body = try response.jsonObject()
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["expires_in"] as? Int == 900)
        #expect(body["scope"] as? String == "ledger:read")
        #expect(body["refresh_token"] == nil)
        let token = try #require(body["access_token"] as? String)

        let jwks = try fixture.client().request(target: "/.well-known/jwks.json")
        #expect(jwks.status == 200)
        let set = try JWKSet(json: jwks.body)
        let verifier = AccessTokenVerifier(
            configuration: try .init(issuer: TokenServiceFixture.issuer, audience: TokenServiceFixture.issuer),
            keys: KeyRing(set.verificationKeys().keys), cache: nil)
        let verified = try verifier.verify(token)
        #expect(verified.clientID == id)
        #expect(verified.subject == id)
        #expect(verified.orgID == "acme")
        #expect(verified.scopes == ["ledger:read"])
        #expect(verified.expiresAt - verified.issuedAt == 900)
        let header = try JWTParts.header(token)
        #expect(header["typ"] as? String == "at+jwt")
        #expect(header["alg"] as? String == "RS256")
        #expect(header["kid"] as? String == verified.keyID)
        #expect(set.keys.contains { $0.kid == verified.keyID })

        // client_secret_post works too, and without scope the token carries the whole grant.
        let post = try fixture.post("/oauth/token", form: "grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)")
        #expect(try post.jsonObject()["scope"] as? String == "ledger:read ledger:write")

        let metadata = try fixture.client().request(target: "/.well-known/oauth-authorization-server").jsonObject()
        #expect(metadata["issuer"] as? String == TokenServiceFixture.issuer)
        #expect(metadata["token_endpoint"] as? String == TokenServiceFixture.issuer + "/oauth/token")
        #expect(metadata["jwks_uri"] as? String == TokenServiceFixture.issuer + "/.well-known/jwks.json")
        #expect(metadata["introspection_endpoint"] as? String == TokenServiceFixture.issuer + "/oauth/introspect")
        #expect(metadata["revocation_endpoint"] as? String == TokenServiceFixture.issuer + "/oauth/revoke")
        #expect(metadata["authorization_endpoint"] as? String == TokenServiceFixture.issuer + "/oauth/authorize")
        #expect(metadata["grant_types_supported"] as? [String] == ["authorization_code", "client_credentials", "refresh_token"])
        #expect(metadata["token_endpoint_auth_methods_supported"] as? [String]
            == ["client_secret_basic", "client_secret_post", "none"])
        #expect(metadata["authorization_response_iss_parameter_supported"] as? Bool == true)
        #expect(metadata["code_challenge_methods_supported"] as? [String] == ["S256"])
        #expect(metadata["response_types_supported"] as? [String] == ["code"])
        #expect((metadata["scopes_supported"] as? [String])?.contains("ledger:read") == true)
    }

    @Test func everyRefusalIsAnOAuthErrorWithNoStore() throws {
        let fixture = try TokenServiceFixture()
        let (id, secret) = try fixture.makeClient(scopes: "ledger:read")
        func expectError(_ response: TestHTTPResponse, _ status: Int, _ code: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(response.status == status, "\(response.bodyString)", sourceLocation: sourceLocation)
            #expect(try response.jsonObject()["error"] as? String == code, sourceLocation: sourceLocation)
            #expect(response.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
            #expect(response.header("Pragma") == "no-cache", sourceLocation: sourceLocation)
        }
        let good = (id, secret)
        try expectError(fixture.post("/oauth/token", form: "", basic: good), 400, "invalid_request")
        try expectError(fixture.post("/oauth/token", form: "grant_type=password&username=u&password=p", basic: good),
                        400, "unsupported_grant_type")
        try expectError(fixture.post("/oauth/token", form: "grant_type=client_credentials&grant_type=client_credentials",
                                     basic: good), 400, "invalid_request")
        try expectError(fixture.post("/oauth/token", form: #"{"grant_type":"client_credentials"}"#, basic: good,
                                     contentType: "application/json"), 400, "invalid_request")
        try expectError(fixture.post("/oauth/token", form: "grant_type=client_credentials&scope=%G1", basic: good),
                        400, "invalid_request")
        let nonUTF8 = try fixture.client().request(method: "POST", target: "/oauth/token",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Authorization": TokenServiceFixture.basic(id, secret)],
            body: Array("grant_type=client_credentials&scope=".utf8) + [0xFF, 0xFE])
        #expect(nonUTF8.status == 400)
        try expectError(fixture.post("/oauth/token", form: "grant_type=client_credentials&scope=ledger%3Awrite", basic: good),
                        400, "invalid_scope")
        try expectError(fixture.post("/oauth/token", form: "grant_type=client_credentials&client_secret=\(secret)",
                                     basic: good), 400, "invalid_request")
        let neither = try fixture.post("/oauth/token", form: "grant_type=client_credentials")
        try expectError(neither, 401, "invalid_client")
        let wrong = try fixture.post("/oauth/token", form: "grant_type=client_credentials", basic: (id, "not-the-secret"))
        try expectError(wrong, 401, "invalid_client")
        #expect(wrong.header("WWW-Authenticate") == #"Basic realm="portcullis""#)
        try expectError(fixture.post("/oauth/token", form: "grant_type=client_credentials&client_id=\(id)&client_secret=x"),
                        401, "invalid_client")
        try expectError(fixture.post("/oauth/token", form: "grant_type=client_credentials", basic: ("cl_unknown", secret)),
                        401, "invalid_client")
        let get = try fixture.client().request(target: "/oauth/token")
        #expect(get.status == 405)
        #expect(get.header("Allow") == "POST")

        let huge = try fixture.post("/oauth/token", form: "grant_type=client_credentials&pad=" + String(repeating: "a", count: 100_000),
                                    basic: good)
        #expect(huge.status == 413)

        // The log still verifies after all of that, and holds no secret.
        let verify = try fixture.cli(["audit", "verify"])
        #expect(verify.code == 0, "\(verify.stderr)")
        let export = try fixture.cli(["audit", "export"])
        #expect(!export.stdout.contains(secret))
    }

    @Test func repeatedFailuresAreThrottledWithoutLockingOutARememberedClient() throws {
        let fixture = try TokenServiceFixture()
        let (remembered, rememberedSecret) = try fixture.makeClient()
        let (target, targetSecret) = try fixture.makeClient()
        _ = try fixture.token(remembered, rememberedSecret)
        let connection = try fixture.client()
        for _ in 0..<10 {
            let failure = try fixture.post("/oauth/token", form: "grant_type=client_credentials", basic: (target, "guess"),
                                           on: connection)
            #expect(failure.status == 401)
        }
        let throttled = try fixture.post("/oauth/token", form: "grant_type=client_credentials", basic: (target, targetSecret),
                                         on: connection)
        #expect(throttled.status == 429)
        #expect(try throttled.jsonObject()["error"] as? String == "slow_down")
        #expect(Int(throttled.header("Retry-After") ?? "") ?? 0 >= 1)
        // The remembered client is checked by HMAC and is not locked out.
        #expect(try fixture.post("/oauth/token", form: "grant_type=client_credentials",
                                 basic: (remembered, rememberedSecret), on: connection).status == 200)
    }
}

/// Reads the JOSE header of a compact JWS.
enum JWTParts {
    static func header(_ token: String) throws -> [String: Any] {
        guard let first = token.split(separator: ".").first else { throw HarnessError("not a JWS") }
        var text = first.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HarnessError("the JWS header is not a JSON object")
        }
        return object
    }
}
