import Foundation
import GatewayTestSupport
import Testing

/// Reload, drain and the configuration command, driven as an operator would.
@Suite struct LifecycleTests {
    @Test func sighupSwapsTheRouteTableAndABadFileKeepsTheOldOne() throws {
        let fixture = try GatewayFixture()
        let client = try fixture.client()
        #expect(try client.request(target: "/v2/ledger/entries/7").status == 200)
        #expect(try client.request(target: "/v2/ledger/summary").status == 404)

        let original = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
        let added = original.replacingOccurrences(
            of: #"{ "method": "GET", "path": "/_echo", "public": true }"#,
            with: #"{ "method": "GET", "path": "/_echo", "public": true }, { "method": "GET", "path": "/ledger/summary", "public": true }"#)
        try fixture.rewriteConfig(added)
        fixture.gateway.signal(SIGHUP)
        try waitUntil { fixture.gateway.stderr.contains("configuration reloaded") }
        // The same keep-alive connection sees the new table (the upstream answers 404 itself for this path).
        let summary = try client.request(target: "/v2/ledger/summary")
        #expect(summary.status == 404)
        #expect(try summary.jsonObject()["detail"] as? String == "The ledger has nothing at /v2/ledger/summary.")

        try fixture.rewriteConfig(#"{ "listen": "127.0.0.1:0", "apis": [], "bogus": 1 }"#)
        fixture.gateway.signal(SIGHUP)
        try waitUntil { fixture.gateway.stderr.contains("reload refused") }
        #expect(fixture.gateway.stderr.contains("bogus: unknown key"))
        #expect(try client.request(target: "/v2/ledger/entries/7").status == 200)
    }

    @Test func sigtermLetsInFlightRequestsFinishThenExitsZero() throws {
        let fixture = try GatewayFixture()
        let slow = try fixture.client()
        try slow.sendRequest(target: "/v2/ledger/entries?delay_ms=700")
        usleep(200_000)
        fixture.gateway.signal(SIGTERM)
        let response = try slow.readResponse()
        #expect(response.status == 200)
        #expect(response.closesConnection)
        #expect(fixture.gateway.waitForExit(seconds: 10) == 0)
        #expect(throws: (any Error).self) { try fixture.client().request(target: "/v2/ledger/entries") }
    }

    @Test func configCheckNamesEveryProblemByPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.json").path
        try GatewayFixture.routes(top: "", v1: "http://127.0.0.1:9001", v2: "http://127.0.0.1:9002", v1Extra: "",
                                  v2Extra: "", operations: []).write(toFile: good, atomically: true, encoding: .utf8)
        let ok = try runPortcullis(["config", "check", good])
        #expect(ok.code == 0)
        #expect(ok.stdout.contains("\"valid\": true"))

        let bad = dir.appendingPathComponent("bad.json").path
        try GatewayFixture.routes(top: #""token_ttl_seconds": 3600"#, v1: "http://127.0.0.1:9001", v2: "http://127.0.0.1:9002",
                                  v1Extra: #""sunsett": "2027-01-01""#, v2Extra: "",
                                  operations: [#"{ "method": "GET", "path": "/ledger/open" }"#])
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try runPortcullis(["config", "check", bad])
        #expect(result.code == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.contains { $0.hasSuffix("token_ttl_seconds: must be between 1 and 900, found 3600") })
        #expect(lines.contains { $0.hasSuffix("apis[0].versions[0].sunsett: unknown key") })
        #expect(lines.contains { $0.contains("apis[0].operations[6].scopes: must list at least one scope") })

        let missing = try runPortcullis(["config", "check", dir.appendingPathComponent("nope.json").path])
        #expect(missing.code == 1)
        #expect(missing.stderr.contains("cannot read"))
    }

    @Test func serveRefusesABadConfigurationAtStart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json").path
        try #"{"listen": "127.0.0.1:0", "issuer": "http://x", "apis": [], "token_ttl_seconds": 901}"#
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try runPortcullis(["serve", "--config", bad, "--data", dir.appendingPathComponent("d").path])
        #expect(result.code == 1)
        #expect(result.stderr.contains("token_ttl_seconds: must be between 1 and 900"))
        #expect(result.stderr.contains("apis: must list at least one API"))
    }

    @Test func unknownCommandsAndFlagsSayWhatToFix() throws {
        let unknownFlag = try runPortcullis(["config", "check", "--colour", "x", "f.json"])
        #expect(unknownFlag.code == 2)
        #expect(unknownFlag.stderr.contains("unknown option --colour"))
        let unknownCommand = try runPortcullis(["frobnicate"])
        #expect(unknownCommand.code == 2)
        #expect(unknownCommand.stderr.contains("unknown command 'frobnicate'"))
    }
}

/// Changes that would break integrators without notice are refused, at reload and by `config check`.
@Suite struct NoticeTests {
    @Test func removingAnOperationOrAVersionWithoutNoticeIsRefused() throws {
        let fixture = try GatewayFixture()
        let original = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
        let withoutOperation = original.replacingOccurrences(
            of: #"{ "method": "GET", "path": "/ledger/entries/{id}", "public": true },"#, with: "")
        try fixture.rewriteConfig(withoutOperation)
        let check = try runPortcullis(["config", "check", fixture.configPath, "--data", fixture.dataPath])
        #expect(check.code == 1)
        #expect(check.stderr.contains("GET /v2/ledger/entries/{id} was removed from v2, which has no past sunset"))
        #expect(check.stderr.contains("at least 90 days ahead"))
        fixture.gateway.signal(SIGHUP)
        try waitUntil { fixture.gateway.stderr.contains("reload refused") }
        #expect(try fixture.client().request(target: "/v2/ledger/entries/5").status == 200)

        // Without a served configuration to compare with, the same file is valid on its own.
        let fresh = try runPortcullis(["config", "check", fixture.configPath, "--data", fixture.directory.path + "/elsewhere"])
        #expect(fresh.code == 0)
    }
}
