import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// The authorization code flow with PKCE over real sockets, driven as a browser and a
/// client application would: authorize, log in, consent, follow the redirect, exchange
/// the code, call the API, refresh, and every way it must fail safe.
@Suite struct AuthorizationCodeFlowTests {
    @Test func browserFlowGivesAUserTokenWhoseSubjectReachesTheUpstream() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        let state = "a b&c=d/é"

        let login = try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id, state: state))
        #expect(login.status == 200)
        #expect(login.bodyString.contains("Ledger Viewer") && login.bodyString.contains("Acme Ltd"))
        let cookie = try #require(browser.setCookies.first)
        #expect(cookie.hasPrefix("portcullis_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
        #expect(!cookie.contains("Secure"))  // the issuer is http: a Secure cookie would never come back

        let loggedIn = try fixture.logIn(browser, on: login)
        #expect(loggedIn.status == 303)
        #expect(browser.setCookies.count == 2)  // a new session id after login
        let consent = try browser.get(try #require(loggedIn.header("Location")))
        #expect(consent.status == 200)
        for words in ["Ledger Viewer", "Acme Ltd", "ana@example.com", "Read your organisation", "List ledger entries",
                      "ledger:read", AuthorizationFixture.redirect] {
            #expect(consent.bodyString.contains(words), "consent page lacks \(words)")
        }
        #expect(!consent.bodyString.contains("ledger:write"))

        let back = try browser.submit(consent, action: "/oauth/authorize/consent", [("decision", "approve")])
        #expect(back.status == 302)
        let location = try #require(back.header("Location"))
        #expect(location.hasPrefix(AuthorizationFixture.redirect + "?code="))
        let parameters = Browser.parameters(location)
        #expect(parameters["state"] == state)
        #expect(parameters["iss"] == "http://127.0.0.1:8080")
        let code = try #require(parameters["code"])
        #expect(code.utf8.count == 43)

        let exchanged = try fixture.exchange(code, client: client)
        #expect(exchanged.status == 200, "\(exchanged.bodyString)")
        #expect(exchanged.header("Cache-Control") == "no-store")
        let body = try exchanged.jsonObject()
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["scope"] as? String == "ledger:read")
        #expect(body["expires_in"] as? Int == 900)
        let token = try #require(body["access_token"] as? String)
        #expect((body["refresh_token"] as? String)?.utf8.count == 43)

        let echoed = try fixture.echo(token)
        #expect(echoed.status == 200)
        let headers = try #require(try echoed.jsonObject()["headers"] as? [[String]])
        #expect(headers.contains(["X-Portcullis-Subject", fixture.anaID]))
        #expect(headers.contains(["X-Portcullis-Client-Id", client.id]))
        #expect(headers.contains(["X-Portcullis-Org-Id", "acme"]))
        // ledger:write was not granted: the token cannot post.
        let post = try TestHTTPClient(port: fixture.port).request(method: "POST", target: "/v2/ledger/entries",
            headers: HTTPHeaders([("Authorization", "Bearer " + token), ("Content-Type", "application/json")]), body: "{}")
        #expect(post.status == 403)

        // Introspection describes the user token.
        let introspected = try TestHTTPClient(port: fixture.port).request(method: "POST", target: "/oauth/introspect",
            headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded"),
                                  ("Authorization", TokenServiceFixture.basic(client.id, try #require(client.secret)))]),
            body: "token=" + token)
        #expect(try introspected.jsonObject()["sub"] as? String == fixture.anaID)

        // A second authorization in the same browser skips the login.
        let again = try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id))
        #expect(again.bodyString.contains("action=\"/oauth/authorize/consent\""))

        let audit = try fixture.cli(["audit", "export"]).stdout
        #expect(audit.contains(#""type":"api.authorization_granted""#))
        #expect(audit.contains(#""grant_type":"authorization_code""#))
        #expect(!audit.contains(code) && !audit.contains(token))
    }

    @Test func refreshRotatesAndReuseRevokesTheWholeFamily() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let first = try fixture.exchange(try fixture.code(clientID: client.id, scope: "ledger:read ledger:write"),
                                         client: client).jsonObject()
        let access1 = try #require(first["access_token"] as? String)
        let refresh1 = try #require(first["refresh_token"] as? String)

        let rotated = try fixture.token([("grant_type", "refresh_token"), ("refresh_token", refresh1),
                                         ("scope", "ledger:read")], client: client)
        #expect(rotated.status == 200, "\(rotated.bodyString)")
        let second = try rotated.jsonObject()
        let access2 = try #require(second["access_token"] as? String)
        let refresh2 = try #require(second["refresh_token"] as? String)
        #expect(refresh2 != refresh1)
        #expect(second["scope"] as? String == "ledger:read")
        #expect(try fixture.echo(access2).status == 200)
        let wider = try fixture.token([("grant_type", "refresh_token"), ("refresh_token", refresh2),
                                       ("scope", "clients:write")], client: client)
        #expect(try wider.jsonObject()["error"] as? String == "invalid_scope")

        // The old refresh token again: refused, and everything of the family dies.
        let replay = try fixture.token([("grant_type", "refresh_token"), ("refresh_token", refresh1)], client: client)
        #expect(replay.status == 400)
        #expect(try replay.jsonObject()["error"] as? String == "invalid_grant")
        #expect(try fixture.echo(access1).status == 401)
        #expect(try fixture.echo(access2).status == 401)
        let successor = try fixture.token([("grant_type", "refresh_token"), ("refresh_token", refresh2)], client: client)
        #expect(try successor.jsonObject()["error"] as? String == "invalid_grant")
        #expect(try fixture.cli(["audit", "export"]).stdout.contains(#""type":"api.refresh_token_reused""#))
    }

    @Test func codeReuseIsInvalidGrantAndRevokesTheFirstToken() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let code = try fixture.code(clientID: client.id)
        let first = try fixture.exchange(code, client: client).jsonObject()
        let token = try #require(first["access_token"] as? String)
        #expect(try fixture.echo(token).status == 200)

        let second = try fixture.exchange(code, client: client)
        #expect(second.status == 400)
        #expect(try second.jsonObject()["error"] as? String == "invalid_grant")
        // Refused by this gateway straight away (the redemption applied the feed itself).
        #expect(try fixture.echo(token).status == 401)
        let refresh = try fixture.token([("grant_type", "refresh_token"),
                                         ("refresh_token", try #require(first["refresh_token"] as? String))], client: client)
        #expect(try refresh.jsonObject()["error"] as? String == "invalid_grant")
    }

    @Test func wrongVerifierAndRedirectMismatchAreInvalidGrant() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let code = try fixture.code(clientID: client.id)
        for response in [try fixture.exchange(code, client: client, verifier: String(repeating: "A", count: 43)),
                         try fixture.exchange(code, client: client, redirect: "http://127.0.0.1:9/other"),
                         try fixture.token([("grant_type", "authorization_code"), ("code", code),
                                            ("redirect_uri", AuthorizationFixture.redirect)], client: client)] {
            #expect(response.status == 400)
            #expect(try response.jsonObject()["error"] as? String == "invalid_grant")
        }
        // None of them consumed the code.
        #expect(try fixture.exchange(code, client: client).status == 200)
    }

    @Test func publicClientUsesPKCEWithoutASecret() throws {
        let fixture = try AuthorizationFixture()
        let spa = try fixture.makeClient(isPublic: true)
        #expect(spa.secret == nil)
        let exchanged = try fixture.exchange(try fixture.code(clientID: spa.id), client: spa)
        #expect(exchanged.status == 200, "\(exchanged.bodyString)")
        let body = try exchanged.jsonObject()
        #expect(try fixture.echo(try #require(body["access_token"] as? String)).status == 200)
        let rotated = try fixture.token([("grant_type", "refresh_token"),
                                         ("refresh_token", try #require(body["refresh_token"] as? String))], client: spa)
        #expect(rotated.status == 200)
        let credentials = try fixture.token([("grant_type", "client_credentials")], client: spa)
        #expect(try credentials.jsonObject()["error"] as? String == "unauthorized_client")
        // RFC 7009 for a public client: its own refresh token, by client_id alone.
        let revoke = try TestHTTPClient(port: fixture.port).request(method: "POST", target: "/oauth/revoke",
            headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]),
            body: "token=\(try #require(try rotated.jsonObject()["refresh_token"] as? String))&client_id=\(spa.id)")
        #expect(revoke.status == 200)
        let shown = try fixture.cli(["client", "show", spa.id]).stdout
        #expect(shown.contains(#""public": true"#))
    }

    @Test func disabledUsersTokensAreRefusedWithinASecond() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let body = try fixture.exchange(try fixture.code(clientID: client.id), client: client).jsonObject()
        let token = try #require(body["access_token"] as? String)
        #expect(try fixture.echo(token).status == 200)

        let disabled = try fixture.cli(["user", "disable", "ana@example.com", "--reason", "offboarded"])
        #expect(disabled.code == 0, "\(disabled.stderr)")
        #expect(disabled.stdout.contains(#""status": "DISABLED""#))
        try waitUntil(seconds: 1) { try fixture.echo(token).status == 401 }
        let refresh = try fixture.token([("grant_type", "refresh_token"),
                                         ("refresh_token", try #require(body["refresh_token"] as? String))], client: client)
        #expect(try refresh.jsonObject()["error"] as? String == "invalid_grant")
        // The account can no longer sign in either (same message as a wrong password).
        let browser = fixture.browser()
        let page = try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id))
        let refused = try fixture.logIn(browser, on: page)
        #expect(refused.status == 400)
        #expect(refused.bodyString.contains("The e-mail or password is wrong."))
        let audit = try fixture.cli(["audit", "export"]).stdout
        #expect(audit.contains(#""type":"api.user_disabled""#))
        #expect(audit.contains(#""type":"api.user_created""#))
    }
}
