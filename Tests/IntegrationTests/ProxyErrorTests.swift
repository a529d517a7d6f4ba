import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// The gateway's own answers to bad requests and broken upstreams.
@Suite struct ProxyErrorTests {
    @Test func limitsAnswer413And414And431() throws {
        let fixture = try GatewayFixture(top: #""max_body_bytes": 1000"#)
        let big = try fixture.client().request(method: "POST", target: "/v2/_echo", body: [UInt8](repeating: 65, count: 1001))
        #expect(big.status == 413)
        #expect(big.header("Content-Type") == "application/problem+json")
        let fits = try fixture.client().request(method: "POST", target: "/v2/_echo", body: [UInt8](repeating: 65, count: 1000))
        #expect(fits.status == 200)
        let longTarget = "/v2/ledger/entries?q=" + String(repeating: "a", count: 9000)
        #expect(try fixture.client().request(target: longTarget).status == 414)
        var headers = HTTPHeaders()
        for i in 0..<40 { headers.add(name: "X-Filler-\(i)", value: String(repeating: "b", count: 1000)) }
        #expect(try fixture.client().request(target: "/v2/ledger/entries", headers: headers).status == 431)
        var many = HTTPHeaders()
        for i in 0..<101 { many.add(name: "X-F\(i)", value: "1") }
        #expect(try fixture.client().request(target: "/v2/ledger/entries", headers: many).status == 431)
    }

    @Test func malformedRequestsGet400AndTheConnectionCloses() throws {
        let fixture = try GatewayFixture()
        let smuggle = "POST /v2/_echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        for raw in [smuggle, "GET /v2/ledger/entries HTTP/1.1\r\nHost : x\r\n\r\n", "GARBAGE\r\n\r\n",
                    "GET /v2/ledger/entries HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n"] {
            let client = try fixture.client()
            try client.send(raw)
            let response = try client.readResponse()
            #expect(response.status == 400, "\(raw.debugDescription)")
            #expect(response.closesConnection)
            #expect(try client.isClosedByPeer())
        }
    }

    @Test func aDeadUpstreamIs502() throws {
        let fixture = try GatewayFixture(v1Upstream: "http://127.0.0.1:1")
        let response = try fixture.client().request(target: "/v1/ledger/entries")
        #expect(response.status == 502)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.header("Deprecation") != nil)
        #expect(try response.jsonObject()["status"] as? Int == 502)
    }

    @Test func aSlowUpstreamIs504() throws {
        let fixture = try GatewayFixture(v2Extra: #""timeout_ms": 300"#)
        let response = try fixture.client().request(target: "/v2/ledger/entries?delay_ms=3000")
        #expect(response.status == 504)
        #expect(response.header("Content-Type") == "application/problem+json")
        // The gateway keeps serving afterwards.
        #expect(try fixture.client().request(target: "/v2/ledger/entries").status == 200)
    }

    @Test func aVersionPastItsSunsetIs410() throws {
        let fixture = try GatewayFixture(v1Lifecycle: #""deprecated_at": "2020-01-01", "sunset": "2020-06-01""#)
        let response = try fixture.client().request(target: "/v1/ledger/entries")
        #expect(response.status == 410)
        #expect(try response.jsonObject()["successor_version"] as? String == "v2")
        #expect(response.header("Sunset") == "Mon, 01 Jun 2020 00:00:00 GMT")
        // The access log names the retired version the caller still uses.
        var line: [String: Any] = [:]
        try waitUntil {
            let text = (try? String(contentsOfFile: fixture.dataPath + "/logs/access.log", encoding: .utf8)) ?? ""
            line = text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first { $0["request_id"] as? String == response.header("X-Request-Id") } ?? [:]
            return !line.isEmpty
        }
        #expect(line["status"] as? Int == 410 && line["version"] as? String == "v1")
    }

    @Test func aSlowRequestHeadIsAnswered408() throws {
        let fixture = try GatewayFixture(top: #""header_timeout_seconds": 1"#)
        let client = try fixture.client(timeout: .seconds(5))
        try client.send("GET /v2/ledger/entries HTTP/1.1\r\nHost: x\r\n")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(try client.isClosedByPeer())
    }
}

/// Polls `condition` every 20 ms for at most `seconds`.
func waitUntil(seconds: Double = 10, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    throw HarnessError("condition not met within \(seconds) s")
}
