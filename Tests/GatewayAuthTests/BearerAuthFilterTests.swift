import GatewayHTTP
import GatewayProxy
import Testing
@testable import GatewayAuth

@Suite struct BearerAuthFilterTests {
    let fixture = TokenFixture()

    private func context(target: String = "/v1/ledger/entries", headers: [(String, String)],
                         scopes: [String] = ["ledger:read"], isPublic: Bool = false, routed: Bool = true) -> ProxyContext {
        let head = HTTPRequestHead(method: "GET", target: target, headers: HTTPHeaders(headers))
        let context = ProxyContext(requestID: "r1", head: head, remoteAddress: "127.0.0.1", startMonotonicNanos: 0,
                                   startUnixNanos: TokenFixture.now * 1_000_000_000 + 123)
        if routed {
            context.route = RouteMatch(api: "ledger", version: "v1",
                                       operation: CompiledOperation(method: "GET", pathTemplate: "/ledger/entries",
                                                                    scopes: scopes, isPublic: isPublic),
                                       upstream: UpstreamTarget(baseURL: "http://127.0.0.1:9001"))
        }
        return context
    }

    private func run(_ context: ProxyContext, realm: String = "portcullis") -> ProxyError? {
        BearerAuthFilter(verifier: fixture.verifier, realm: realm).requestFilter(context)
    }

    private func challenge(_ error: ProxyError?) -> [String] {
        error?.headers.values(name: "WWW-Authenticate") ?? []
    }

    @Test func validTokenWithTheScopePassesAndSetsThePrincipal() {
        let ctx = context(headers: [("Authorization", "Bearer " + TokenFixture.token())])
        #expect(run(ctx) == nil)
        #expect(ctx.principal?.clientID == "client-1")
        #expect(ctx.principal?.orgID == "org-1")
        #expect(ctx.principal?.scopes == ["ledger:read"])
    }

    @Test(arguments: ["bearer", "BEARER", "BeArEr"])
    func schemeIsCaseInsensitive(_ scheme: String) {
        let ctx = context(headers: [("authorization", "\(scheme)   \(TokenFixture.token()) ")])
        #expect(run(ctx) == nil)
        #expect(ctx.principal != nil)
    }

    @Test func missingTokenIsABareChallenge() {
        for headers in [[], [("Authorization", "Basic YTpi")], [("Authorization", "Bearertoken")], [("X-Token", "abc")]] {
            let error = run(context(headers: headers))
            #expect(error?.kind == .unauthorized)
            #expect(error?.status == 401)
            #expect(challenge(error) == [#"Bearer realm="portcullis""#])
        }
    }

    @Test func invalidExpiredOrRevokedTokensAreInvalidToken() {
        fixture.revocations.apply(RevocationDelta(revokedClients: ["gone"]))
        let tokens = [
            "garbage",
            TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(expiresAt: TokenFixture.now - 60)),
            TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(client: "gone")),
            TokenFixture.raw(header: TokenFixture.header(alg: "none"), payload: TokenFixture.payload(), key: nil),
        ]
        for value in tokens.map({ "Bearer " + $0 }) + ["Bearer", "Bearer  ", "Bearer a b"] {
            let ctx = context(headers: [("Authorization", value)])
            let error = run(ctx)
            #expect(error?.kind == .unauthorized)
            #expect(challenge(error) == [#"Bearer realm="portcullis", error="invalid_token""#])
            #expect(error?.detail?.contains("eyJ") == false)
            #expect(ctx.principal == nil)
        }
    }

    @Test func missingScopeIsForbiddenWithTheRequiredScopes() {
        let ctx = context(headers: [("Authorization", "Bearer " + TokenFixture.token())],
                          scopes: ["ledger:read", "ledger:write"])
        let error = run(ctx)
        #expect(error?.kind == .forbidden)
        #expect(error?.status == 403)
        #expect(challenge(error) == [#"Bearer realm="portcullis", error="insufficient_scope", scope="ledger:read ledger:write""#])
        #expect(ctx.principal?.clientID == "client-1", "authenticated, just not authorised")
    }

    @Test func scopeComparisonIsByteExact() {
        let token = TokenFixture.token(TokenFixture.rsa, TokenFixture.claims(scopes: ["Ledger:read", "ledger:read\u{A0}", "ledger:reaD"]))
        #expect(run(context(headers: [("Authorization", "Bearer " + token)]))?.kind == .forbidden)
    }

    @Test func tokenInTheQueryIsABadRequest() {
        for target in ["/v1/ledger/entries?access_token=abc", "/v1/ledger/entries?a=1&access_token=",
                       "/v1/ledger/entries?access%5Ftoken=x", "/v1/ledger/entries?access_token"] {
            let error = run(context(target: target, headers: [("Authorization", "Bearer " + TokenFixture.token())]))
            #expect(error?.kind == .badRequest, "\(target)")
            #expect(error?.status == 400)
            #expect(challenge(error) == [#"Bearer realm="portcullis", error="invalid_request""#])
        }
        #expect(run(context(target: "/v1/ledger/entries?my_access_token=1&access_tokens=2",
                            headers: [("Authorization", "Bearer " + TokenFixture.token())])) == nil)
    }

    @Test func twoAuthorizationHeadersAreABadRequest() {
        let token = TokenFixture.token()
        let error = run(context(headers: [("Authorization", "Bearer " + token), ("authorization", "Bearer " + token)]))
        #expect(error?.kind == .badRequest)
        #expect(challenge(error) == [#"Bearer realm="portcullis", error="invalid_request""#])
    }

    @Test func publicOperationsAndLocalEndpointsSkipAuthentication() {
        let open = context(headers: [], scopes: [], isPublic: true)
        #expect(run(open) == nil)
        #expect(open.principal == nil)
        let local = context(headers: [], routed: false)
        local.isLocal = true
        #expect(run(local) == nil)
        #expect(run(context(headers: [], routed: false))?.kind == .unauthorized, "no route and not local: fail closed")
    }

    @Test func realmIsConfigurableAndQuoted() {
        let error = run(context(headers: []), realm: #"erp "prod"\eu"#)
        #expect(challenge(error) == [#"Bearer realm="erp \"prod\"\\eu""#])
    }

    @Test func credentialsParserIsTheOnePlace() {
        #expect(BearerCredentials.parse(authorization: "Bearer abc.def.ghi") == .token("abc.def.ghi"))
        #expect(BearerCredentials.parse(authorization: "\tbearer\tabc") == .token("abc"))
        #expect(BearerCredentials.parse(authorization: "Bearer") == .malformed)
        #expect(BearerCredentials.parse(authorization: "Bearer a\tb ") == .token("a\tb"), "the verifier judges the token")
        #expect(BearerCredentials.parse(authorization: "Bearer\t \t") == .malformed)
        #expect(BearerCredentials.parse(authorization: "Bearerabc") == BearerCredentials.none)
        #expect(BearerCredentials.parse(authorization: "Bear") == BearerCredentials.none)
        #expect(BearerCredentials.parse(authorization: "Basic abc") == BearerCredentials.none)
        #expect(BearerCredentials.parse(authorization: "") == BearerCredentials.none)
    }
}
