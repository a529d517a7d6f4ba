import Foundation
import GatewayHTTP
import GatewayOpenAPI
import GatewayProxy
import GatewayTestSupport

/// The fixed configuration the golden files, structural and SDK tests use
/// (`Fixtures/routes.template.json`), and where things are in the checkout.
enum OpenAPIFixtures {
    static let root = PortcullisProcess.repositoryRoot
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let goldenDirectory = testsDirectory.appendingPathComponent("Golden")
    static let venv = root.appendingPathComponent(".venv").path
    static let installHint = "run scripts/install-sdk-deps.sh (make test does) to install it"

    /// The fixture's text with both upstreams filled in.
    static func routesText(v1: String = "http://127.0.0.1:9001", v2: String = "http://127.0.0.1:9002") throws -> String {
        let url = testsDirectory.appendingPathComponent("Fixtures/routes.template.json")
        return try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "{{V1}}", with: v1)
            .replacingOccurrences(of: "{{V2}}", with: v2)
    }

    static func config() throws -> GatewayConfig {
        try GatewayConfig.decode(Array(routesText().utf8), now: 1_780_000_000)
    }

    /// A configuration from JSON text (for small, targeted cases).
    static func config(_ text: String) throws -> GatewayConfig {
        try GatewayConfig.decode(Array(text.utf8), now: 1_780_000_000)
    }

    /// A minimal configuration with the given operations (JSON objects) on `ledger` v1 and v2.
    static func config(operations: [String], versions: String? = nil, top: String = "") throws -> GatewayConfig {
        try config("""
        { "listen": "127.0.0.1:0", "issuer": "https://api.example.com/", \(top)
          "apis": [{ "name": "ledger", "versions": \(versions ?? #"[{"version": "v1", "upstream": "http://127.0.0.1:1"}, {"version": "v2", "upstream": "http://127.0.0.1:2"}]"#),
                     "operations": [\(operations.joined(separator: ","))] }] }
        """)
    }

    /// A temporary directory removed by the caller.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every value in a JSON document with its JSON-pointer-like path.
    static func walk(_ value: JSONValue, path: String = "", _ visit: (String, JSONValue) -> Void) {
        visit(path, value)
        switch value {
        case .object(let members): for (k, v) in members { walk(v, path: path + "/" + k, visit) }
        case .array(let items): for (i, v) in items.enumerated() { walk(v, path: path + "/\(i)", visit) }
        default: break
        }
    }
}

extension JSONValue {
    /// The value at a `/`-separated path of member names and array indices.
    func at(_ path: String) -> JSONValue? {
        var current: JSONValue? = self
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if case .array(let items)? = current, let i = Int(key) {
                current = i < items.count ? items[i] : nil
            } else {
                current = current?[key]
            }
        }
        return current
    }
}
