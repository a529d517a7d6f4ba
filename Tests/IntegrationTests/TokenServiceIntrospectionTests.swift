import Foundation
import GatewayAuth
import GatewayHTTP
import GatewayTestSupport
import Testing

/// RFC 7662 introspection and RFC 7009 revocation over real sockets, including
/// revocations made by the CLI and seen by a second gateway on the same store.
@Suite struct TokenServiceIntrospectionTests {
    static let inactive = #"{"active":false}"#

    @Test func activeTokenIsDescribed() throws {
        let fixture = try TokenServiceFixture()
        let (id, secret) = try fixture.makeClient(scopes: "ledger:read,ledger:write")
        let token = try fixture.token(id, secret, scope: "ledger:read")
        for path in ["/oauth/introspect", "/v1/token/introspect"] {
            let response = try fixture.post(path, form: "token=\(token)&token_type_hint=access_token", basic: (id, secret))
            #expect(response.status == 200)
            #expect(response.header("Cache-Control") == "no-store")
            let body = try response.jsonObject()
            #expect(body["active"] as? Bool == true)
            #expect(body["client_id"] as? String == id)
            #expect(body["org_id"] as? String == "acme")
            #expect(body["sub"] as? String == id)
            #expect(body["scope"] as? String == "ledger:read")
            #expect(body["aud"] as? String == TokenServiceFixture.issuer)
            #expect(body["iss"] as? String == TokenServiceFixture.issuer)
            #expect(body["token_type"] as? String == "Bearer")
            #expect((body["exp"] as? Int ?? 0) - (body["iat"] as? Int ?? 0) == 900)
            #expect((body["jti"] as? String)?.isEmpty == false)
        }
        // The caller must authenticate.
        let anonymous = try fixture.post("/oauth/introspect", form: "token=\(token)")
        #expect(anonymous.status == 401)
        #expect(try anonymous.jsonObject()["error"] as? String == "invalid_client")
        #expect(try fixture.post("/oauth/introspect", form: "token=\(token)", basic: (id, "wrong")).status == 401)
        #expect(try fixture.post("/oauth/introspect", form: "", basic: (id, secret)).status == 400)
    }

    @Test func everyInactiveTokenIsExactlyActiveFalse() throws {
        let fixture = try TokenServiceFixture()
        let made = try fixture.cli(["org", "create", "--id", "globex", "--name", "Globex", "--scopes", "ledger:read"])
        #expect(made.code == 0)
        let (id, secret) = try fixture.makeClient()
        let (other, otherSecret) = try fixture.makeClient(org: "globex", scopes: "ledger:read")
        let (doomed, doomedSecret) = try fixture.makeClient()
        let caller = (id, secret)

        let valid = try fixture.token(id, secret)
        let parts = valid.split(separator: ".").map(String.init)
        let tampered = parts[0] + "." + parts[1] + "." + String(parts[2].reversed())
        let otherOrg = try fixture.token(other, otherSecret)
        let revoked = try fixture.token(id, secret)
        let doomedToken = try fixture.token(doomed, doomedSecret)
        let expired = try forgeExpiredToken(fixture, clientID: id)
        #expect(try fixture.post("/oauth/revoke", form: "token=\(revoked)", basic: caller).status == 200)
        #expect(try fixture.cli(["client", "revoke", doomed, "--reason", "compromised"]).code == 0)

        let cases = ["garbage", "a.b.c", tampered, otherOrg, revoked, doomedToken, expired,
                     String(repeating: "x", count: 9000)]
        for token in cases {
            let response = try fixture.introspect(token, as: caller)
            #expect(response.status == 200)
            #expect(response.bodyString == Self.inactive, "\(token.prefix(40))")
        }
        #expect(try fixture.introspect(valid, as: caller).jsonObject()["active"] as? Bool == true)
    }

    @Test func revocationReachesEveryGatewayOnTheStore() throws {
        let fixture = try TokenServiceFixture()
        let second = try ServiceProcess(["serve", "--config", fixture.directory.appendingPathComponent("routes.json").path,
                                         "--data", fixture.dataPath])
        defer { second.stop() }
        let (id, secret) = try fixture.makeClient()
        let (other, otherSecret) = try fixture.makeClient()
        let token = try fixture.token(id, secret)
        let otherToken = try fixture.token(other, otherSecret)
        let onSecond = { (token: String) throws -> Int in
            var headers = HTTPHeaders()
            headers.add(name: "Authorization", value: "Bearer " + token)
            return try TestHTTPClient(port: second.port).request(target: "/v1/api-clients", headers: headers).status
        }
        #expect(try onSecond(token) == 200)

        // A client may not revoke another client's token: 200, nothing happens.
        let foreign = try fixture.post("/oauth/revoke", form: "token=\(otherToken)", basic: (id, secret))
        #expect(foreign.status == 200)
        #expect(try fixture.introspect(otherToken, as: (other, otherSecret)).jsonObject()["active"] as? Bool == true)
        // Unknown tokens: 200 too. A missing token parameter is invalid_request; no credentials, invalid_client.
        #expect(try fixture.post("/oauth/revoke", form: "token=nonsense&token_type_hint=refresh_token", basic: (id, secret)).status == 200)
        #expect(try fixture.post("/oauth/revoke", form: "token_type_hint=access_token", basic: (id, secret)).status == 400)
        #expect(try fixture.post("/oauth/revoke", form: "token=\(token)").status == 401)

        let revoked = try fixture.post("/oauth/revoke", form: "token=\(token)&token_type_hint=access_token", basic: (id, secret))
        #expect(revoked.status == 200)
        #expect(revoked.header("Cache-Control") == "no-store")
        // This gateway refuses at once; the other one after its next feed poll.
        #expect(try fixture.manage("GET", "/v1/api-clients", token: token).status == 401)
        try waitUntil { try onSecond(token) == 401 }
        #expect(try onSecond(otherToken) == 200)

        // Revoking the client from the CLI stops its tokens on both gateways, and its secret.
        #expect(try fixture.cli(["client", "revoke", other]).code == 0)
        try waitUntil { try onSecond(otherToken) == 401 }
        try waitUntil { try fixture.manage("GET", "/v1/api-clients", token: otherToken).status == 401 }
        let refused = try fixture.post("/oauth/token", form: "grant_type=client_credentials", basic: (other, otherSecret))
        #expect(refused.status == 401)

        let export = try fixture.cli(["audit", "export"]).stdout
        #expect(export.contains(#""type":"api.token_revoked""#))
        #expect(export.contains(#""reason":"revoked_by_client""#))
    }

    /// A token signed with the gateway's own key whose `exp` has passed.
    private func forgeExpiredToken(_ fixture: TokenServiceFixture, clientID: String) throws -> String {
        let keys = fixture.directory.appendingPathComponent("data/keys")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: keys.path).first { $0.hasSuffix(".pem") })
        let key = try SigningKey(pkcs8PEM: try String(contentsOfFile: keys.appendingPathComponent(file).path, encoding: .utf8))
        let now = Int64(Date().timeIntervalSince1970)
        return try JWTSigner(key: key).sign(AccessTokenClaims(
            issuer: TokenServiceFixture.issuer, subject: clientID, audience: [TokenServiceFixture.issuer], clientID: clientID,
            orgID: "acme", scopes: ["ledger:read"], tokenID: "expired-jti", issuedAt: now - 1000, expiresAt: now - 100))
    }
}
