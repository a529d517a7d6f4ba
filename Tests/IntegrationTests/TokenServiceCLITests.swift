import Foundation
import GatewayHTTP
import GatewayStore
import GatewayTestSupport
import Testing

/// The CLI on the store of a running gateway: outputs, errors naming flags, key rotation
/// picked up by the gateway, and the audit chain's verification and export.
@Suite struct TokenServiceCLITests {
    static func isURLSafe(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) }
    }

    @Test func clientCommandsPrintJSONAndNameTheFlagOnErrors() throws {
        let fixture = try TokenServiceFixture()
        let created = try fixture.cli(["client", "create", "--org", "acme", "--name", "CLI app", "--scopes", "ledger:read",
                                       "--rpm", "60", "--external-id", "ext-1", "--redirect-uri", "https://app.example/cb",
                                       "--bcrypt-cost", "10"])
        #expect(created.code == 0, "\(created.stderr)")
        let object = try TokenServiceFixture.object(created.stdout)
        #expect(Set(object.keys) == ["client_id", "client_secret"])
        let id = try #require(object["client_id"] as? String)
        let secret = try #require(object["client_secret"] as? String)
        #expect(Self.isURLSafe(id) && Self.isURLSafe(secret))

        let replay = try fixture.cli(["client", "create", "--org", "acme", "--name", "CLI app", "--scopes", "ledger:read",
                                      "--rpm", "60", "--external-id", "ext-1", "--redirect-uri", "https://app.example/cb"])
        #expect(replay.code == 0)
        #expect(try TokenServiceFixture.object(replay.stdout)["client_id"] as? String == id)
        #expect(!replay.stdout.contains("client_secret"))

        let shown = try fixture.cli(["client", "show", id])
        #expect(shown.code == 0)
        let record = try TokenServiceFixture.object(shown.stdout)
        #expect(record["rpm"] as? Int == 60)
        #expect(record["redirect_uris"] as? [String] == ["https://app.example/cb"])
        #expect(!shown.stdout.contains("$2b$") && !shown.stdout.contains(secret))
        let listed = try fixture.cli(["client", "list"])
        #expect(listed.code == 0 && listed.stdout.contains(id) && !listed.stdout.contains("$2b$"))

        let rotated = try fixture.cli(["client", "rotate-secret", id, "--bcrypt-cost", "10"])
        let newSecret = try #require(try TokenServiceFixture.object(rotated.stdout)["client_secret"] as? String)
        #expect(newSecret != secret && Self.isURLSafe(newSecret))
        _ = try fixture.token(id, newSecret)

        let revoked = try fixture.cli(["client", "revoke", id])
        #expect(revoked.code == 0)
        let after = try TokenServiceFixture.object(revoked.stdout)
        #expect(after["status"] as? String == "REVOKED")
        #expect(after["revoked_reason"] as? String == "unspecified")
        #expect(after["revoked_by"] as? String == "cli")
        #expect(try fixture.cli(["client", "rotate-secret", id]).code == 1)

        let failures: [([String], Int32, String)] = [
            (["client", "create", "--name", "x", "--scopes", "ledger:read"], 2, "--org"),
            (["client", "create", "--org", "nope", "--name", "x", "--scopes", "ledger:read"], 1, "--org"),
            (["client", "create", "--org", "acme", "--name", "x", "--scopes", "payroll:admin"], 1, "--scopes"),
            (["client", "create", "--org", "acme", "--name", String(repeating: "n", count: 101), "--scopes", "a"], 2, "--name"),
            (["client", "create", "--org", "acme", "--name", "x", "--scopes", "ledger:read", "--rpm", "0"], 2, "--rpm"),
            (["client", "revoke", id, "--reason", "Bad Reason"], 2, "--reason"),
            (["client", "show", "cl_missing"], 1, "no client"),
            (["org", "create", "--id", "acme", "--name", "Again", "--scopes", "a"], 1, "--id"),
            (["keys", "rotate", "--alg", "HS256"], 2, "--alg"),
        ]
        for (arguments, code, mention) in failures {
            let result = try fixture.cli(arguments)
            #expect(result.code == code, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let help = try fixture.cli(["client", "create", "--help"])
        #expect(help.code == 0 && help.stdout.contains("--external-id"))
    }

    @Test func keyRotationByTheCLIIsPickedUpAndOldTokensStayValid() throws {
        let fixture = try TokenServiceFixture()
        let (id, secret) = try fixture.makeClient(scopes: "clients:write,ledger:read")
        let before = try fixture.token(id, secret)
        let oldKid = try #require(try JWTParts.header(before)["kid"] as? String)

        let rotated = try fixture.cli(["keys", "rotate", "--alg", "ES256"])
        #expect(rotated.code == 0, "\(rotated.stderr)")
        let output = try TokenServiceFixture.object(rotated.stdout)
        let newKid = try #require(output["kid"] as? String)
        #expect(output["retired_kid"] as? String == oldKid)
        #expect(output["alg"] as? String == "ES256")

        try waitUntil { try JWTParts.header(fixture.token(id, secret))["kid"] as? String == newKid }
        let after = try fixture.token(id, secret)
        #expect(try JWTParts.header(after)["alg"] as? String == "ES256")
        let jwks = try fixture.client().request(target: "/.well-known/jwks.json").jsonObject()
        let kids = Set(((jwks["keys"] as? [[String: Any]]) ?? []).compactMap { $0["kid"] as? String })
        #expect(kids == [oldKid, newKid])
        // Tokens signed by the retired key keep working until they expire.
        #expect(try fixture.introspect(before, as: (id, secret)).jsonObject()["active"] as? Bool == true)
        #expect(try fixture.manage("GET", "/v1/api-clients", token: before).status == 200)
        #expect(try fixture.manage("GET", "/v1/api-clients", token: after).status == 200)
        let listed = try TokenServiceFixture.object(try fixture.cli(["keys", "list"]).stdout)
        #expect((listed["keys"] as? [[String: Any]])?.count == 2)
        #expect(try fixture.cli(["audit", "export"]).stdout.contains(#""type":"api.key_rotated""#))
    }

    @Test func auditVerifyDetectsATamperedRowAndExportIsJSONLines() throws {
        let fixture = try TokenServiceFixture()
        let (id, secret) = try fixture.makeClient()
        for _ in 0..<3 { _ = try fixture.token(id, secret) }

        let valid = try fixture.cli(["audit", "verify"])
        #expect(valid.code == 0)
        let summary = try TokenServiceFixture.object(valid.stdout)
        #expect(summary["valid"] as? Bool == true)
        let count = try #require(summary["count"] as? Int)
        #expect(count >= 6)  // key, org, client, three tokens
        let headSeq = try #require(summary["head_seq"] as? Int)
        let headHash = try #require(summary["head_hash"] as? String)
        #expect(try fixture.cli(["audit", "verify", "--anchor", "\(headSeq):\(headHash)"]).code == 0)

        let lines = try fixture.cli(["audit", "export"]).stdout.split(separator: "\n")
        #expect(lines.count == count)
        // Changes made on the command line carry one request id per invocation; tokens, the request's own.
        let events = try lines.map { try TokenServiceFixture.object(String($0)) }
        let byCLI = events.filter { $0["actor"] as? String == "cli" }.compactMap { $0["request_id"] as? String }
        #expect(byCLI.count == 2 && byCLI.allSatisfy { $0.hasPrefix("cli-") && $0.count == 20 })
        #expect(Set(byCLI).count == 2, "org create and client create are two invocations")
        #expect(events.filter { $0["type"] as? String == "api.token_issued" }.allSatisfy { $0["request_id"] is String })
        var previous = 0
        for line in lines {
            let event = try TokenServiceFixture.object(String(line))
            let seq = try #require(event["seq"] as? Int)
            #expect(seq == previous + 1)
            previous = seq
        }
        #expect(!lines.joined().contains(secret))

        // Someone with the file edits an issued-token row.
        let raw = try SQLiteConnection(path: fixture.dataPath + "/portcullis.sqlite3", configuration: SQLiteConfiguration())
        let target = try #require(try raw.queryOne("SELECT seq FROM audit_events WHERE type = 'api.token_issued' ORDER BY seq LIMIT 1") {
            $0.int64(0)
        })
        _ = try raw.run("UPDATE audit_events SET client_id = 'cl_someone_else' WHERE seq = ?", target)
        let broken = try fixture.cli(["audit", "verify"])
        #expect(broken.code == 1)
        #expect(broken.stderr.contains("seq \(target)"))
        #expect(try TokenServiceFixture.object(broken.stdout)["first_bad_seq"] as? Int == Int(target))
    }

    @Test func orgAndUserCommands() throws {
        let fixture = try TokenServiceFixture(org: false)
        let org = try fixture.cli(["org", "create", "--id", "initech", "--name", "Initech", "--scopes", "ledger:read, ledger:write"])
        #expect(org.code == 0, "\(org.stderr)")
        #expect(try TokenServiceFixture.object(org.stdout)["scopes"] as? [String] == ["ledger:read", "ledger:write"])
        #expect(try fixture.cli(["org", "create", "--id", "bad id", "--name", "x", "--scopes", "a"]).code == 1)
        let user = try fixture.cli(["user", "create", "--org", "initech", "--email", "peter@initech.example",
                                    "--bcrypt-cost", "10"], stdin: "correct horse battery\n")
        #expect(user.code == 0, "\(user.stderr)")
        #expect(try TokenServiceFixture.object(user.stdout)["email"] as? String == "peter@initech.example")
        #expect(try fixture.cli(["user", "create", "--org", "initech", "--email", "nope"], stdin: "x").code == 2)
        #expect(try fixture.cli(["user", "create", "--org", "initech", "--email", "a@b.example"], stdin: "short").code == 2)
        #expect(!(try fixture.cli(["audit", "export"]).stdout.contains("correct horse")))
    }
}
