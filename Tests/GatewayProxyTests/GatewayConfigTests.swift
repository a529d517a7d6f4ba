import Foundation
import GatewayProxy
import Testing

@Suite struct GatewayConfigTests {
    @Test func theContractExampleIsValid() throws {
        let config = try ConfigFixtures.decode(ConfigFixtures.valid)
        #expect(config.listen.port == 8080)
        #expect(config.audience == "http://127.0.0.1:8080")
        #expect(config.apis[0].versions[0].deprecatedAt == 1_788_220_800)
        #expect(config.apis[0].operations.count == 3)
        #expect(config.maxBodyBytes == 10 * 1024 * 1024)
        #expect(config.headerTimeoutSeconds == 10 && config.idleTimeoutSeconds == 60)
        #expect(config.connectTimeoutMillis == 2000 && config.timeoutMillis == 30_000)
    }

    @Test func unknownKeysAreErrorsNamingTheirPath() {
        let text = ConfigFixtures.valid.replacingOccurrences(of: "\"upstream\": \"http://127.0.0.1:9002\"",
                                                             with: "\"upstream\": \"http://127.0.0.1:9002\", \"colour\": 1")
        #expect(ConfigFixtures.issues(text) == ["apis[0].versions[1].colour: unknown key"])
        let top = ConfigFixtures.valid.replacingOccurrences(of: "\"default_rpm\": 1000,", with: "\"default_rpm\": 1000, \"lissen\": 1,")
        #expect(ConfigFixtures.issues(top) == ["lissen: unknown key"])
    }

    @Test func ttlAboveFifteenMinutesIsRefused() {
        let text = ConfigFixtures.valid.replacingOccurrences(of: "\"token_ttl_seconds\": 900", with: "\"token_ttl_seconds\": 901")
        #expect(ConfigFixtures.issues(text) == ["token_ttl_seconds: must be between 1 and 900, found 901"])
    }

    @Test func sunsetNeedsNinetyDaysOfNotice() {
        let text = ConfigFixtures.valid.replacingOccurrences(of: "\"sunset\": \"2027-03-01\"", with: "\"sunset\": \"2026-11-29\"")
        let issues = ConfigFixtures.issues(text)
        #expect(issues.count == 1)
        #expect(issues.first?.hasPrefix("apis[0].versions[0].sunset: must be at least 90 days after deprecated_at") == true)
        #expect(issues.first?.contains("2026-11-30 at the earliest") == true)
        let exactly90 = ConfigFixtures.valid.replacingOccurrences(of: "\"sunset\": \"2027-03-01\"", with: "\"sunset\": \"2026-11-30\"")
        #expect(ConfigFixtures.issues(exactly90) == [])
    }

    @Test func sunsetWithoutDeprecationIsRefused() {
        let text = ConfigFixtures.valid.replacingOccurrences(of: "\"deprecated_at\": \"2026-09-01\", ", with: "")
        #expect(ConfigFixtures.issues(text).contains { $0.hasPrefix("apis[0].versions[0].deprecated_at: is required when sunset is set") })
    }

    @Test func aDeprecatedVersionNeedsACurrentSuccessor() {
        let text = ConfigFixtures.valid.replacingOccurrences(
            of: "{ \"version\": \"v2\", \"upstream\": \"http://127.0.0.1:9002\" }",
            with: "{ \"version\": \"v2\", \"upstream\": \"http://127.0.0.1:9002\", \"deprecated_at\": \"2026-10-01\" }")
        // One problem, one line.
        #expect(ConfigFixtures.issues(text) == [
            "apis[0].versions: every version is deprecated: keep at least one current version for integrators to move to",
        ])
        // The current version is listed before the deprecated one: nothing to move to after it.
        let swapped = ConfigFixtures.valid.replacingOccurrences(
            of: "{ \"version\": \"v2\", \"upstream\": \"http://127.0.0.1:9002\" }",
            with: "{ \"version\": \"v0\", \"upstream\": \"http://127.0.0.1:9002\", \"deprecated_at\": \"2026-10-01\" }")
            .replacingOccurrences(of: "\"versions\": [", with: "\"versions\": [{ \"version\": \"v2\", \"upstream\": \"http://127.0.0.1:9002\" }, ")
        #expect(ConfigFixtures.issues(swapped).contains {
            $0.hasPrefix("apis[0].versions[2].deprecated_at: a deprecated version needs a later, current version") })
    }

    @Test func operationsWithoutScopesAreRefusedUnlessPublic() {
        let noScopes = ConfigFixtures.valid.replacingOccurrences(of: "\"scopes\": [\"ledger:write\"]", with: "\"scopes\": []")
        #expect(ConfigFixtures.issues(noScopes) == [
            "apis[0].operations[1].scopes: must list at least one scope (deny by default), or mark the operation \"public\": true",
        ])
        let isPublic = ConfigFixtures.valid.replacingOccurrences(of: "\"scopes\": [\"ledger:write\"]", with: "\"public\": true")
        #expect(ConfigFixtures.issues(isPublic) == [])
        let badScope = ConfigFixtures.valid.replacingOccurrences(of: "\"scopes\": [\"ledger:write\"]", with: "\"scopes\": [\"ledger write\"]")
        #expect(ConfigFixtures.issues(badScope).first?.hasPrefix("apis[0].operations[1].scopes[0]:") == true)
    }

    @Test func duplicateRoutesAndReservedPathsAreRefused() {
        let dup = ConfigFixtures.valid.replacingOccurrences(of: "\"path\": \"/ledger/entries/{id}\"", with: "\"path\": \"/ledger/entries\"")
        #expect(ConfigFixtures.issues(dup).contains { $0.contains("GET /v1/ledger/entries is already declared at apis[0].operations[0]") })
        let sameShape = ConfigFixtures.valid.replacingOccurrences(
            of: "{ \"method\": \"POST\", \"path\": \"/ledger/entries\",      \"scopes\": [\"ledger:write\"] }",
            with: "{ \"method\": \"GET\", \"path\": \"/ledger/entries/{entry}\", \"scopes\": [\"ledger:write\"] }")
        #expect(ConfigFixtures.issues(sameShape).contains { $0.contains("is already declared") })
        let reserved = ConfigFixtures.valid.replacingOccurrences(of: "\"path\": \"/ledger/entries/{id}\"", with: "\"path\": \"/token/introspect\"")
        #expect(ConfigFixtures.issues(reserved).contains { $0.hasPrefix("apis[0].operations[2].path: /v1/token/introspect is served by the gateway itself") })
    }

    @Test func typeErrorsNameThePathAndTheFoundType() {
        let text = ConfigFixtures.valid.replacingOccurrences(of: "\"default_rpm\": 1000", with: "\"default_rpm\": \"many\"")
        #expect(ConfigFixtures.issues(text) == ["default_rpm: must be an integer, found a string"])
        let listen = ConfigFixtures.valid.replacingOccurrences(of: "\"listen\": \"127.0.0.1:8080\"", with: "\"listen\": \"8080\"")
        #expect(ConfigFixtures.issues(listen) == ["listen: must be host:port, e.g. 127.0.0.1:8080"])
        #expect(ConfigFixtures.issues("[1,2]") == ["must be an object, found an array"])
        #expect(ConfigFixtures.issues("{\"listen\": ").first?.hasPrefix("invalid JSON at byte") == true)
    }

    @Test func badPathTemplatesAreRefused() {
        for (template, message) in [("ledger", "must start with '/'"), ("/a/../b", "must not contain dot segments"),
                                    ("/a/x{id}", "parameters must be whole segments such as {id}"), ("/a/", "must not end with '/'"),
                                    ("/a//b", "segment 2 is empty")] {
            let text = ConfigFixtures.valid.replacingOccurrences(of: "\"path\": \"/ledger/entries/{id}\"", with: "\"path\": \"\(template)\"")
            #expect(ConfigFixtures.issues(text) == ["apis[0].operations[2].path: \(message)"], "template \(template)")
        }
    }

    @Test func everyProblemIsReportedNotOnlyTheFirst() {
        let text = ConfigFixtures.valid
            .replacingOccurrences(of: "\"token_ttl_seconds\": 900", with: "\"token_ttl_seconds\": 3600")
            .replacingOccurrences(of: "\"method\": \"POST\"", with: "\"method\": \"post\"")
            .replacingOccurrences(of: "\"upstream\": \"http://127.0.0.1:9002\"", with: "\"upstream\": \"ftp://x\"")
        #expect(ConfigFixtures.issues(text).count == 3)
    }

    @Test func upstreamBaseURLsAreCheckedWhenTheFileIsRead() {
        let v2 = "\"upstream\": \"http://127.0.0.1:9002\""
        for (url, message) in [("ftp://x", "must start with http:// or https://"),
                               ("http://user:pw@h:1", "must not carry user information (name:password@)"),
                               ("http://h:0", "has a port that is not a number from 1 to 65535"),
                               ("http://h:70000", "has a port that is not a number from 1 to 65535"),
                               ("http://:9002", "has no host"),
                               ("http://h:1/a b", "must be printable ASCII without spaces or backslashes"),
                               ("http://h:1/base?x=1", "must not have a query or fragment")] {
            let text = ConfigFixtures.valid.replacingOccurrences(of: v2, with: "\"upstream\": \"\(url)\"")
            #expect(ConfigFixtures.issues(text)
                    == ["apis[0].versions[1].upstream: \(message): an http(s) base URL such as http://127.0.0.1:9001 is expected"],
                    "\(url)")
        }
        for url in ["http://ledger.internal", "https://[::1]:8443/base/", "http://h:1/api/v2"] {
            let text = ConfigFixtures.valid.replacingOccurrences(of: v2, with: "\"upstream\": \"\(url)\"")
            #expect(ConfigFixtures.issues(text) == [], "\(url)")
        }
    }

    @Test func aTrustedAuthorityFileMustBeReadableAndServeAnHTTPSUpstream() throws {
        let v2 = "\"upstream\": \"http://127.0.0.1:9002\""
        let ca = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-ca-\(getpid()).pem").path
        #expect(FileManager.default.createFile(atPath: ca, contents: Array("not checked here".utf8).withUnsafeBytes { Data($0) }))
        defer { try? FileManager.default.removeItem(atPath: ca) }
        let missing = ConfigFixtures.valid.replacingOccurrences(
            of: v2, with: "\"upstream\": \"https://127.0.0.1:9002\", \"tls_ca_file\": \"/nonexistent/ca.pem\"")
        #expect(ConfigFixtures.issues(missing)
                == ["apis[0].versions[1].tls_ca_file: cannot read /nonexistent/ca.pem: name a PEM file of certificate authorities"])
        let plain = ConfigFixtures.valid.replacingOccurrences(of: v2, with: "\(v2), \"tls_ca_file\": \"\(ca)\"")
        #expect(ConfigFixtures.issues(plain) == ["apis[0].versions[1].tls_ca_file: applies to https upstreams only"])
        let good = ConfigFixtures.valid.replacingOccurrences(
            of: v2, with: "\"upstream\": \"https://127.0.0.1:9002\", \"tls_ca_file\": \"\(ca)\"")
        let config = try ConfigFixtures.decode(good)
        #expect(config.apis[0].versions[1].tlsCAFile == ca)
    }
}
