import Foundation
import Testing

/// A real browser (headless Chromium through Selenium) goes through the authorization
/// pages and the portal: cookies over plain HTTP, the CSP `form-action` that must allow
/// the redirect to the client, forms without JavaScript. Chromium, chromedriver and
/// selenium (in the project's `.venv/`) are installed by `scripts/install-sdk-deps.sh`,
/// which `make test` runs; `$PORTCULLIS_SELENIUM_PYTHON` may point at another Python.
@Suite struct BrowserSmokeTests {
    /// The Python that drives the browser, or a message saying what to install.
    static func python() throws -> String {
        for tool in ["/usr/bin/chromedriver", "/usr/bin/chromium"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw HarnessError("\(tool) is missing: run scripts/install-sdk-deps.sh")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates: [String?] = [ProcessInfo.processInfo.environment["PORTCULLIS_SELENIUM_PYTHON"],
                          root.appendingPathComponent(".venv/bin/python").path]
        let found = candidates.compactMap { $0 }.first { path in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-c", "import selenium"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        guard let found else { throw HarnessError("no Python with selenium: run scripts/install-sdk-deps.sh") }
        return found
    }

    @Test
    func chromiumAuthorizesAndRegistersAnApplication() throws {
        let fixture = try AuthorizationFixture()
        let redirect = "http://127.0.0.1:\(fixture.upstream.port)/callback/_echo"
        let client = try fixture.makeClient(redirect: redirect)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser/authorization_smoke.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.python())
        process.arguments = [script, "http://127.0.0.1:\(fixture.port)", client.id, try #require(client.secret), redirect,
                             "ana@example.com", AuthorizationFixture.password]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any],
                                  "\(String(decoding: data, as: UTF8.self))")
        #expect(result["error"] == nil, "\(result["error"] ?? "")")
        #expect(result["login_title"] as? String == "Sign in · Portcullis")
        #expect(result["consent_title"] as? String == "Allow access · Portcullis")
        #expect((result["callback"] as? String)?.hasPrefix(redirect + "?code=") == true)
        #expect(result["state"] as? String == "state with spaces & more")
        #expect(result["token_scope"] as? String == "ledger:read")
        #expect(result["has_refresh_token"] as? Bool == true)
        #expect(result["portal_title"] as? String == "Applications · Portcullis")
        #expect(result["created_title"] as? String == "Application registered · Portcullis")
        #expect(result["secrets_shown"] as? Int == 2)
        #expect((result["csp_violations"] as? [String])?.isEmpty == true)
    }
}
