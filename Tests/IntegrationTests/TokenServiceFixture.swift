import Foundation
import GatewayHTTP
import GatewayTestSupport

/// A gateway process with its token service on a fresh data directory (bcrypt cost 10 to
/// keep tests quick), plus the CLI on the same store: an org `acme` and helpers to create
/// clients, get tokens and call the endpoints. No upstreams: these tests talk to the
/// gateway's own endpoints only.
final class TokenServiceFixture: @unchecked Sendable {
    let directory: URL
    private(set) var gateway: ServiceProcess
    var port: Int { gateway.port }
    var dataPath: String { directory.appendingPathComponent("data").path }
    static let issuer = "http://127.0.0.1:8080"

    init(top: String = "", org: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = GatewayFixture.routes(top: #""bcrypt_cost": 10"# + (top.isEmpty ? "" : ", " + top),
                                           v1: "http://127.0.0.1:9", v2: "http://127.0.0.1:9", v1Extra: "", v2Extra: "",
                                           operations: [#"{ "method": "GET", "path": "/ledger/accounts", "scopes": ["ledger:read"] }"#,
                                                        #"{ "method": "POST", "path": "/ledger/journals", "scopes": ["ledger:write"] }"#])
        let configPath = directory.appendingPathComponent("routes.json").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        gateway = try ServiceProcess(["serve", "--config", configPath,
                                      "--data", directory.appendingPathComponent("data").path])
        if org {
            let made = try cli(["org", "create", "--id", "acme", "--name", "Acme Ltd",
                                "--scopes", "ledger:read,ledger:write,clients:write,clients:read"])
            guard made.code == 0 else { throw HarnessError("org create failed: \(made.stderr)") }
        }
    }

    /// Runs `portcullis <arguments> --data <data>`.
    func cli(_ arguments: [String], stdin: String? = nil) throws -> (code: Int32, stdout: String, stderr: String) {
        try runPortcullis(arguments + ["--data", dataPath], stdin: stdin)
    }

    /// Creates a client with the CLI; returns its id and secret.
    func makeClient(org: String = "acme", scopes: String = "ledger:read,clients:write",
                    extra: [String] = []) throws -> (id: String, secret: String) {
        let result = try cli(["client", "create", "--org", org, "--name", "it client", "--scopes", scopes,
                              "--bcrypt-cost", "10"] + extra)
        let object = try Self.object(result.stdout)
        guard result.code == 0, let id = object["client_id"] as? String, let secret = object["client_secret"] as? String
        else { throw HarnessError("client create failed: \(result.stderr)") }
        return (id, secret)
    }

    func client() throws -> TestHTTPClient {
        try TestHTTPClient(port: port, timeout: .seconds(10))
    }

    static func basic(_ id: String, _ secret: String) -> String {
        let encode = { (text: String) in PercentEncoding.encodeFormComponent(text) }
        return "Basic " + Data((encode(id) + ":" + encode(secret)).utf8).base64EncodedString()
    }

    /// POSTs a form to `target`, with Basic credentials when given.
    func post(_ target: String, form: String, basic: (String, String)? = nil,
              contentType: String = "application/x-www-form-urlencoded", headers: HTTPHeaders = HTTPHeaders(),
              on connection: TestHTTPClient? = nil) throws -> TestHTTPResponse {
        var fields = headers
        fields.add(name: "Content-Type", value: contentType)
        if let basic { fields.add(name: "Authorization", value: Self.basic(basic.0, basic.1)) }
        return try (connection ?? client()).request(method: "POST", target: target, headers: fields, body: form)
    }

    /// A token for a client (Basic auth), or the failure.
    func token(_ id: String, _ secret: String, scope: String? = nil) throws -> String {
        let response = try post("/oauth/token", form: "grant_type=client_credentials" + (scope.map { "&scope=" + $0 } ?? ""),
                                basic: (id, secret))
        guard response.status == 200, let token = try response.jsonObject()["access_token"] as? String else {
            throw HarnessError("token request failed: \(response.status) \(response.bodyString)")
        }
        return token
    }

    /// Introspects `token` as the client `as`.
    func introspect(_ token: String, as caller: (String, String)) throws -> TestHTTPResponse {
        try post("/oauth/introspect", form: "token=" + PercentEncoding.encodeFormComponent(token), basic: caller)
    }

    /// Calls the management API with a bearer token.
    func manage(_ method: String, _ target: String, token: String?, json: String? = nil,
                contentType: String = "application/json") throws -> TestHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer " + token) }
        if json != nil { headers.add(name: "Content-Type", value: contentType) }
        return try client().request(method: method, target: target, headers: headers, body: json.map { Array($0.utf8) })
    }

    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw HarnessError("not a JSON object: \(text.prefix(300))")
        }
        return object
    }

    func stop() {
        gateway.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
