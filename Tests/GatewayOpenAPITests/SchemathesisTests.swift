import Foundation
import GatewayHTTP
@testable import GatewayOpenAPI
import GatewayTestSupport
import Testing

/// The gateway against its own OpenAPI document, with schemathesis (installed
/// into `.venv/` by `scripts/install-sdk-deps.sh`): a live gateway and the
/// sample upstream (real processes), the document it serves at
/// `/openapi.json`, and property-based requests to every operation, at most
/// 30 cases each. A response contradicting the document (status not listed,
/// content type, schema, headers, `Allow`), a 5xx, an undeclared method
/// answering other than 405, or a bearer operation answering without its
/// token fails the test.
///
/// The configuration (`Fixtures/conformance.routes.json`) declares only what
/// the sample upstream serves, with the shapes it answers, so a 404 or 502
/// from an upstream that does not know a path cannot hide or fake a finding.
/// Bearer operations get a real token carrying every scope of the
/// configuration; the OAuth endpoints get the same client's credentials as
/// HTTP Basic. Left out, and why:
/// - `GET /oauth/authorize`: a browser flow (login page, consent, redirects)
///   that blind requests cannot drive;
/// - the checks `negative_data_rejection` and `positive_data_acceptance`: the
///   gateway passes request bodies to the upstream unvalidated (the sample
///   accepts any), RFC 6749 and 7009 make the OAuth endpoints ignore unknown
///   parameters, and schema-valid requests are rightly refused for semantic
///   reasons (a scope outside the org's policy, Basic plus body credentials).
/// The revoke and rotate-secret operations always target a client made for
/// them, so the run cannot revoke the credentials it runs with.
@Suite struct SchemathesisTests {
    static var schemathesis: String { OpenAPIFixtures.venv + "/bin/schemathesis" }
    static let allScopes = ["ledger:read", "ledger:write", "clients:read", "clients:write"]

    @Test func liveGatewayConformsToItsDocument() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.schemathesis) else {
            Issue.record("\(Self.schemathesis) is missing: \(OpenAPIFixtures.installHint)")
            return
        }
        var fuzzer: LiveGateway.Client?, revocable: LiveGateway.Client?
        let gateway = try LiveGateway(routes: Self.routes, prepare: { data in
            try LiveGateway.createOrg(data: data, scopes: Self.allScopes)
            fuzzer = try LiveGateway.createClient(data: data, name: "conformance run", scopes: Self.allScopes, rpm: 1_000_000)
            revocable = try LiveGateway.createClient(data: data, name: "revoked by the run", scopes: ["ledger:read"], rpm: 60)
        })
        defer { gateway.stop() }
        let client = try #require(fuzzer), target = try #require(revocable)
        let work = gateway.directory.appendingPathComponent("schemathesis")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let http = try TestHTTPClient(port: gateway.gateway.port, timeout: .seconds(10))
        let document = try http.request(method: "GET", target: "/openapi.json")
        try #require(document.status == 200)
        try Data(document.body).write(to: work.appendingPathComponent("openapi.json"))
        let token = try Self.token(http, client)
        try Self.settings(token: token, client: client, target: target)
            .write(to: work.appendingPathComponent("schemathesis.toml"), atomically: true, encoding: .utf8)

        let run = try ProcessRunner.run(Self.schemathesis, Self.arguments(baseURL: gateway.baseURL),
                                        directory: work.path, timeoutSeconds: 150)
        let reportText = try? String(contentsOf: work.appendingPathComponent("report.json"), encoding: .utf8)
        guard let reportText, let report = try? JSONParser.parse(reportText, maxDepth: 64) else {
            Issue.record("schemathesis wrote no report (exit status \(run.status)):\n\(run.output.suffix(6000))")
            return
        }
        let seed = report["seed"].map { $0.serialized } ?? "?"
        let context = "seed \(seed) (rerun with PORTCULLIS_SCHEMATHESIS_SEED=\(seed))\n\(run.output.suffix(20_000))"
        let tested = report["operations"]?["tested"]?.intValue ?? 0
        #expect(tested == report["operations"]?["selected"]?.intValue && tested >= 20,
                "schemathesis tested \(tested) operations: \(report["operations"]?.serialized ?? "")")
        #expect(report["errors"]?.arrayValue?.isEmpty == true, "schemathesis errors: \(report["errors"]?.serialized ?? "")\n\(context)")

        for failure in report["failures"]?.arrayValue ?? [] {
            let code = failure["code"]?.stringValue ?? "?"
            let title = failure["title"]?.stringValue ?? ""
            for operation in failure["operations"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                Issue.record("\(code) \(title): \(operation)\n\(context)")
            }
        }

        // The run used the credentials it was given throughout: they are still good.
        let shown = try LiveGateway.cli(["client", "show", client.id], data: gateway.dataPath)
        #expect(shown["status"]?.stringValue == "ACTIVE")
    }

    static func routes(upstream: String) throws -> String {
        let url = OpenAPIFixtures.testsDirectory.appendingPathComponent("Fixtures/conformance.routes.json")
        return try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "{{UPSTREAM}}", with: upstream)
    }

    /// A token with every scope of the configuration, from the gateway's token endpoint.
    static func token(_ http: TestHTTPClient, _ client: LiveGateway.Client) throws -> String {
        let basic = "Basic " + Data("\(client.id):\(client.secret)".utf8).base64EncodedString()
        let answer = try http.request(method: "POST", target: "/oauth/token",
                                      headers: ["Authorization": basic, "Content-Type": "application/x-www-form-urlencoded"],
                                      body: Array("grant_type=client_credentials&scope=\(allScopes.joined(separator: "%20"))".utf8))
        let body = try JSONParser.parse(answer.body, maxDepth: 8)
        return try #require(body["access_token"]?.stringValue, "token endpoint answered \(answer.status) \(answer.bodyString)")
    }

    /// schemathesis's configuration: credentials per security scheme of the
    /// document, and the client every revoke and rotate-secret call targets.
    static func settings(token: String, client: LiveGateway.Client, target: LiveGateway.Client) -> String {
        """
        [auth.openapi.oauth2]
        bearer = "\(token)"

        [auth.openapi.clientSecretBasic]
        username = "\(client.id)"
        password = "\(client.secret)"

        [[operations]]
        include-path-regex = "^/v1/api-clients/\\\\{client_id\\\\}/"
        parameters = { client_id = "\(target.id)" }

        """
    }

    static func arguments(baseURL: String) -> [String] {
        var arguments = ["--config-file", "schemathesis.toml", "run", "openapi.json", "--url", baseURL,
                         "--max-examples", "30", "--exclude-path", "/oauth/authorize",
                         "--checks", "all", "--exclude-checks", "negative_data_rejection,positive_data_acceptance",
                         "--request-timeout", "10", "--generation-database", "none",
                         "--report", "json", "--report-json-path", "report.json",
                         "--no-color", "--output-truncate", "false"]
        if let seed = ProcessInfo.processInfo.environment["PORTCULLIS_SCHEMATHESIS_SEED"], !seed.isEmpty {
            arguments += ["--seed", seed]
        }
        return arguments
    }
}
