import Foundation
import GatewayAuth
import GatewayHTTP
import GatewayTestSupport
import Testing

/// Bearer validation and deny-by-default scopes over real sockets (CONTRACT §5):
/// every refusal's status, challenge and problem document, and the identity an
/// upstream receives for an accepted token.
@Suite struct EnforcementAuthTests {
    static let realm = #"Bearer realm="portcullis""#
    static let invalidToken = #"Bearer realm="portcullis", error="invalid_token""#

    /// A gateway-made refusal: status, exactly one challenge, problem+json with that status, a request id.
    static func expectRefusal(_ response: TestHTTPResponse, _ status: Int, challenge: String?,
                              _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(label): \(response.status) \(response.bodyString.prefix(200))",
                sourceLocation: sourceLocation)
        if let challenge {
            #expect(response.headers.values(name: "WWW-Authenticate") == [challenge], "\(label)", sourceLocation: sourceLocation)
        }
        #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true, "\(label)",
                sourceLocation: sourceLocation)
        #expect((try? response.jsonObject()["status"] as? Int) == status, "\(label)", sourceLocation: sourceLocation)
        #expect(response.header("X-Request-Id")?.isEmpty == false, "\(label)", sourceLocation: sourceLocation)
    }

    @Test func everyRefusalHasItsStatusChallengeAndProblemDocument() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient(scopes: "ledger:read,ledger:write,reports:read")
        let (readerID, readerSecret) = try fixture.makeClient(scopes: "ledger:read")
        let all = try fixture.token(id, secret)
        let reader = try fixture.token(readerID, readerSecret)
        let connection = try fixture.client()
        let call = { (target: String, token: String?) in try fixture.call(target, token: token, on: connection) }

        Self.expectRefusal(try call("/v1/ledger/entries", nil), 401, challenge: Self.realm, "no token")
        var basic = HTTPHeaders()
        basic.add(name: "Authorization", value: TokenServiceFixture.basic(id, secret))
        Self.expectRefusal(try fixture.call("/v1/ledger/entries", token: nil, headers: basic, on: connection), 401,
                           challenge: Self.realm, "Basic credentials")

        let parts = all.split(separator: ".").map(String.init)
        let otherPayload = try fixture.forge(clientID: id, scope: "ledger:read ledger:write reports:read admin")
            .split(separator: ".")[1]
        let foreignKey = try JWTSigner(key: SigningKey.generate(.rs256))
        let now = Int64(Date().timeIntervalSince1970)
        let invalid: [(String, String)] = [
            ("garbage", "not-a-token"),
            ("three garbage parts", "a.b.c"),
            ("expired", try fixture.forge(clientID: id) { claims in
                claims.removeAll { $0.0 == "iat" || $0.0 == "exp" }
                claims += [("iat", String(now - 1000)), ("exp", String(now - 100))]
            }),
            ("wrong issuer", try fixture.forge(clientID: id) { claims in
                claims.removeAll { $0.0 == "iss" }
                claims.append(("iss", EnforcementFixture.json("http://127.0.0.1:9999")))
            }),
            ("wrong audience", try fixture.forge(clientID: id) { claims in
                claims.removeAll { $0.0 == "aud" }
                claims.append(("aud", EnforcementFixture.json("https://elsewhere.example")))
            }),
            ("payload swapped under the signature", parts[0] + "." + otherPayload + "." + parts[2]),
            ("signature reversed", parts[0] + "." + parts[1] + "." + String(parts[2].reversed())),
            ("signature cut", parts[0] + "." + parts[1] + "." + parts[2].dropLast(8)),
            ("another key", try foreignKey.sign(claimsJSON: Array(#"{"iss":"\#(EnforcementFixture.issuer)"}"#.utf8))),
            ("alg none", Self.base64url(#"{"alg":"none","typ":"at+jwt"}"#) + "." + parts[1] + "."),
            ("HS256", Self.base64url(#"{"alg":"HS256","typ":"at+jwt","kid":"x"}"#) + "." + parts[1] + "." + parts[2]),
        ]
        for (label, token) in invalid {
            Self.expectRefusal(try call("/v1/ledger/entries", token), 401, challenge: Self.invalidToken, label)
        }
        var empty = HTTPHeaders()
        empty.add(name: "Authorization", value: "Bearer ")
        Self.expectRefusal(try fixture.call("/v1/ledger/entries", token: nil, headers: empty, on: connection), 401,
                           challenge: Self.invalidToken, "Bearer without a token")

        // A token in the query string is refused, even a valid one, even alongside the header.
        let query = try call("/v1/ledger/entries?access_token=\(all)", nil)
        Self.expectRefusal(query, 400, challenge: #"Bearer realm="portcullis", error="invalid_request""#, "query token")
        #expect(!query.bodyString.contains(all))
        Self.expectRefusal(try call("/v1/ledger/entries?limit=1&access_token=\(all)", all), 400, challenge: nil,
                           "query token next to the header")

        // Scopes: deny by default, every listed scope required.
        let writeOnly = try fixture.token(id, secret, scope: "ledger:write")
        Self.expectRefusal(try call("/v1/ledger/entries", writeOnly), 403,
                           challenge: #"Bearer realm="portcullis", error="insufficient_scope", scope="ledger:read""#,
                           "write token on a read operation")
        Self.expectRefusal(try call("/v1/ledger/reports", reader), 403,
                           challenge: #"Bearer realm="portcullis", error="insufficient_scope", scope="ledger:read reports:read""#,
                           "one of two scopes")
        // (A refusal before the body was read closes the connection: a fresh one.)
        Self.expectRefusal(try fixture.call("/v1/ledger/entries", token: reader, method: "POST", body: "{}"),
                           403, challenge: nil, "read token on a write operation")

        // The token with every scope passes everywhere, on both versions; a public operation needs none.
        for target in ["/v1/ledger/entries", "/v1/ledger/entries/7", "/v2/ledger/entries?limit=2"] {
            let ok = try call(target, all)
            #expect(ok.status == 200, "\(target): \(ok.bodyString.prefix(200))")
            #expect(ok.header("X-Request-Id")?.isEmpty == false)
        }
        #expect(try fixture.call("/v1/ledger/entries", token: all, method: "POST", body: "{}", on: connection).status == 201)
        // The reports operation has no sample-upstream route: 404 from the upstream proves it was let through.
        #expect(try call("/v1/ledger/reports", all).status == 404)
        #expect(try call("/v1/ledger/export?rows=2", nil).status == 200)
        #expect(try call("/v1/ledger/entries", reader).status == 200)
    }

    @Test func upstreamsReceiveTheCallersIdentityAndNoSpoofedCopies() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient(scopes: "ledger:read,reports:read")
        let token = try fixture.token(id, secret)
        var spoofed = HTTPHeaders()
        for (name, value) in [("X-Portcullis-Client-Id", "cl_spoofed"), ("x-portcullis-org-id", "evil-corp"),
                              ("X-PORTCULLIS-SCOPES", "clients:write admin"), ("X-Portcullis-Subject", "root"),
                              ("X-Portcullis-Anything", "1"), ("X-Forwarded-For", "6.6.6.6"),
                              ("X-Forwarded-Proto", "https"), ("Forwarded", "for=6.6.6.6")] {
            spoofed.add(name: name, value: value)
        }
        spoofed.add(name: "X-Portcullis-Client-Id", value: "cl_second_copy")

        for version in ["v1", "v2"] {
            let response = try fixture.call("/\(version)/_echo?x=1", token: token, headers: spoofed)
            #expect(response.status == 200, "\(response.bodyString.prefix(200))")
            let seen = try EchoedRequest(response)
            #expect(seen.target == "/\(version)/_echo?x=1")
            #expect(seen.values("X-Portcullis-Client-Id") == [id])
            #expect(seen.values("X-Portcullis-Org-Id") == ["acme"])
            #expect(seen.values("X-Portcullis-Scopes") == ["ledger:read reports:read"])
            #expect(seen.values("X-Portcullis-Anything").isEmpty)
            #expect(seen.values("X-Forwarded-For") == ["127.0.0.1"])
            #expect(seen.values("X-Forwarded-Proto") == ["http"])
            #expect(seen.values("Forwarded").isEmpty)
            #expect(seen.values("X-Request-Id") == [response.header("X-Request-Id") ?? "?"])
            // Authorization goes upstream only where the version sets forward_authorization (v2 here).
            #expect(seen.values("Authorization") == (version == "v2" ? ["Bearer " + token] : []), "\(version)")
        }
        // A narrower token narrows what the upstream is told.
        let narrow = try fixture.token(id, secret, scope: "ledger:read")
        let seen = try EchoedRequest(try fixture.call("/v1/_echo", token: narrow))
        #expect(seen.values("X-Portcullis-Scopes") == ["ledger:read"])
    }

    static func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
