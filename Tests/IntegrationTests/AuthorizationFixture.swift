import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// A gateway with its token service and one sample upstream behind `v1` and `v2`, for the
/// user-delegated flows: org `acme` (policy `ledger:read ledger:write clients:write`) with
/// the user `ana@example.com`, org `globex` with `gil@example.com`, and helpers that act
/// as a browser (authorize, log in, consent) and as the client application (exchange the
/// code, refresh, call the API). The upstream's `GET /_echo` needs `ledger:read`, so a
/// user token's subject can be seen arriving upstream.
final class AuthorizationFixture: @unchecked Sendable {
    let directory: URL
    let upstream: ServiceProcess
    let gateway: ServiceProcess
    var port: Int { gateway.port }
    var dataPath: String { directory.appendingPathComponent("data").path }
    static let password = "correct horse battery"
    static let redirect = "http://127.0.0.1:9/cb"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    private(set) var anaID = ""

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-ac-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        upstream = try ServiceProcess(["sample-upstream", "--listen", "127.0.0.1:0"])
        let config = """
        {
          "listen": "127.0.0.1:0", "issuer": "http://127.0.0.1:8080", "workers": 2, "bcrypt_cost": 10,
          "apis": [{
            "name": "ledger",
            "versions": [ { "version": "v1", "upstream": "http://127.0.0.1:\(upstream.port)" },
                          { "version": "v2", "upstream": "http://127.0.0.1:\(upstream.port)" } ],
            "operations": [
              { "method": "GET", "path": "/ledger/entries", "scopes": ["ledger:read"], "summary": "List ledger entries" },
              { "method": "POST", "path": "/ledger/entries", "scopes": ["ledger:write"], "summary": "Post an entry" },
              { "method": "GET", "path": "/_echo", "scopes": ["ledger:read"], "summary": "Echo the request" }
            ]
          }]
        }
        """
        let configPath = directory.appendingPathComponent("routes.json").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        gateway = try ServiceProcess(["serve", "--config", configPath, "--data", directory.appendingPathComponent("data").path])
        try check(cli(["org", "create", "--id", "acme", "--name", "Acme Ltd",
                       "--scopes", "ledger:read,ledger:write,clients:write"]))
        try check(cli(["org", "create", "--id", "globex", "--name", "Globex", "--scopes", "ledger:read"]))
        anaID = try user("ana@example.com", org: "acme")
        _ = try user("gil@example.com", org: "globex")
    }

    /// Runs `portcullis <arguments> --data <data>`.
    func cli(_ arguments: [String], stdin: String? = nil) throws -> (code: Int32, stdout: String, stderr: String) {
        try runPortcullis(arguments + ["--data", dataPath], stdin: stdin)
    }

    private func check(_ result: (code: Int32, stdout: String, stderr: String)) throws {
        guard result.code == 0 else { throw HarnessError("command failed: \(result.stderr)") }
    }

    /// Creates a user with `password`; returns the id.
    func user(_ email: String, org: String, password: String = AuthorizationFixture.password) throws -> String {
        let result = try cli(["user", "create", "--org", org, "--email", email, "--bcrypt-cost", "10"], stdin: password + "\n")
        guard result.code == 0, let id = try TokenServiceFixture.object(result.stdout)["user_id"] as? String else {
            throw HarnessError("user create failed: \(result.stderr)")
        }
        return id
    }

    /// Creates a client registered for `redirect`; a public one has no secret.
    func makeClient(org: String = "acme", scopes: String = "ledger:read,ledger:write", isPublic: Bool = false,
                    redirect: String = AuthorizationFixture.redirect) throws -> (id: String, secret: String?) {
        let result = try cli(["client", "create", "--org", org, "--name", "Ledger Viewer", "--scopes", scopes,
                              "--redirect-uri", redirect, "--bcrypt-cost", "10"] + (isPublic ? ["--public"] : []))
        let object = try TokenServiceFixture.object(result.stdout)
        guard result.code == 0, let id = object["client_id"] as? String else {
            throw HarnessError("client create failed: \(result.stderr)")
        }
        return (id, object["client_secret"] as? String)
    }

    func browser() -> Browser { Browser(port: port) }

    /// `/oauth/authorize?…` with the given parameters (nil values are left out).
    static func authorizeTarget(_ parameters: [(String, String?)]) -> String {
        "/oauth/authorize?" + parameters.compactMap { name, value in
            value.map { PercentEncoding.encodeComponent(name) + "=" + PercentEncoding.encodeComponent($0) }
        }.joined(separator: "&")
    }

    /// The standard request for `clientID`, with overrides.
    static func authorizeTarget(clientID: String, scope: String? = "ledger:read", state: String? = "af0ifjsldkj",
                                redirect: String = AuthorizationFixture.redirect,
                                challenge: String? = AuthorizationFixture.challenge,
                                method: String? = "S256", responseType: String? = "code") -> String {
        authorizeTarget([("response_type", responseType), ("client_id", clientID), ("redirect_uri", redirect),
                         ("scope", scope), ("state", state), ("code_challenge", challenge),
                         ("code_challenge_method", method)])
    }

    /// Logs in on a login page; returns the answer (a 303 on success).
    func logIn(_ browser: Browser, on page: TestHTTPResponse, email: String = "ana@example.com",
               password: String = AuthorizationFixture.password) throws -> TestHTTPResponse {
        try browser.submit(page, [("email", email), ("password", password)])
    }

    /// Authorize → login → consent page → approve: the final redirect to the client.
    func authorize(_ browser: Browser, clientID: String, scope: String? = "ledger:read", state: String? = "af0ifjsldkj",
                   email: String = "ana@example.com", decision: String = "approve") throws -> TestHTTPResponse {
        var page = try browser.get(Self.authorizeTarget(clientID: clientID, scope: scope, state: state))
        #expect(page.status == 200, "\(page.bodyString.prefix(300))")
        if page.bodyString.contains("action=\"/oauth/authorize/login\"") {
            let loggedIn = try logIn(browser, on: page, email: email)
            #expect(loggedIn.status == 303, "\(loggedIn.bodyString.prefix(300))")
            let next = try #require(loggedIn.header("Location"))
            page = try browser.get(next)
        }
        #expect(page.status == 200)
        #expect(page.bodyString.contains("Allow"))
        return try browser.submit(page, action: "/oauth/authorize/consent", [("decision", decision)])
    }

    /// The whole browser part; returns the code from the redirect.
    func code(clientID: String, scope: String? = "ledger:read", browser: Browser? = nil) throws -> String {
        let redirect = try authorize(browser ?? self.browser(), clientID: clientID, scope: scope)
        #expect(redirect.status == 302)
        let location = try #require(redirect.header("Location"))
        return try #require(Browser.parameters(location)["code"])
    }

    /// `POST /oauth/token` as the client application.
    func token(_ form: [(String, String)], client: (id: String, secret: String?)) throws -> TestHTTPResponse {
        var fields = form
        var headers = HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")])
        if let secret = client.secret {
            headers.add(name: "Authorization", value: TokenServiceFixture.basic(client.id, secret))
        } else {
            fields.append(("client_id", client.id))
        }
        let body = fields.map { PercentEncoding.encodeFormComponent($0.0) + "=" + PercentEncoding.encodeFormComponent($0.1) }
            .joined(separator: "&")
        return try TestHTTPClient(port: port, timeout: .seconds(10)).request(method: "POST", target: "/oauth/token",
                                                                             headers: headers, body: body)
    }

    /// Redeems a code with the fixture's verifier and redirect URI.
    func exchange(_ code: String, client: (id: String, secret: String?), verifier: String = AuthorizationFixture.verifier,
                  redirect: String = AuthorizationFixture.redirect) throws -> TestHTTPResponse {
        try token([("grant_type", "authorization_code"), ("code", code), ("code_verifier", verifier),
                   ("redirect_uri", redirect)], client: client)
    }

    /// `GET /v2/_echo` with a bearer token.
    func echo(_ token: String) throws -> TestHTTPResponse {
        try TestHTTPClient(port: port, timeout: .seconds(10)).request(
            target: "/v2/_echo", headers: HTTPHeaders([("Authorization", "Bearer " + token)]))
    }

    func stop() {
        gateway.stop()
        upstream.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
