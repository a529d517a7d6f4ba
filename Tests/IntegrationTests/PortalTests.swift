import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// The developer portal over real sockets, as a browser uses it.
@Suite struct PortalTests {
    /// Signs ana in on the portal; returns the dashboard.
    func signIn(_ fixture: AuthorizationFixture, _ browser: Browser, email: String = "ana@example.com") throws -> TestHTTPResponse {
        let login = try browser.get("/portal")
        #expect(login.status == 200)
        #expect(login.bodyString.contains("action=\"/portal/login\""))
        let done = try fixture.logIn(browser, on: login, email: email)
        #expect(done.status == 303)
        #expect(done.header("Location") == "/portal")
        return try browser.get("/portal")
    }

    func field(_ page: TestHTTPResponse, after label: String) -> String? {
        guard let range = page.bodyString.range(of: "<label>\(label)</label><div class=\"secret\">") else { return nil }
        let rest = page.bodyString[range.upperBound...]
        return rest.firstIndex(of: "<").map { String(rest[..<$0]) }
    }

    @Test func registerRotateAndRevokeAnApplication() throws {
        let fixture = try AuthorizationFixture()
        let existing = try fixture.makeClient()
        let foreign = try fixture.makeClient(org: "globex", scopes: "ledger:read")
        let browser = fixture.browser()
        let dashboard = try signIn(fixture, browser)
        #expect(dashboard.status == 200)
        for words in ["Acme Ltd", "ana@example.com", existing.id, "/openapi.json", "/v1/openapi.json", "/v2/openapi.json",
                      "/changelog", "portcullis sdk --lang typescript", "grant_type=client_credentials",
                      "http://127.0.0.1:8080/oauth/token", "scope=ledger:read", "http://127.0.0.1:8080/v2/ledger/entries"] {
            #expect(dashboard.bodyString.contains(words), "dashboard lacks \(words)")
        }
        #expect(!dashboard.bodyString.contains(foreign.id))
        #expect(try browser.get("/portal/apps/\(foreign.id)").status == 404)

        let form = try browser.get("/portal/apps/new")
        #expect(form.status == 200)
        for scope in ["ledger:read", "ledger:write", "clients:write"] {
            #expect(form.bodyString.contains("name=\"scope\" value=\"\(scope)\""))
        }
        #expect(form.bodyString.contains("List ledger entries"))
        // Refusals re-show the form with what was typed.
        let noScope = try browser.submit(form, [("name", "Payroll <sync>"), ("type", "confidential"), ("redirect_uris", "")])
        #expect(noScope.status == 400)
        #expect(noScope.bodyString.contains("Choose at least one scope"))
        #expect(noScope.bodyString.contains("value=\"Payroll &lt;sync&gt;\""))
        let outside = try browser.submit(form, [("name", "X"), ("type", "confidential"), ("scope", "payroll:admin")])
        #expect(outside.status == 400)
        #expect(outside.bodyString.contains("outside your organisation"))
        let publicWithoutRedirect = try browser.submit(form, [("name", "SPA"), ("type", "public"), ("scope", "ledger:read")])
        #expect(publicWithoutRedirect.status == 400)

        let created = try browser.submit(form, [("name", "Payroll sync"), ("type", "confidential"),
                                                ("scope", "ledger:read"), ("scope", "ledger:write"),
                                                ("redirect_uris", "https://payroll.example/cb\nhttps://payroll.example/cb2")])
        #expect(created.status == 200, "\(created.bodyString.prefix(500))")
        let id = try #require(field(created, after: "Client id"))
        let secret = try #require(field(created, after: "Client secret"))
        #expect(secret.utf8.count == 43)
        #expect(created.bodyString.contains("shown only once"))
        #expect(created.header("Cache-Control") == "no-store")
        let token = try fixture.token([("grant_type", "client_credentials")], client: (id, secret))
        #expect(token.status == 200)
        #expect(try token.jsonObject()["scope"] as? String == "ledger:read ledger:write")

        // Never shown again.
        let details = try browser.get("/portal/apps/\(id)")
        #expect(details.status == 200)
        #expect(details.bodyString.contains("https://payroll.example/cb2"))
        #expect(!details.bodyString.contains(secret))
        #expect(!(try browser.get("/portal").bodyString.contains(secret)))
        #expect(try browser.get("/portal").bodyString.contains("Payroll sync"))

        // Rotate: a new secret, once; the old one stops at once.
        let rotated = try browser.submit(details, action: "/portal/apps/\(id)/rotate-secret")
        #expect(rotated.status == 200)
        let fresh = try #require(field(rotated, after: "Client secret"))
        #expect(fresh != secret)
        #expect(try fixture.token([("grant_type", "client_credentials")], client: (id, secret)).status == 401)
        #expect(try fixture.token([("grant_type", "client_credentials")], client: (id, fresh)).status == 200)

        // Revoke, with a confirmation page first.
        let confirm = try browser.get("/portal/apps/\(id)/revoke")
        #expect(confirm.status == 200)
        #expect(confirm.bodyString.contains("cannot be undone"))
        let revoked = try browser.submit(confirm, action: "/portal/apps/\(id)/revoke")
        #expect(revoked.status == 303)
        #expect(try browser.get("/portal/apps/\(id)").bodyString.contains("REVOKED"))
        #expect(try fixture.token([("grant_type", "client_credentials")], client: (id, fresh)).status == 401)

        // A public application: no secret at all.
        let spa = try browser.submit(form, [("name", "Browser app"), ("type", "public"), ("scope", "ledger:read"),
                                            ("redirect_uris", "https://spa.example/cb")])
        #expect(spa.status == 200)
        #expect(field(spa, after: "Client secret") == nil)
        #expect(spa.bodyString.contains("public (PKCE, no secret)"))

        let audit = try fixture.cli(["audit", "export"]).stdout
        let portalEvents = audit.split(separator: "\n").filter { $0.contains(#""actor":"user:\#(fixture.anaID)""#) }
        let types = Set(portalEvents.compactMap { line in
            line.range(of: #""type":"([a-z_.]+)""#, options: .regularExpression).map { String(line[$0]) }
        })
        #expect(types == [#""type":"api.client_created""#, #""type":"api.secret_rotated""#, #""type":"api.client_revoked""#])
        #expect(!audit.contains(secret) && !audit.contains(fresh))
    }

    @Test func everyPortalFormNeedsTheSessionsCSRFToken() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        _ = try signIn(fixture, browser)
        let attempts: [(String, [(String, String)])] = [
            ("/portal/apps", [("name", "X"), ("type", "confidential"), ("scope", "ledger:read")]),
            ("/portal/apps/\(client.id)/rotate-secret", []),
            ("/portal/apps/\(client.id)/revoke", [("confirm", "yes")]),
            ("/portal/logout", []),
        ]
        for (target, fields) in attempts {
            for token in [nil, "wrong"] as [String?] {
                let response = try browser.post(target, fields + (token.map { [("csrf_token", $0)] } ?? []))
                #expect(response.status == 403, "\(target) with \(token ?? "no token")")
            }
        }
        // Nothing happened: the client is active with its old secret, the session is alive.
        #expect(try fixture.token([("grant_type", "client_credentials")], client: client).status == 200)
        let dashboard = try browser.get("/portal")
        #expect(dashboard.bodyString.contains("Signed in as"))
        // Logging out with the token works and ends the session.
        let out = try browser.submit(dashboard, action: "/portal/logout")
        #expect(out.status == 303)
        #expect(try browser.get("/portal").bodyString.contains("action=\"/portal/login\""))
        #expect(try browser.get("/portal/apps/new").status == 303)
    }

    @Test func portalPagesCarryTheSecurityHeaders() throws {
        let fixture = try AuthorizationFixture()
        let browser = fixture.browser()
        let login = try browser.get("/portal")
        let dashboard = try signIn(fixture, browser)
        for page in [login, dashboard, try browser.get("/portal/apps/new"), try browser.get("/portal/nowhere")] {
            let csp = try #require(page.header("Content-Security-Policy"))
            #expect(csp == "default-src 'none'; style-src \(csp.components(separatedBy: "style-src ")[1].components(separatedBy: ";")[0]); "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
            #expect(csp.contains("style-src 'sha256-"))
            #expect(page.header("X-Frame-Options") == "DENY")
            #expect(page.header("Cache-Control") == "no-store")
            #expect(page.header("Referrer-Policy") == "no-referrer")
            #expect(!page.bodyString.contains("<script") && !page.bodyString.contains(" src="))
        }
        let wrongMethod = try browser.post("/portal", [])
        #expect(wrongMethod.status == 405 && wrongMethod.header("Allow") == "GET, HEAD")
        // HEAD reads a page's headers without its body, as link checkers and monitors do.
        for path in ["/portal", "/portal/apps/new"] {
            let (get, head) = (try browser.get(path), try browser.head(path))
            #expect(head.status == 200 && get.status == 200 && head.body.isEmpty)
            #expect(head.header("Content-Length") == get.header("Content-Length"))
            #expect(head.header("Content-Security-Policy") == get.header("Content-Security-Policy"))
        }
    }

    @Test func noSecretTokenPasswordOrSessionCookieInAnyLogLine() throws {
        let fixture = try AuthorizationFixture()
        let client = try fixture.makeClient()
        let browser = fixture.browser()
        _ = try signIn(fixture, browser)
        let form = try browser.get("/portal/apps/new")
        let created = try browser.submit(form, [("name", "Logged"), ("type", "confidential"), ("scope", "ledger:read")])
        let secret = try #require(field(created, after: "Client secret"))
        let code = try fixture.code(clientID: client.id, browser: browser)
        let body = try fixture.exchange(code, client: client).jsonObject()
        let access = try #require(body["access_token"] as? String)
        let refresh = try #require(body["refresh_token"] as? String)
        #expect(try fixture.echo(access).status == 200)
        let sessions = browser.cookies.values + browser.setCookies.compactMap {
            $0.split(separator: ";")[0].split(separator: "=", maxSplits: 1).last.map(String.init)
        }
        let marker = try TestHTTPClient(port: fixture.port).request(target: "/healthz?marker=end-of-test")
        #expect(marker.status == 200)
        let logs = fixture.directory.appendingPathComponent("data/logs")
        var text = ""
        try waitUntil {
            text = try FileManager.default.contentsOfDirectory(atPath: logs.path)
                .map { try String(contentsOfFile: logs.appendingPathComponent($0).path, encoding: .utf8) }
                .joined(separator: "\n")
            return text.contains("end-of-test")
        }
        text += fixture.gateway.stderr
        #expect(text.contains("/portal/apps"))  // the requests are logged…
        for value in [secret, try #require(client.secret), code, access, refresh, AuthorizationFixture.password]
            + sessions where !value.isEmpty {
            #expect(!text.contains(value), "a log line holds \(value.prefix(8))…")  // …without any secret
        }
    }
}
