import Foundation
import GatewayHTTP
import GatewayTestSupport

/// A configuration served for real: one sample ledger upstream and a gateway
/// (with its token service) in front of it, both `portcullis` processes on
/// loopback port 0, with a fresh data directory. Orgs and clients are made
/// with the CLI on that directory *before* the gateway starts, so the gateway
/// reads their rates on its first look at the store. Stopped (and cleaned up)
/// by `stop()` or deinit.
final class LiveGateway: @unchecked Sendable {
    // Created and stopped by one test; the processes guard their own state.
    let upstream: PortcullisProcess
    let gateway: PortcullisProcess
    let directory: URL
    var baseURL: String { "http://127.0.0.1:\(gateway.port)" }
    var dataPath: String { directory.appendingPathComponent("data").path }

    /// A client made with `portcullis client create`.
    struct Client {
        var id: String
        var secret: String
    }

    /// `routes` gets the upstream's URL and returns the configuration text;
    /// `prepare` gets the data directory and runs the CLI on it.
    init(routes: (String) throws -> String = { try OpenAPIFixtures.routesText(v1: $0, v2: $0) },
         prepare: (String) throws -> Void = { _ in }) throws {
        directory = try OpenAPIFixtures.temporaryDirectory("live-gateway")
        let data = directory.appendingPathComponent("data").path
        upstream = try PortcullisProcess(["sample-upstream", "--listen", "127.0.0.1:0"])
        let path = directory.appendingPathComponent("routes.json").path
        try routes("http://127.0.0.1:\(upstream.port)").write(toFile: path, atomically: true, encoding: .utf8)
        try prepare(data)
        gateway = try PortcullisProcess(["serve", "--config", path, "--data", data])
    }

    /// The fixture configuration with org `acme` (every scope the fixture
    /// uses) and one client granted `ledger:read` at 2 requests a minute,
    /// for the SDK smoke programs.
    static func forSmokePrograms() throws -> (LiveGateway, Client) {
        var client: Client?
        let gateway = try LiveGateway(prepare: { data in
            try createOrg(data: data, scopes: ["ledger:read", "ledger:write", "ledger:export", "reports:read",
                                               "reports:admin", "clients:read", "clients:write"])
            client = try createClient(data: data, name: "sdk smoke", scopes: ["ledger:read"], rpm: 2)
        })
        return (gateway, client!)
    }

    /// `portcullis org create` for org `acme`.
    static func createOrg(data: String, scopes: [String]) throws {
        _ = try cli(["org", "create", "--id", "acme", "--name", "Acme Ltd", "--scopes", scopes.joined(separator: ",")],
                    data: data)
    }

    /// `portcullis client create` in org `acme` (bcrypt cost 10, the fastest allowed).
    static func createClient(data: String, name: String, scopes: [String], rpm: Int) throws -> Client {
        let made = try cli(["client", "create", "--org", "acme", "--name", name, "--scopes", scopes.joined(separator: ","),
                            "--rpm", String(rpm), "--bcrypt-cost", "10"], data: data)
        guard let id = made["client_id"]?.stringValue, let secret = made["client_secret"]?.stringValue else {
            throw PortcullisProcessError("client create printed no credentials: \(made.serialized)")
        }
        return Client(id: id, secret: secret)
    }

    /// Runs `portcullis <arguments> --data <data>` to completion; its stdout as JSON.
    static func cli(_ arguments: [String], data: String) throws -> JSONValue {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PortcullisProcess.binary)
        process.arguments = arguments + ["--data", data]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The outputs are small (one JSON object, one error line): reading one pipe to the end cannot block the other.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let command = "portcullis " + arguments.joined(separator: " ")
        guard process.terminationStatus == 0 else {
            throw PortcullisProcessError("\(command) exited \(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
        }
        do {
            return try JSONParser.parse(Array(stdout), maxDepth: 16)
        } catch {
            throw PortcullisProcessError("\(command) printed no JSON: \(String(decoding: stdout, as: UTF8.self))")
        }
    }

    func stop() {
        gateway.stop()
        upstream.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
