import Foundation
import Testing

/// A real browser (headless Chromium through Selenium) goes through the authorization
/// pages and the portal: cookies over plain HTTP, the CSP `form-action` that must allow
/// the redirect to the client, forms without JavaScript. Runs when `/usr/bin/chromedriver`
/// exists and a Python with selenium is found (`$PORTCULLIS_SELENIUM_PYTHON`, else
/// `python3`); the HTTP-level suites cover the same rules without a browser.
@Suite struct BrowserSmokeTests {
    static let python: String? = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else { return nil }
        let candidates = [ProcessInfo.processInfo.environment["PORTCULLIS_SELENIUM_PYTHON"], "/usr/bin/python3"]
        return candidates.compactMap { $0 }.first { path in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-c", "import selenium"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }()

    @Test(.enabled(if: python != nil, "needs chromium, chromium-driver and selenium"))
    func chromiumAuthorizesAndRegistersAnApplication() throws {
        let fixture = try AuthorizationFixture()
        let redirect = "http://127.0.0.1:\(fixture.upstream.port)/callback/_echo"
        let client = try fixture.makeClient(redirect: redirect)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser/authorization_smoke.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.python))
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
