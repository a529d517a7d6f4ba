import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayPosix
import GatewayStore
import Testing
@testable import TokenService

@Suite("Token endpoint: authorization code and refresh token grants")
final class DelegatedGrantsTests {
    let fixture: ServiceFixture
    let pool = WorkerPool(threads: 2)
    let verifier: AccessTokenVerifier
    let service: TokenService
    let user: UserRecord
    let client: ClientRecord
    let secret: String
    static let verifierText = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let redirect = "https://app.example/cb"

    init() throws {
        fixture = try ServiceFixture()
        verifier = try fixture.makeVerifier()
        service = try TokenService(configuration: fixture.configuration(), store: fixture.store, verifier: verifier,
                                   pool: pool, clock: fixture.clock.storeClock)
        try service.start()
        user = try service.users.create(orgID: "acme", email: "ana@example.com", password: "correct horse",
                                        audit: fixture.cli)
        guard case .created(let record, let secret?) = try fixture.administration.create(
            orgID: "acme", request: ClientRequest(name: "viewer", scopes: ["ledger:read", "ledger:write"],
                                                  redirectURIs: [Self.redirect]), audit: fixture.cli) else {
            throw FixtureFailure("client not created")
        }
        client = record
        self.secret = secret
    }

    deinit { pool.shutdown() }

    var endpoint: any HTTPResponder {
        service.endpoints.first { $0.match == .exact("/oauth/token") }!.responder
    }

    var auth: [(String, String)] {
        [("Authorization", ClientCredentials.basicAuthorization(clientID: client.clientID, secret: secret))]
    }

    /// A code as the consent page stores it.
    func code(scopes: [String] = ["ledger:read", "ledger:write"], clientID: String? = nil,
              challenge: String = PKCE.challenge(for: verifierText)) throws -> String {
        let code = SecretGenerator.secret()
        _ = try fixture.store.authorizationCodes.insert(NewAuthorizationCode(
            codeHash: SHA256Hash.hex(code), clientID: clientID ?? client.clientID, userID: user.id,
            redirectURI: Self.redirect, scopes: scopes, codeChallenge: challenge,
            expiresAt: fixture.clock.now.adding(seconds: 60)), audit: AuditContext(actor: "user:" + user.id))
        return code
    }

    func redeem(_ code: String, verifier: String? = verifierText, redirect: String = redirect,
                headers: [(String, String)]? = nil, extra: String = "") throws -> HTTPServerResponse {
        var form = "grant_type=authorization_code&code=\(code)&redirect_uri=" + PercentEncoding.encodeFormComponent(redirect)
        if let verifier { form += "&code_verifier=" + verifier }
        return try answer(endpoint, formRequest(form + extra, headers: headers ?? auth))
    }

    func refresh(_ token: String, scope: String? = nil, headers: [(String, String)]? = nil) throws -> HTTPServerResponse {
        try answer(endpoint, formRequest("grant_type=refresh_token&refresh_token=\(token)"
            + (scope.map { "&scope=" + PercentEncoding.encodeFormComponent($0) } ?? ""), headers: headers ?? auth))
    }

    func error(_ response: HTTPServerResponse) -> String? { response.json?["error"]?.stringValue }

    @Test("a code redeems once for a user token and a refresh token; the audit says how")
    func redeems() throws {
        let response = try redeem(try code(scopes: ["ledger:read"]))
        #expect(response.status == 200)
        #expect(response.header("Cache-Control") == "no-store")
        let body = try #require(response.json)
        let token = try #require(body["access_token"]?.stringValue)
        let refreshToken = try #require(body["refresh_token"]?.stringValue)
        #expect(refreshToken.utf8.count == 43)
        #expect(body["scope"]?.stringValue == "ledger:read")
        let verified = try verifier.verify(token)
        #expect(verified.subject == user.id)
        #expect(verified.clientID == client.clientID)
        #expect(verified.principal.subject == user.id)
        let stored = try #require(try fixture.store.refreshTokens.get(tokenHash: RefreshTokenHash.of(refreshToken)))
        #expect(stored.userID == user.id)
        #expect(stored.expiresAt == fixture.clock.now.adding(seconds: 30 * 86_400))
        let issued = try #require(try fixture.store.auditEvents.events(after: 0, limit: 100).last)
        #expect(issued.type == "api.token_issued")
        #expect(issued.data.contains(#""grant_type":"authorization_code""#))
        #expect(issued.data.contains(#""user_id":"\#(user.id)""#))
        #expect(!issued.data.contains(refreshToken) && !issued.data.contains(token))
    }

    @Test("second use: invalid_grant, and the first token is refused here at once and its refresh family is dead")
    func codeReuse() throws {
        let theCode = try code()
        let first = try redeem(theCode).json
        let token = try #require(first?["access_token"]?.stringValue)
        let refreshToken = try #require(first?["refresh_token"]?.stringValue)
        #expect(throws: Never.self) { try self.verifier.verify(token) }
        let again = try redeem(theCode)
        #expect(again.status == 400)
        #expect(error(again) == "invalid_grant")
        #expect(throws: TokenVerificationError.tokenRevoked) { try self.verifier.verify(token) }
        #expect(error(try refresh(refreshToken)) == "invalid_grant")
        #expect(try fixture.auditTypes().contains("api.authorization_code_reused"))
    }

    @Test("expired codes, wrong verifiers, wrong redirect URIs and other clients' codes are invalid_grant")
    func refusals() throws {
        let expired = try code()
        fixture.clock.advance(seconds: 61)
        #expect(error(try redeem(expired)) == "invalid_grant")

        let fresh = try code()
        #expect(error(try redeem(fresh, verifier: String(repeating: "x", count: 43))) == "invalid_grant")
        #expect(error(try redeem(fresh, verifier: nil)) == "invalid_grant")
        #expect(error(try redeem(fresh, verifier: "short")) == "invalid_request")
        #expect(error(try redeem(fresh, redirect: Self.redirect + "/")) == "invalid_grant")
        // None of those consumed it.
        #expect(try redeem(fresh).status == 200)

        guard case .created(let other, let otherSecret?) = try fixture.administration.create(
            orgID: "acme", request: ClientRequest(name: "other", scopes: ["ledger:read"], redirectURIs: [Self.redirect]),
            audit: fixture.cli) else { throw FixtureFailure("not created") }
        let foreign = try code()
        let otherAuth = [("Authorization", ClientCredentials.basicAuthorization(clientID: other.clientID, secret: otherSecret))]
        #expect(error(try redeem(foreign, headers: otherAuth)) == "invalid_grant")
        #expect(try redeem(foreign).status == 200)  // the owner still can: a foreign attempt is not a use
        #expect(error(try redeem("nonsense")) == "invalid_grant")
        #expect(error(try answer(endpoint, formRequest("grant_type=authorization_code", headers: auth))) == "invalid_request")
        #expect(try redeem(try code(), headers: []).status == 401)
    }

    @Test("refresh rotates; reuse revokes the family and its access tokens; scopes may narrow, never widen")
    func refreshRotation() throws {
        let first = try #require(try redeem(try code()).json)
        let access1 = try #require(first["access_token"]?.stringValue)
        let refresh1 = try #require(first["refresh_token"]?.stringValue)
        #expect(error(try refresh(refresh1, scope: "ledger:read clients:write")) == "invalid_scope")
        let second = try refresh(refresh1, scope: "ledger:read")
        #expect(second.status == 200)
        let access2 = try #require(second.json?["access_token"]?.stringValue)
        let refresh2 = try #require(second.json?["refresh_token"]?.stringValue)
        #expect(refresh2 != refresh1)
        #expect(second.json?["scope"]?.stringValue == "ledger:read")
        #expect(try verifier.verify(access2).subject == user.id)
        // Narrowing the access token keeps the grant: the next refresh may ask for both again.
        let third = try refresh(refresh2)
        #expect(third.json?["scope"]?.stringValue == "ledger:read ledger:write")
        let refresh3 = try #require(third.json?["refresh_token"]?.stringValue)
        let access3 = try #require(third.json?["access_token"]?.stringValue)

        let replay = try refresh(refresh1)
        #expect(error(replay) == "invalid_grant")
        for token in [access1, access2, access3] {
            #expect(throws: TokenVerificationError.tokenRevoked) { try self.verifier.verify(token) }
        }
        #expect(error(try refresh(refresh3)) == "invalid_grant")
        #expect(try fixture.auditTypes().contains("api.refresh_token_reused"))
    }

    @Test("refresh tokens die after 30 idle days and 90 days in all; only their client may use them")
    func refreshLifetimes() throws {
        var current = try #require(try redeem(try code()).json?["refresh_token"]?.stringValue)
        for _ in 0..<3 {
            fixture.clock.advance(seconds: 29 * 86_400)
            let next = try refresh(current)
            #expect(next.status == 200)
            current = try #require(next.json?["refresh_token"]?.stringValue)
        }
        // 87 days in: the successor expires at the 90-day cap, not 30 days from now.
        let stored = try #require(try fixture.store.refreshTokens.get(tokenHash: RefreshTokenHash.of(current)))
        #expect(stored.expiresAt == fixture.clock.now.adding(seconds: 3 * 86_400))
        fixture.clock.advance(seconds: 3 * 86_400)
        #expect(error(try refresh(current)) == "invalid_grant")

        let idle = try #require(try redeem(try code()).json?["refresh_token"]?.stringValue)
        fixture.clock.advance(seconds: 30 * 86_400)
        #expect(error(try refresh(idle)) == "invalid_grant")
    }

    @Test("a disabled user's grants stop: refresh and redemption are invalid_grant, tokens refused at once")
    func disabledUser() throws {
        let pendingCode = try code()
        let body = try #require(try redeem(try code()).json)
        let token = try #require(body["access_token"]?.stringValue)
        _ = try service.users.disable(user.email, reason: "offboarded", audit: fixture.cli)
        #expect(throws: TokenVerificationError.subjectDisabled) { try self.verifier.verify(token) }
        #expect(error(try refresh(try #require(body["refresh_token"]?.stringValue))) == "invalid_grant")
        #expect(error(try redeem(pendingCode)) == "invalid_grant")
        #expect(try fixture.auditTypes().contains("api.user_disabled"))
    }

    @Test("public clients redeem with client_id alone; client credentials stay closed to them")
    func publicClient() throws {
        guard case .created(let spa, nil) = try fixture.administration.create(
            orgID: "acme", request: ClientRequest(name: "spa", scopes: ["ledger:read"], redirectURIs: [Self.redirect],
                                                  isPublic: true), audit: fixture.cli) else {
            throw FixtureFailure("public client not created")
        }
        #expect(spa.isPublic && spa.secretHash == nil)
        let theCode = try code(scopes: ["ledger:read"], clientID: spa.clientID)
        let response = try redeem(theCode, headers: [], extra: "&client_id=\(spa.clientID)")
        #expect(response.status == 200)
        let refreshToken = try #require(response.json?["refresh_token"]?.stringValue)
        let rotated = try answer(endpoint, formRequest("grant_type=refresh_token&refresh_token=\(refreshToken)&client_id=\(spa.clientID)"))
        #expect(rotated.status == 200)
        let cc = try answer(endpoint, formRequest("grant_type=client_credentials&client_id=\(spa.clientID)"))
        #expect(error(cc) == "unauthorized_client")
        #expect(throws: StoreError.self) { try self.fixture.administration.rotateSecret(clientID: spa.clientID, audit: self.fixture.cli) }
        // A confidential client cannot pretend to be public.
        let bare = try redeem(try code(), headers: [], extra: "&client_id=\(client.clientID)")
        #expect(error(bare) == "invalid_client")
    }

    @Test("client credentials never get a refresh token")
    func noRefreshForClientCredentials() throws {
        let response = try answer(endpoint, formRequest("grant_type=client_credentials", headers: auth))
        #expect(response.status == 200)
        #expect(response.json?["refresh_token"] == nil)
    }
}
