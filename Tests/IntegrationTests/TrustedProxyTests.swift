import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// Behind a load balancer the gateway listed in `trusted_proxies`: the caller is the
/// address the balancer's `X-Forwarded-For` names, for the upstream, the access log and
/// the per-address rate limit of public operations.
@Suite struct TrustedProxyTests {
    func call(_ fixture: GatewayFixture, _ target: String, forwardedFor: String?) throws -> TestHTTPResponse {
        var headers = HTTPHeaders()
        if let forwardedFor { headers.add(name: "X-Forwarded-For", value: forwardedFor) }
        return try fixture.client().request(target: target, headers: headers)
    }

    @Test func theForwardedClientIsTheCaller() throws {
        // The tests connect from 127.0.0.1: here that is the trusted balancer.
        let fixture = try GatewayFixture(top: #""trusted_proxies": ["127.0.0.1"], "public_rpm": 2"#)
        let echoed = try call(fixture, "/v2/_echo", forwardedFor: "203.0.113.7")
        let pairs = try #require(try echoed.jsonObject()["headers"] as? [[String]])
        #expect(pairs.filter { $0[0].lowercased() == "x-forwarded-for" }.map { $0[1] } == ["203.0.113.7, 127.0.0.1"])
        // Each forwarded client has its own bucket on a public operation.
        #expect(try call(fixture, "/v2/ledger/entries", forwardedFor: "203.0.113.8").status == 200)
        #expect(try call(fixture, "/v2/ledger/entries", forwardedFor: "203.0.113.8").status == 200)
        #expect(try call(fixture, "/v2/ledger/entries", forwardedFor: "203.0.113.8").status == 429)
        #expect(try call(fixture, "/v2/ledger/entries", forwardedFor: "203.0.113.9").status == 200)
        var line: Substring = ""
        try waitUntil {
            let log = (try? String(contentsOfFile: fixture.dataPath + "/logs/access.log", encoding: .utf8)) ?? ""
            line = log.split(separator: "\n").first { $0.contains(echoed.header("X-Request-Id") ?? "-") } ?? ""
            return !line.isEmpty
        }
        #expect(line.contains(#""remote_addr":"203.0.113.7""#))
    }

    @Test func withoutTrustTheHeaderIsReplaced() throws {
        let fixture = try GatewayFixture(top: #""trusted_proxies": ["10.0.0.0/8"]"#)
        let echoed = try call(fixture, "/v2/_echo", forwardedFor: "203.0.113.7")
        let pairs = try #require(try echoed.jsonObject()["headers"] as? [[String]])
        #expect(pairs.filter { $0[0].lowercased() == "x-forwarded-for" }.map { $0[1] } == ["127.0.0.1"])
    }
}
