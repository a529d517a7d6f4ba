import Foundation
import GatewayHTTP
import GatewayTestSupport
import Synchronization
import Testing

/// The client management API (`/v1/api-clients`) over real sockets.
@Suite struct TokenServiceManagementTests {
    static let body = #"{"name":"Payroll sync","scopes":["ledger:read"],"external_id":"erp-7","rpm":120}"#

    @Test func createReplayConflictAndScopeRules() throws {
        let fixture = try TokenServiceFixture()
        let (admin, adminSecret) = try fixture.makeClient(scopes: "clients:write,ledger:read")
        let token = try fixture.token(admin, adminSecret)

        let created = try fixture.manage("POST", "/v1/api-clients", token: token, json: Self.body)
        #expect(created.status == 201, "\(created.bodyString)")
        #expect(created.header("Cache-Control") == "no-store")
        let first = try created.jsonObject()
        let id = try #require(first["client_id"] as? String)
        let secret = try #require(first["client_secret"] as? String)
        #expect(first["org_id"] as? String == "acme")
        #expect(first["rpm"] as? Int == 120)
        #expect(created.header("Location") == "/v1/api-clients/" + id)
        #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) })
        #expect(secret.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) })
        // The new client works.
        _ = try fixture.token(id, secret)

        let replay = try fixture.manage("POST", "/v1/api-clients", token: token, json: Self.body)
        #expect(replay.status == 200)
        #expect(try replay.jsonObject()["client_id"] as? String == id)
        #expect(try replay.jsonObject()["client_secret"] == nil)

        let different = Self.body.replacingOccurrences(of: "Payroll sync", with: "Payroll v2")
        let conflict = try fixture.manage("POST", "/v1/api-clients", token: token, json: different)
        #expect(conflict.status == 409)
        #expect(conflict.header("Content-Type") == "application/problem+json")

        let outside = try fixture.manage("POST", "/v1/api-clients", token: token,
                                         json: #"{"name":"x","scopes":["payroll:admin"]}"#)
        #expect(outside.status == 400)
        #expect(try outside.jsonObject()["error"] as? String == "invalid_scope")
    }

    @Test func callersNeedAValidTokenWithClientsWrite() throws {
        let fixture = try TokenServiceFixture()
        let (reader, readerSecret) = try fixture.makeClient(scopes: "ledger:read")
        let readerToken = try fixture.token(reader, readerSecret)

        let none = try fixture.manage("POST", "/v1/api-clients", token: nil, json: Self.body)
        #expect(none.status == 401)
        #expect(none.header("WWW-Authenticate") == #"Bearer realm="portcullis""#)
        let bad = try fixture.manage("POST", "/v1/api-clients", token: "not.a.token", json: Self.body)
        #expect(bad.status == 401)
        #expect(bad.header("WWW-Authenticate") == #"Bearer realm="portcullis", error="invalid_token""#)
        let forbidden = try fixture.manage("POST", "/v1/api-clients", token: readerToken, json: Self.body)
        #expect(forbidden.status == 403)
        #expect(forbidden.header("Content-Type") == "application/problem+json")
        #expect(forbidden.header("WWW-Authenticate")?.contains(#"error="insufficient_scope""#) == true)
        #expect(forbidden.header("WWW-Authenticate")?.contains(#"scope="clients:write""#) == true)
        #expect(try fixture.manage("GET", "/v1/api-clients", token: readerToken).status == 403)
        #expect(try fixture.manage("DELETE", "/v1/api-clients", token: readerToken).status == 405)
        #expect(try fixture.manage("GET", "/v1/api-clients/x/y/z", token: readerToken).status == 404)
    }

    @Test func badBodiesAreRefusedCleanlyAndTheChainStillVerifies() throws {
        let fixture = try TokenServiceFixture()
        let (admin, adminSecret) = try fixture.makeClient(scopes: "clients:write")
        let token = try fixture.token(admin, adminSecret)
        let cases: [(String, String)] = [
            ("{", "body"),
            (#"["name"]"#, "body"),
            (#"{"name":"x","scopes":["ledger:read"],"owner":"me"}"#, "owner"),
            (#"{"name":42,"scopes":["ledger:read"]}"#, "name"),
            (#"{"name":"x","scopes":"ledger:read"}"#, "scopes"),
            (#"{"name":"x","scopes":["ledger:read"],"rpm":"fast"}"#, "rpm"),
            (#"{"name":"\#(String(repeating: "n", count: 500))","scopes":["ledger:read"]}"#, "name"),
            (#"{"name":"x","scopes":["ledger:read"],"redirect_uris":["javascript"]}"#, "redirect_uris"),
        ]
        for (json, field) in cases {
            let response = try fixture.manage("POST", "/v1/api-clients", token: token, json: json)
            #expect(response.status == 400, "\(json)")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(try response.jsonObject()["field"] as? String == field, "\(json)")
        }
        let wrongType = try fixture.manage("POST", "/v1/api-clients", token: token, json: Self.body, contentType: "text/plain")
        #expect(wrongType.status == 415)
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer " + token)
        headers.add(name: "Content-Type", value: "application/json")
        let nonUTF8 = try fixture.client().request(method: "POST", target: "/v1/api-clients", headers: headers,
                                                   body: Array(#"{"name":""#.utf8) + [0xC0, 0xAF] + Array(#"","scopes":["ledger:read"]}"#.utf8))
        #expect(nonUTF8.status == 400)
        let huge = try fixture.client().request(method: "POST", target: "/v1/api-clients", headers: headers,
                                                body: Array(repeating: UInt8(ascii: " "), count: 200_000))
        #expect(huge.status == 413)

        // A name that looks like SQL is stored as the text it is.
        let sqlName = #"Robert'); DROP TABLE clients;--"#
        let created = try fixture.manage("POST", "/v1/api-clients", token: token,
                                         json: #"{"name":"Robert'); DROP TABLE clients;--","scopes":["ledger:read"]}"#)
        #expect(created.status == 201)
        let id = try #require(try created.jsonObject()["client_id"] as? String)
        #expect(try fixture.manage("GET", "/v1/api-clients/" + id, token: token).jsonObject()["name"] as? String == sqlName)
        let verify = try fixture.cli(["audit", "verify"])
        #expect(verify.code == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test func concurrentIdenticalCreationsMakeExactlyOneClient() throws {
        let fixture = try TokenServiceFixture()
        let (admin, adminSecret) = try fixture.makeClient(scopes: "clients:write,ledger:read")
        let token = try fixture.token(admin, adminSecret)
        let results = Mutex<[(Int, String?)]>([])
        // Eight connections, opened first, then all released at once.
        let connections = try (0..<8).map { _ in try fixture.client() }
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for connection in connections {
            group.enter()
            let unchecked = UncheckedBox(connection)
            Thread {
                start.wait()
                var headers = HTTPHeaders()
                headers.add(name: "Authorization", value: "Bearer " + token)
                headers.add(name: "Content-Type", value: "application/json")
                let response = try? unchecked.value.request(method: "POST", target: "/v1/api-clients", headers: headers,
                                                            body: Self.body)
                let id = (try? response?.jsonObject())?["client_id"] as? String
                results.withLock { $0.append((response?.status ?? 0, id)) }
                group.leave()
            }.start()
        }
        for _ in connections { start.signal() }
        group.wait()
        let all = results.withLock { $0 }
        #expect(all.filter { $0.0 == 201 }.count == 1)
        #expect(all.filter { $0.0 == 200 }.count == 7)
        #expect(Set(all.compactMap(\.1)).count == 1)
        let listed = try fixture.manage("GET", "/v1/api-clients", token: token).jsonObject()["clients"] as? [[String: Any]]
        #expect(listed?.filter { $0["external_id"] as? String == "erp-7" }.count == 1)
    }

    @Test func listShowRevokeAndRotate() throws {
        let fixture = try TokenServiceFixture()
        let (admin, adminSecret) = try fixture.makeClient(scopes: "clients:write,ledger:read")
        let token = try fixture.token(admin, adminSecret)
        let created = try fixture.manage("POST", "/v1/api-clients", token: token,
                                         json: #"{"name":"Rotating","scopes":["ledger:read"]}"#).jsonObject()
        let id = try #require(created["client_id"] as? String)
        let secret = try #require(created["client_secret"] as? String)

        let list = try fixture.manage("GET", "/v1/api-clients", token: token)
        #expect(list.status == 200)
        #expect(!list.bodyString.contains("$2b$"))
        #expect(!list.bodyString.contains("secret"))
        let show = try fixture.manage("GET", "/v1/api-clients/" + id, token: token)
        #expect(try show.jsonObject()["status"] as? String == "ACTIVE")
        #expect(!show.bodyString.contains("secret"))
        // Another org's client is not found.
        _ = try fixture.cli(["org", "create", "--id", "globex", "--name", "Globex", "--scopes", "ledger:read"])
        let (foreign, _) = try fixture.makeClient(org: "globex", scopes: "ledger:read")
        #expect(try fixture.manage("GET", "/v1/api-clients/" + foreign, token: token).status == 404)
        #expect(try fixture.manage("POST", "/v1/api-clients/\(foreign)/revoke", token: token).status == 404)

        let rotated = try fixture.manage("POST", "/v1/api-clients/\(id)/rotate-secret", token: token)
        #expect(rotated.status == 200)
        let newSecret = try #require(try rotated.jsonObject()["client_secret"] as? String)
        #expect(newSecret != secret)
        #expect(try fixture.post("/oauth/token", form: "grant_type=client_credentials", basic: (id, secret)).status == 401)
        let clientToken = try fixture.token(id, newSecret)

        let revoked = try fixture.manage("POST", "/v1/api-clients/\(id)/revoke", token: token, json: #"{"reason":"offboarded"}"#)
        #expect(revoked.status == 200)
        let record = try revoked.jsonObject()
        #expect(record["status"] as? String == "REVOKED")
        #expect(record["revoked_reason"] as? String == "offboarded")
        #expect(record["revoked_by"] as? String == "client:" + admin)
        // Terminal: a second revoke changes nothing, rotation is refused, the client cannot authenticate.
        #expect(try fixture.manage("POST", "/v1/api-clients/\(id)/revoke", token: token).status == 200)
        #expect(try fixture.manage("POST", "/v1/api-clients/\(id)/rotate-secret", token: token).status == 409)
        #expect(try fixture.post("/oauth/token", form: "grant_type=client_credentials", basic: (id, newSecret)).status == 401)
        #expect(try fixture.introspect(clientToken, as: (admin, adminSecret)).bodyString == #"{"active":false}"#)

        let export = try fixture.cli(["audit", "export"]).stdout
        for type in ["api.client_created", "api.secret_rotated", "api.client_revoked", "api.token_issued"] {
            #expect(export.contains("\"type\":\"\(type)\""), "\(type)")
        }
    }
}

/// Hands a non-Sendable value to one other thread that alone uses it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
