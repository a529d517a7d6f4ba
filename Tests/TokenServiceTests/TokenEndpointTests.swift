import Foundation
import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayPosix
import GatewayStore
import Testing
@testable import TokenService

@Suite("Token endpoint: client credentials grant")
final class TokenEndpointTests {
    let fixture: ServiceFixture
    let pool = WorkerPool(threads: 2)
    let verifier: AccessTokenVerifier
    let service: TokenService

    init() throws {
        fixture = try ServiceFixture()
        verifier = try fixture.makeVerifier()
        service = try TokenService(configuration: fixture.configuration(ttl: 600), store: fixture.store,
                                   verifier: verifier, pool: pool, clock: fixture.clock.storeClock)
        try service.start()
    }

    deinit { pool.shutdown() }

    var endpoint: any HTTPResponder {
        service.endpoints.first { $0.match == .exact("/oauth/token") }!.responder
    }

    func basic(_ id: String, _ secret: String) -> [(String, String)] {
        [("Authorization", ClientCredentials.basicAuthorization(clientID: id, secret: secret))]
    }

    @Test("a token carries the RFC 9068 claims, verifies with the published key and is audited without the token")
    func issues() throws {
        let (client, secret) = try fixture.makeClient(scopes: ["ledger:read", "ledger:write"])
        let response = try answer(endpoint, formRequest("grant_type=client_credentials&scope=ledger:read",
                                                        headers: basic(client.clientID, secret)))
        #expect(response.status == 200)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("Pragma") == "no-cache")
        let body = try #require(response.json)
        #expect(body["token_type"]?.stringValue == "Bearer")
        #expect(body["expires_in"]?.intValue == 600)
        #expect(body["scope"]?.stringValue == "ledger:read")
        #expect(body["refresh_token"] == nil)
        let token = try #require(body["access_token"]?.stringValue)

        let verified = try verifier.verify(token)
        let now = fixture.clock.now.seconds
        #expect(verified.clientID == client.clientID)
        #expect(verified.subject == client.clientID)
        #expect(verified.orgID == "acme")
        #expect(verified.issuer == "https://auth.test")
        #expect(verified.audience == ["https://auth.test"])
        #expect(verified.scopes == ["ledger:read"])
        #expect(verified.issuedAt == now)
        #expect(verified.expiresAt == now + 600)
        #expect(verified.keyID == service.keys.signer?.key.kid)
        #expect(verified.tokenID.utf8.count == 22)

        let events = try fixture.store.auditEvents.events(after: 0, limit: 100)
        let issued = try #require(events.last)
        #expect(issued.type == "api.token_issued")
        #expect(issued.clientID == client.clientID)
        #expect(issued.orgID == "acme")
        #expect(issued.requestID == "req-1")
        #expect(issued.data.contains("\"jti\":\"\(verified.tokenID)\""))
        #expect(issued.data.contains("\"grant_type\":\"client_credentials\""))
        #expect(issued.data.contains("\"scope\":\"ledger:read\""))
        #expect(!events.contains { $0.data.contains(token) || $0.data.contains(secret) })
    }

    @Test("without scope the token carries the client's grant; both auth methods work")
    func defaultScopeAndPost() throws {
        let (client, secret) = try fixture.makeClient(scopes: ["ledger:write", "ledger:read"])
        let response = try answer(endpoint, formRequest(
            "grant_type=client_credentials&client_id=\(client.clientID)&client_secret=\(secret)"))
        #expect(response.status == 200)
        #expect(response.json?["scope"]?.stringValue == "ledger:read ledger:write")
    }

    @Test("the lifetime never exceeds 900 seconds")
    func ttlCap() throws {
        #expect(TokenServiceConfiguration(issuer: "x", tokenTTLSeconds: 5000).tokenTTLSeconds == 900)
        #expect(TokenServiceConfiguration(issuer: "x", tokenTTLSeconds: 0).tokenTTLSeconds == 1)
        var config = fixture.configuration()
        config.tokenTTLSeconds = 3600  // even when set past the cap by hand
        let issuer = AccessTokenIssuer(configuration: config, keys: service.keys, audit: AuditLog(fixture.store),
                                       clock: fixture.clock.storeClock)
        let (client, _) = try fixture.makeClient()
        let issued = try issuer.issue(client: client, scopes: [], grantType: "client_credentials",
                                      authMethod: .clientSecretBasic, requestID: nil).get()
        #expect(issued.expiresIn == 900)
    }

    @Test("RFC 6749 §5.2 errors: each with its status and code")
    func errors() throws {
        let (client, secret) = try fixture.makeClient(scopes: ["ledger:read"])
        let auth = basic(client.clientID, secret)
        func expectError(_ request: HTTPServerRequest, _ status: Int, _ code: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
            let response = try answer(endpoint, request)
            #expect(response.status == status, sourceLocation: sourceLocation)
            #expect(response.json?["error"]?.stringValue == code, sourceLocation: sourceLocation)
            #expect(response.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
        }
        try expectError(formRequest("", headers: auth), 400, "invalid_request")
        try expectError(formRequest("grant_type=password&username=a&password=b", headers: auth), 400, "unsupported_grant_type")
        try expectError(formRequest("grant_type=authorization_code&code=x", headers: auth), 400, "invalid_grant")
        try expectError(formRequest("grant_type=implicit", headers: auth), 400, "unsupported_grant_type")
        try expectError(formRequest("grant_type=client_credentials&grant_type=client_credentials", headers: auth),
                        400, "invalid_request")
        try expectError(formRequest("grant_type=client_credentials", headers: auth, contentType: "application/json"),
                        400, "invalid_request")
        try expectError(formRequest("grant_type=client_credentials", headers: auth, contentType: nil), 400, "invalid_request")
        try expectError(formRequest("grant_type=client_credentials&scope=%zz", headers: auth), 400, "invalid_request")
        try expectError(formRequest("grant_type=client_credentials&scope=ledger:write", headers: auth), 400, "invalid_scope")
        try expectError(formRequest("grant_type=client_credentials"), 401, "invalid_client")
        try expectError(formRequest("grant_type=client_credentials", headers: basic(client.clientID, "nope")),
                        401, "invalid_client")
        try expectError(formRequest("grant_type=client_credentials&client_secret=\(secret)", headers: auth),
                        400, "invalid_request")
        try expectError(formRequest("grant_type=client_credentials", target: "/oauth/token?client_secret=\(secret)",
                                    headers: auth), 400, "invalid_request")
        var get = formRequest("grant_type=client_credentials", headers: auth)
        get.head.method = "GET"
        let refused = try answer(endpoint, get)
        #expect(refused.status == 405)
        #expect(refused.header("Allow") == "POST")
    }

    @Test("a public client may not use client credentials (unauthorized_client)")
    func publicClient() throws {
        guard case .created(let client) = try fixture.store.clients.create(
            NewClient(clientID: "cl_public", orgID: "acme", name: "spa", secretHash: nil, scopes: ["ledger:read"],
                      redirectURIs: ["https://spa.example/cb"], isPublic: true), audit: fixture.cli) else {
            throw FixtureFailure("not created")
        }
        let response = try answer(endpoint, formRequest("grant_type=client_credentials&client_id=\(client.clientID)"))
        #expect(response.status == 400)
        #expect(response.json?["error"]?.stringValue == "unauthorized_client")
    }

    @Test("a revoked client gets invalid_client even with its remembered secret")
    func revokedClient() throws {
        let (client, secret) = try fixture.makeClient()
        let request = formRequest("grant_type=client_credentials", headers: basic(client.clientID, secret))
        #expect(try answer(endpoint, request).status == 200)
        _ = try service.administration.revoke(clientID: client.clientID, reason: "compromised", audit: fixture.cli)
        let response = try answer(endpoint, request)
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate") == "Basic realm=\"portcullis\"")
    }

    @Test("a full worker queue answers 503 temporarily_unavailable with Retry-After")
    func busy() throws {
        let tiny = WorkerPool(threads: 1, queueCapacity: 1)
        defer { tiny.shutdown() }
        let gate = DispatchSemaphoreLite()
        #expect(tiny.submit { _ = gate.wait(timeoutNanos: 5_000_000_000) })
        while tiny.runningCount == 0 { usleep(1000) }
        #expect(tiny.submit {})
        let endpoint = TokenEndpoint(configuration: fixture.configuration(), authenticator: service.authenticator,
                                     issuer: service.issuer, pool: tiny)
        let (client, secret) = try fixture.makeClient()
        let response = try answer(endpoint, formRequest("grant_type=client_credentials", headers: basic(client.clientID, secret)))
        gate.signal()
        #expect(response.status == 503)
        #expect(response.json?["error"]?.stringValue == "temporarily_unavailable")
        #expect(response.header("Retry-After") == "1")
    }
}
