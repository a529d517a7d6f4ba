import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// Every refusal of the authorization endpoint and its pages: what must never redirect,
/// what redirects with which error, CSRF, throttling, and the headers of every page.
@Suite struct AuthorizationRefusalTests {
    @Test func unknownClientsAndUnregisteredRedirectURIsGetAPageNeverARedirect() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        for target in [AuthorizationFixture.authorizeTarget(clientID: "cl_nobody"),
                       AuthorizationFixture.authorizeTarget(clientID: client.id, redirect: "https://evil.example/cb"),
                       AuthorizationFixture.authorizeTarget(clientID: client.id, redirect: AuthorizationFixture.redirect + "/"),
                       AuthorizationFixture.authorizeTarget(clientID: client.id, redirect: AuthorizationFixture.redirect + "?x=1"),
                       AuthorizationFixture.authorizeTarget(clientID: client.id, responseType: "token")
                           .replacingOccurrences(of: "redirect_uri=", with: "redirect=")] {
            let response = try browser.get(target)
            #expect(response.status == 400, "\(target)")
            #expect(response.header("Location") == nil)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(!response.bodyString.contains("<form"))
        }
        #expect(browser.cookies.isEmpty)  // nothing was started for them
        // A revoked client too.
        #expect(try fixture.cli(["client", "revoke", client.id]).code == 0)
        #expect(try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id)).status == 400)
    }

    @Test func otherErrorsGoBackToTheClientWithState() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        func expectRedirect(_ target: String, _ error: String, state: String? = "af0ifjsldkj",
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
            let response = try browser.get(target)
            #expect(response.status == 302, sourceLocation: sourceLocation)
            let location = try #require(response.header("Location"), sourceLocation: sourceLocation)
            #expect(location.hasPrefix(AuthorizationFixture.redirect + "?"), sourceLocation: sourceLocation)
            let parameters = Browser.parameters(location)
            #expect(parameters["error"] == error, sourceLocation: sourceLocation)
            #expect(parameters["state"] == state, sourceLocation: sourceLocation)
            #expect(parameters["code"] == nil, sourceLocation: sourceLocation)
        }
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, challenge: nil), "invalid_request")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, method: nil), "invalid_request")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, method: "plain"), "invalid_request")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, challenge: AuthorizationFixture.verifier,
                                                                method: "plain"), "invalid_request")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, challenge: "too-short"), "invalid_request")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, responseType: "token"),
                           "unsupported_response_type")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, responseType: nil), "invalid_request")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, scope: "clients:write"), "invalid_scope")
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, scope: "ledger:admin"), "invalid_scope")
        // state: repeated or oversized is refused without echoing it; absent is fine.
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id) + "&state=second", "invalid_request",
                           state: nil)
        try expectRedirect(AuthorizationFixture.authorizeTarget(clientID: client.id, state: String(repeating: "s", count: 1025)),
                           "invalid_request", state: nil)
        let stateless = try fixture.authorize(fixture.browser(), clientID: client.id, state: nil)
        let location = try #require(stateless.header("Location"))
        #expect(Browser.parameters(location)["state"] == nil && Browser.parameters(location)["code"] != nil)
    }

    @Test func denyingConsentSendsAccessDeniedWithState() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let denied = try fixture.authorize(fixture.browser(), clientID: client.id, state: "keep-me", decision: "deny")
        #expect(denied.status == 302)
        let parameters = Browser.parameters(try #require(denied.header("Location")))
        #expect(parameters["error"] == "access_denied")
        #expect(parameters["state"] == "keep-me")
        #expect(parameters["code"] == nil)
        #expect(try fixture.cli(["audit", "export"]).stdout.contains(#""type":"api.authorization_denied""#))
    }

    @Test func formsWithoutTheSessionsCSRFTokenAreRefused() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        let login = try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id))
        let form = try #require(Browser.forms(login.bodyString).first)
        let requestID = try #require(form.hidden.first { $0.0 == "request" }?.1)
        let credentials = [("request", requestID), ("email", "ana@example.com"), ("password", AuthorizationFixture.password)]
        for fields in [credentials, credentials + [("csrf_token", "wrong")], credentials + [("csrf_token", "")]] {
            let refused = try browser.post("/oauth/authorize/login", fields)
            #expect(refused.status == 403)
            #expect(refused.header("Content-Type") == "text/html; charset=utf-8")
        }
        // The right token from another session does not help either.
        let other = fixture.browser()
        let otherLogin = try other.get(AuthorizationFixture.authorizeTarget(clientID: client.id))
        let otherToken = try #require(Browser.forms(otherLogin.bodyString).first?.hidden.first { $0.0 == "csrf_token" }?.1)
        #expect(try browser.post("/oauth/authorize/login", credentials + [("csrf_token", otherToken)]).status == 403)

        // Logged in: the consent form needs the new session's token (the login one is retired).
        let loggedIn = try fixture.logIn(browser, on: login)
        let consent = try browser.get(try #require(loggedIn.header("Location")))
        let oldToken = try #require(form.hidden.first { $0.0 == "csrf_token" }?.1)
        let stale = try browser.post("/oauth/authorize/consent",
                                     [("csrf_token", oldToken), ("request", requestID), ("decision", "approve")])
        #expect(stale.status == 403)
        #expect(try browser.post("/oauth/authorize/consent", [("request", requestID), ("decision", "approve")]).status == 403)
        // A post without the cookie at all.
        let token = try #require(Browser.forms(consent.bodyString).first?.hidden.first { $0.0 == "csrf_token" }?.1)
        #expect(try fixture.browser().post("/oauth/authorize/consent",
                                           [("csrf_token", token), ("request", requestID), ("decision", "approve")]).status == 403)
        // Still pending and usable with the right token.
        #expect(try browser.submit(consent, action: "/oauth/authorize/consent", [("decision", "approve")]).status == 302)
    }

    @Test func loginsAreThrottledPerAccountWithOneMessageForEveryFailure() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        let page = try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id))
        let unknown = try fixture.logIn(browser, on: page, email: "nobody@example.com")
        let wrong = try fixture.logIn(browser, on: page, password: "not the password")
        #expect(unknown.status == 400 && wrong.status == 400)
        #expect(unknown.bodyString.contains("The e-mail or password is wrong."))
        #expect(wrong.bodyString.contains("The e-mail or password is wrong."))
        #expect(!unknown.bodyString.contains("nobody@example.com is") && !unknown.bodyString.lowercased().contains("no such"))
        for _ in 0..<4 { _ = try fixture.logIn(browser, on: page, password: "still wrong") }
        // Five failures for ana: even the right password is refused now, before it is checked.
        let throttled = try fixture.logIn(browser, on: page)
        #expect(throttled.status == 429)
        #expect(Int(throttled.header("Retry-After") ?? "") ?? 0 > 0)
        #expect(throttled.bodyString.contains("Too many failed sign-ins"))
        // Another account from the same address still works (the address limit is higher).
        let gina = try fixture.user("gina@example.com", org: "acme")
        #expect(!gina.isEmpty)
        #expect(try fixture.logIn(browser, on: page, email: "gina@example.com").status == 303)
    }

    @Test func pagesCarryTheSecurityHeaders() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        let login = try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id))
        let loggedIn = try fixture.logIn(browser, on: login)
        let consent = try browser.get(try #require(loggedIn.header("Location")))
        let error = try browser.get(AuthorizationFixture.authorizeTarget(clientID: "cl_nobody"))
        for page in [login, loggedIn, consent, error] {
            let csp = try #require(page.header("Content-Security-Policy"))
            #expect(csp.contains("default-src 'none'"))
            #expect(csp.contains("style-src 'sha256-"))
            #expect(csp.contains("form-action 'self'"))
            #expect(csp.contains("frame-ancestors 'none'"))
            #expect(!csp.contains("unsafe"))
            #expect(page.header("X-Frame-Options") == "DENY")
            #expect(page.header("Cache-Control") == "no-store")
            #expect(page.header("X-Content-Type-Options") == "nosniff")
            #expect(!page.bodyString.contains("<script"))
            // Nothing loaded from anywhere: no scripts, images, frames or stylesheet links.
            #expect(!page.bodyString.contains(" src=") && !page.bodyString.contains("<link"))
        }
        // The consent form ends in a redirect to the client: its origin is allowed as a form target.
        #expect(consent.header("Content-Security-Policy")?.contains("form-action 'self' http://127.0.0.1:9;") == true)
        // Only GET starts an authorization; only POST answers a form.
        let post = try browser.post("/oauth/authorize", [])
        #expect(post.status == 405 && post.header("Allow") == "GET, HEAD")
        let head = try browser.head(AuthorizationFixture.authorizeTarget(clientID: "cl_unknown"))
        #expect(head.status == 400 && head.body.isEmpty)
        #expect(try browser.get("/oauth/authorize/login").status == 405)
        #expect(try browser.get("/oauth/authorize/elsewhere").status == 404)
    }

    @Test func usersOfAnotherOrgCannotAuthorizeTheApplication() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        let login = try browser.get(AuthorizationFixture.authorizeTarget(clientID: client.id))
        let loggedIn = try fixture.logIn(browser, on: login, email: "gil@example.com")
        #expect(loggedIn.status == 303)
        let page = try browser.get(try #require(loggedIn.header("Location")))
        #expect(page.bodyString.contains("not a member of Acme Ltd"))
        #expect(!page.bodyString.contains("action=\"/oauth/authorize/consent\""))
    }
}
