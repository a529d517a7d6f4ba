import Foundation
import GatewayTestSupport
import Testing

/// The access log as an operator reads it: one JSON object per request.
@Suite struct AccessLogTests {
    @Test func everyRequestWritesOneLineWithTheContractFields() throws {
        let fixture = try GatewayFixture()
        let client = try fixture.client()
        let ok = try client.request(target: "/v2/ledger/entries?limit=1&password=hunter2")
        let missing = try client.request(target: "/v2/nothing")
        let body = try client.request(method: "POST", target: "/v2/ledger/entries", body: Array("{\"amount\":\"12.00\"}".utf8))
        let path = fixture.dataPath + "/logs/access.log"
        var lines: [[String: Any]] = []
        try waitUntil {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            lines = text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            return lines.count >= 3
        }
        #expect(lines.count == 3)
        for key in ["ts", "request_id", "client_id", "org_id", "method", "path", "version", "status", "upstream_ms",
                    "total_ms", "bytes_in", "bytes_out"] {
            #expect(lines.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
        }
        #expect(lines[0]["request_id"] as? String == ok.header("X-Request-Id"))
        #expect(lines[0]["status"] as? Int == 200 && lines[0]["version"] as? String == "v2")
        #expect((lines[0]["path"] as? String)?.contains("hunter2") == false)
        #expect(lines[1]["status"] as? Int == 404 && lines[1]["request_id"] as? String == missing.header("X-Request-Id"))
        #expect(lines[2]["method"] as? String == "POST" && lines[2]["bytes_in"] as? Int == 18)
        #expect(lines[2]["status"] as? Int == body.status)
    }
}
