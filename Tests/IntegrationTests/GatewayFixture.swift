import Foundation
import GatewayTestSupport

/// A whole deployment for one test: two sample ledger upstreams (v1, v2) and
/// a gateway in front of them, each a real process on loopback, with a fresh
/// data directory. `routes` patches the generated routes.json.
final class GatewayFixture: @unchecked Sendable {
    let upstreamV1: ServiceProcess
    let upstreamV2: ServiceProcess
    private(set) var gateway: ServiceProcess
    let directory: URL
    var port: Int { gateway.port }
    var configPath: String { directory.appendingPathComponent("routes.json").path }
    var dataPath: String { directory.appendingPathComponent("data").path }

    /// - Parameters:
    ///   - top: extra top-level members, as JSON text without braces (`"max_body_bytes": 1000`).
    ///   - v1Extra / v2Extra: extra members of each version object.
    ///   - operations: extra operation objects appended to the defaults.
    ///   - v1Lifecycle: the deprecation members of v1.
    init(top: String = "", v1Extra: String = "", v2Extra: String = "", operations: [String] = [],
         v1Upstream: String? = nil,
         v1Lifecycle: String = #""deprecated_at": "2026-09-01", "sunset": "2099-03-01""#) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        upstreamV1 = try ServiceProcess(["sample-upstream", "--listen", "127.0.0.1:0"])
        upstreamV2 = try ServiceProcess(["sample-upstream", "--listen", "127.0.0.1:0"])
        let config = Self.routes(top: top, v1: v1Upstream ?? "http://127.0.0.1:\(upstreamV1.port)",
                                 v2: "http://127.0.0.1:\(upstreamV2.port)", v1Extra: v1Extra, v2Extra: v2Extra,
                                 operations: operations, v1Lifecycle: v1Lifecycle)
        try config.write(toFile: directory.appendingPathComponent("routes.json").path, atomically: true, encoding: .utf8)
        gateway = try ServiceProcess(["serve", "--config", directory.appendingPathComponent("routes.json").path,
                                      "--data", directory.appendingPathComponent("data").path])
    }

    static func routes(top: String, v1: String, v2: String, v1Extra: String, v2Extra: String, operations: [String],
                       v1Lifecycle: String = #""deprecated_at": "2026-09-01", "sunset": "2099-03-01""#) -> String {
        // Proxy behaviour is tested on public operations; authentication has its own tests.
        let ops = [
            #"{ "method": "GET", "path": "/ledger/entries", "public": true }"#,
            #"{ "method": "POST", "path": "/ledger/entries", "public": true }"#,
            #"{ "method": "GET", "path": "/ledger/entries/{id}", "public": true }"#,
            #"{ "method": "GET", "path": "/ledger/export", "public": true }"#,
            #"{ "method": "GET", "path": "/_echo", "public": true }"#,
            #"{ "method": "POST", "path": "/_echo", "public": true }"#,
        ] + operations
        return """
        {
          "listen": "127.0.0.1:0",
          "issuer": "http://127.0.0.1:8080",
          "workers": 2,
          \(top.isEmpty ? "" : top + ",")
          "apis": [{
            "name": "ledger",
            "versions": [
              { "version": "v1", "upstream": "\(v1)", \(v1Lifecycle),
                "link": "https://example.com/changelog#ledger-v2" \(v1Extra.isEmpty ? "" : ", " + v1Extra) },
              { "version": "v2", "upstream": "\(v2)" \(v2Extra.isEmpty ? "" : ", " + v2Extra) }
            ],
            "operations": [\(ops.joined(separator: ",\n"))]
          }]
        }
        """
    }

    func client(timeout: Duration = .seconds(10)) throws -> TestHTTPClient {
        try TestHTTPClient(port: port, timeout: timeout)
    }

    /// Replaces the configuration file (for reload tests).
    func rewriteConfig(_ text: String) throws {
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func stop() {
        gateway.stop()
        upstreamV1.stop()
        upstreamV2.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
