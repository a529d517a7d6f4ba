import Foundation
import GatewayAuth
import GatewayHTTP
import GatewayTestSupport

/// A gateway with its token service in front of scoped operations, for the
/// enforcement tests: a sample ledger upstream (or a given one) for v1 and v2,
/// `bcrypt_cost` 10, two workers, an org `acme`, and helpers to create clients
/// with the CLI, get tokens by client credentials, call operations with a bearer
/// token and sign tokens with the gateway's own key (for expired, oversized or
/// odd claim sets the token service would never issue).
///
/// Operations (under `/v1` and `/v2`; v2 sets `forward_authorization`):
/// `GET /ledger/entries` and `GET /ledger/entries/{id}` need `ledger:read`,
/// `POST /ledger/entries` `ledger:write`, `GET /ledger/reports` both `ledger:read`
/// and `reports:read`, `GET /ledger/export` is public, `GET /_echo` needs
/// `ledger:read`, `POST /_echo` needs `ledger:read` and is debug-logged.
final class EnforcementFixture: @unchecked Sendable {
    // @unchecked: one test drives one fixture from one thread at a time.
    let directory: URL
    let upstream: ServiceProcess?
    let gateway: ServiceProcess
    var port: Int { gateway.port }
    var configPath: String { directory.appendingPathComponent("routes.json").path }
    var dataPath: String { directory.appendingPathComponent("data").path }
    static let issuer = "http://127.0.0.1:8080"
    static let orgScopes = "ledger:read,ledger:write,reports:read,clients:read,clients:write"
    /// The gateway's key, loaded on the first `forge`.
    private var signer: JWTSigner?

    /// - Parameters:
    ///   - top: extra top-level members, as JSON text without braces.
    ///   - v1Upstream: the v1 upstream URL; default: the sample ledger service.
    init(top: String = "", v1Upstream: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-enf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sample = try ServiceProcess(["sample-upstream", "--listen", "127.0.0.1:0"])
        upstream = sample
        let sampleURL = "http://127.0.0.1:\(sample.port)"
        try Self.routes(top: top, v1: v1Upstream ?? sampleURL, v2: sampleURL)
            .write(toFile: directory.appendingPathComponent("routes.json").path, atomically: true, encoding: .utf8)
        gateway = try ServiceProcess(["serve", "--config", directory.appendingPathComponent("routes.json").path,
                                      "--data", directory.appendingPathComponent("data").path])
        let made = try cli(["org", "create", "--id", "acme", "--name", "Acme Ltd", "--scopes", Self.orgScopes])
        guard made.code == 0 else { throw HarnessError("org create failed: \(made.stderr)") }
    }

    static func routes(top: String, v1: String, v2: String) -> String {
        let operations = [
            #"{ "method": "GET", "path": "/ledger/entries", "scopes": ["ledger:read"] }"#,
            #"{ "method": "POST", "path": "/ledger/entries", "scopes": ["ledger:write"] }"#,
            #"{ "method": "GET", "path": "/ledger/entries/{id}", "scopes": ["ledger:read"] }"#,
            #"{ "method": "GET", "path": "/ledger/reports", "scopes": ["ledger:read", "reports:read"] }"#,
            #"{ "method": "GET", "path": "/ledger/export", "public": true }"#,
            #"{ "method": "GET", "path": "/_echo", "scopes": ["ledger:read"] }"#,
            #"{ "method": "POST", "path": "/_echo", "scopes": ["ledger:read"], "debug_log": true }"#,
        ]
        return """
        {
          "listen": "127.0.0.1:0",
          "issuer": "\(issuer)",
          "workers": 2,
          "bcrypt_cost": 10,
          \(top.isEmpty ? "" : top + ",")
          "apis": [{
            "name": "ledger",
            "versions": [
              { "version": "v1", "upstream": "\(v1)" },
              { "version": "v2", "upstream": "\(v2)", "forward_authorization": true }
            ],
            "operations": [\(operations.joined(separator: ",\n"))]
          }]
        }
        """
    }

    /// A second `portcullis serve` on the same configuration and data directory.
    func startSecondGateway() throws -> ServiceProcess {
        try ServiceProcess(["serve", "--config", configPath, "--data", dataPath])
    }

    /// Stops the gateway with SIGTERM (it drains, flushes coalesced events and logs) and waits for it.
    func stopGateway() {
        gateway.stop()
    }

    /// Runs `portcullis <arguments> --data <data>`.
    func cli(_ arguments: [String], stdin: String? = nil) throws -> (code: Int32, stdout: String, stderr: String) {
        try runPortcullis(arguments + ["--data", dataPath], stdin: stdin)
    }

    /// Creates a client with the CLI; returns its id and secret.
    func makeClient(scopes: String = "ledger:read", rpm: Int? = nil) throws -> (id: String, secret: String) {
        let result = try cli(["client", "create", "--org", "acme", "--name", "enforcement client", "--scopes", scopes,
                              "--bcrypt-cost", "10"] + (rpm.map { ["--rpm", String($0)] } ?? []))
        let object = try TokenServiceFixture.object(result.stdout)
        guard result.code == 0, let id = object["client_id"] as? String, let secret = object["client_secret"] as? String
        else { throw HarnessError("client create failed: \(result.stderr)") }
        return (id, secret)
    }

    /// Waits until the gateway has applied every client change made so far (the client
    /// directory is polled every 250 ms). A sentinel client with an unusual rate is created
    /// after them; once a request of its shows that rate, the earlier changes, read by the
    /// same or an earlier poll, are in effect too. The clients under test are not touched.
    func awaitClientDirectory() throws {
        let (id, secret) = try makeClient(rpm: 7_777)
        let token = try self.token(id, secret)
        let connection = try client()
        try waitUntil(seconds: 10) {
            try call("/v1/ledger/entries?limit=1", token: token, on: connection).header("RateLimit-Policy")
                == #""default";q=7777;w=60"#
        }
    }

    func client(port: Int? = nil) throws -> TestHTTPClient {
        try TestHTTPClient(port: port ?? self.port, timeout: .seconds(10))
    }

    /// A token for a client by client credentials (Basic auth), or the failure.
    func token(_ id: String, _ secret: String, scope: String? = nil) throws -> String {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        headers.add(name: "Authorization", value: TokenServiceFixture.basic(id, secret))
        let form = "grant_type=client_credentials" + (scope.map { "&scope=" + PercentEncoding.encodeFormComponent($0) } ?? "")
        let response = try client().request(method: "POST", target: "/oauth/token", headers: headers, body: form)
        guard response.status == 200, let token = try response.jsonObject()["access_token"] as? String else {
            throw HarnessError("token request failed: \(response.status) \(response.bodyString)")
        }
        return token
    }

    /// Sends a request with `Authorization: Bearer <token>` (when given) and reads the answer.
    func call(_ target: String, token: String?, method: String = "GET", headers: HTTPHeaders = HTTPHeaders(),
              body: String? = nil, on connection: TestHTTPClient? = nil) throws -> TestHTTPResponse {
        var fields = headers
        if let token { fields.add(name: "Authorization", value: "Bearer " + token) }
        return try (connection ?? client()).request(method: method, target: target, headers: fields,
                                                    body: body.map { Array($0.utf8) })
    }

    /// The gateway's active signing key, read from the data directory.
    func signingKey() throws -> SigningKey {
        let keys = directory.appendingPathComponent("data/keys")
        let file = try FileManager.default.contentsOfDirectory(atPath: keys.path).sorted().first { $0.hasSuffix(".pem") }
        guard let file else { throw HarnessError("no signing key under \(keys.path)") }
        return try SigningKey(pkcs8PEM: try String(contentsOfFile: keys.appendingPathComponent(file).path, encoding: .utf8))
    }

    /// A token signed with the gateway's own key, with the claims of a client-credentials
    /// token for `clientID`; `edit` may change or add members of the claim set
    /// (values are JSON text).
    func forge(clientID: String, scope: String = "ledger:read", lifetime: Int64 = 600,
               edit: (inout [(String, String)]) -> Void = { _ in }) throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        var members: [(String, String)] = [
            ("iss", Self.json(Self.issuer)), ("sub", Self.json(clientID)), ("aud", Self.json(Self.issuer)),
            ("client_id", Self.json(clientID)), ("org_id", Self.json("acme")), ("scope", Self.json(scope)),
            ("jti", Self.json(UUID().uuidString)), ("iat", String(now)), ("exp", String(now + lifetime)),
        ]
        edit(&members)
        let text = "{" + members.map { Self.json($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        if signer == nil { signer = JWTSigner(key: try signingKey()) }
        return try signer!.sign(claimsJSON: Array(text.utf8))
    }

    /// `text` as a JSON string literal.
    static func json(_ text: String) -> String {
        var out: [UInt8] = []
        JSONText.appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func stop() {
        gateway.stop()
        upstream?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

/// The fields an `/_echo` upstream saw, from its JSON answer.
struct EchoedRequest {
    let target: String
    let headers: [(name: String, value: String)]

    init(_ response: TestHTTPResponse) throws {
        let object = try response.jsonObject()
        target = object["target"] as? String ?? ""
        headers = (object["headers"] as? [[String]] ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }

    /// Every value of header `name` (case-insensitive), in order.
    func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

/// Milliseconds since `start`.
func millisecondsSince(_ start: Date) -> Int {
    Int((Date().timeIntervalSince(start) * 1000).rounded())
}
