import Foundation
import GatewayOpenAPI
import Testing

/// Generates each SDK, builds it offline with Debian's toolchain, and runs
/// the smoke program in `Tests/SDK/<lang>/` against a live gateway with its
/// token service. Each program checks five things through the SDK alone:
/// a typed result from a public v2 operation; a 404 as a typed error; a
/// client-credentials token from the SDK's own token operation (form body,
/// HTTP Basic) and a scoped v2 call with it; a 429 as a typed error carrying
/// `Retry-After` and the problem document (the client may make 2 requests a
/// minute); a refused token request as a typed OAuth error. Tools come from
/// `scripts/install-sdk-deps.sh` (run by `make test`).
@Suite(.serialized) struct SDKBuildTests {
    static let goSources = "/usr/share/gocode/src/golang.org/x"

    /// What a smoke program needs: the gateway and the client's credentials.
    static func environment(_ gateway: LiveGateway, _ client: LiveGateway.Client) -> [String: String] {
        ["PORTCULLIS_URL": gateway.baseURL, "PORTCULLIS_CLIENT_ID": client.id, "PORTCULLIS_CLIENT_SECRET": client.secret]
    }

    /// Runs `body`; a missing tool or a failed step is recorded with what to do.
    func step(_ what: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch let error as SDKError {
            Issue.record("\(what): \(error)\n\(OpenAPIFixtures.installHint)")
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    @Test func typescript() throws {
        let (gateway, client) = try LiveGateway.forSmokePrograms()
        defer { gateway.stop() }
        step("typescript SDK") {
            let sdk = try SDKWorkbench.sdk(.typescript)
            try SDKWorkbench.run("tsc", ["-p", sdk], in: sdk)
            let dir = try SDKWorkbench.smokeDirectory(.typescript, files: ["smoke.ts"])
            defer { try? FileManager.default.removeItem(at: dir) }
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("sdk").path,
                                                       withDestinationPath: sdk)
            try SDKWorkbench.run("tsc", ["--target", "es2019", "--lib", "es2019,dom", "--module", "commonjs",
                                         "--moduleResolution", "node", "--strict", "--noImplicitAny", "false",
                                         "--skipLibCheck", "smoke.ts"], in: dir.path)
            let output = try SDKWorkbench.run("node", ["smoke.js"], in: dir.path,
                                              environment: Self.environment(gateway, client))
            #expect(output.contains("typescript smoke: 5 of 5 checks passed"), "\(output)")
        }
    }

    @Test func python() throws {
        let (gateway, client) = try LiveGateway.forSmokePrograms()
        defer { gateway.stop() }
        step("python SDK") {
            let sdk = try SDKWorkbench.sdk(.python)
            let python = OpenAPIFixtures.venv + "/bin/python"
            try SDKWorkbench.run(python, ["-m", "compileall", "-q", "portcullis_client"], in: sdk)
            let output = try SDKWorkbench.run(python, [SDKWorkbench.smokeSources.appendingPathComponent("python/smoke.py").path],
                                              in: sdk, environment: Self.environment(gateway, client).merging(["PYTHONPATH": sdk]) { $1 })
            #expect(output.contains("python smoke: 5 of 5 checks passed"), "\(output)")
        }
    }

    @Test func go() throws {
        let (gateway, client) = try LiveGateway.forSmokePrograms()
        defer { gateway.stop() }
        step("go SDK") {
            let sdk = try SDKWorkbench.sdk(.go)
            try SDKWorkbench.run("go", ["build", "./..."], in: sdk)
            let dir = try SDKWorkbench.smokeDirectory(.go, files: ["main.go"])
            defer { try? FileManager.default.removeItem(at: dir) }
            try """
            module portcullis-sdk-smoke

            go 1.19

            require (
            \t\(SDKGenerator.goModule) v0.0.0
            \tgolang.org/x/oauth2 v0.3.0
            )

            require golang.org/x/net v0.3.0 // indirect

            replace \(SDKGenerator.goModule) => \(sdk)

            replace golang.org/x/oauth2 => \(Self.goSources)/oauth2

            replace golang.org/x/net => \(Self.goSources)/net

            """.write(to: dir.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
            try SDKWorkbench.run("go", ["build", "-o", "smoke", "."], in: dir.path)
            let output = try SDKWorkbench.run(dir.appendingPathComponent("smoke").path, [], in: dir.path,
                                              environment: Self.environment(gateway, client))
            #expect(output.contains("go smoke: 5 of 5 checks passed"), "\(output)")
        }
    }
}
