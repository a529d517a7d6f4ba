import GatewayHTTP
import GatewayPosix
import GatewayStore
import Testing
@testable import TokenService

/// RFC 6749 §4.1.2.1 and §5.2: `error_description` holds only %x20-21 / %x23-5B / %x5D-7E.
@Suite("error_description stays within the RFC 6749 character set")
struct ErrorDescriptionTests {
    static func isAllowed(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }

    @Test("printable() maps quotes, backslashes, control characters and non-ASCII into the set")
    func printable() {
        #expect(OAuthError.printable("43–128 \"x\" \\ é\n§") == "43?128 'x' / ???")
        #expect(OAuthError.printable("plain text: fine (1-2)") == "plain text: fine (1-2)")
    }

    @Test("rendered descriptions of errors the service makes are in the set")
    func rendered() throws {
        let texts = [
            DelegatedGrants.checkVerifier("x", challenge: "").map(\.description) ?? "",
            OAuthError(.invalidRequest, "an echoed value: grant_type pässword \"\\").description,
        ]
        for text in texts {
            let body = try #require(OAuthError(.invalidRequest, text).response(realm: "r").json)
            #expect(Self.isAllowed(try #require(body["error_description"]?.stringValue)))
        }
    }

    @Test("the token endpoint's own messages (malformed code_verifier, Basic encoding, unknown grant) are in the set")
    func tokenEndpoint() throws {
        let fixture = try ServiceFixture()
        let pool = WorkerPool(threads: 1)
        defer { pool.shutdown() }
        let service = try TokenService(configuration: fixture.configuration(), store: fixture.store,
                                       verifier: try fixture.makeVerifier(), pool: pool,
                                       clock: fixture.clock.storeClock)
        try service.start()
        let endpoint = try #require(service.endpoints.first { $0.match == .exact("/oauth/token") }).responder
        let (client, secret) = try fixture.makeClient()
        let basic = ClientCredentials.basicAuthorization(clientID: client.clientID, secret: secret)
        let bodies: [(String, [(String, String)])] = [
            ("grant_type=authorization_code&code=abc&code_verifier=short", [("Authorization", basic)]),
            ("grant_type=client_credentials", [("Authorization", "Basic " + StandardBase64.encode([0xFF, 0x3A, 0x61]))]),
            ("grant_type=p%C3%A4ss%22word%5C", [("Authorization", basic)]),
        ]
        for (body, headers) in bodies {
            let response = try answer(endpoint, formRequest(body, headers: headers))
            #expect(response.status == 400 || response.status == 401)
            let description = try #require(response.json?["error_description"]?.stringValue)
            #expect(Self.isAllowed(description), "\(description)")
        }
    }

    @Test("error redirects of the authorization endpoint carry descriptions in the set")
    func redirect() throws {
        let location = AuthorizationRedirect.error("https://app.example/cb", .invalidRequest,
                                                   "code_challenge: 43–128 \"chars\"", state: nil,
                                                   issuer: "https://id.example")
        let query = try #require(location.split(separator: "?", maxSplits: 1).last)
        let form = try URLEncodedForm.parseQuery(query)
        #expect(Self.isAllowed(try #require(form["error_description"])))
    }
}
