import Foundation
import GatewayHTTP
import GatewayTestSupport
import SampleUpstream
import Testing

/// Routing, versions and header rewriting through the real gateway binary.
@Suite struct ProxyRoutingTests {
    let fixture: GatewayFixture
    init() throws { fixture = try GatewayFixture() }

    @Test func routesEachVersionToItsUpstreamWithPathAndQueryUnchanged() throws {
        let client = try fixture.client()
        let v1 = try client.request(target: "/v1/ledger/entries?limit=2")
        #expect(v1.status == 200)
        let v1Body = try v1.jsonObject()
        #expect((v1Body["entries"] as? [Any])?.count == 2)
        let v2 = try client.request(target: "/v2/ledger/entries/42")
        #expect(v2.status == 200)
        let v2Body = try v2.jsonObject()
        #expect(v2Body["booked_on"] != nil && (v2Body["amount"] as? [String: Any])?["currency"] as? String == "EUR")
        let echo = try client.request(target: "/v2/_echo?b=2&a=1&x=%2F")
        #expect(try echo.jsonObject()["target"] as? String == "/v2/_echo?b=2&a=1&x=%2F")
    }

    @Test func deprecatedVersionsCarryDeprecationSunsetAndLink() throws {
        let response = try fixture.client().request(target: "/v1/ledger/entries")
        #expect(response.header("Deprecation") == "@1788220800")
        #expect(response.header("Sunset") == "Sun, 01 Mar 2099 00:00:00 GMT")
        #expect(response.headers.values(name: "Link").contains("<https://example.com/changelog#ledger-v2>; rel=\"deprecation\"; type=\"text/html\""))
        #expect(response.header("X-Request-Id")?.isEmpty == false)
        let v2 = try fixture.client().request(target: "/v2/ledger/entries")
        #expect(v2.header("Deprecation") == nil && v2.header("Sunset") == nil)
    }

    @Test func undeclaredPathsAre404AndUndeclaredMethods405WithAllow() throws {
        let client = try fixture.client()
        let notFound = try client.request(target: "/v3/ledger/entries")
        #expect(notFound.status == 404)
        #expect(notFound.header("Content-Type") == "application/problem+json")
        #expect(try notFound.jsonObject()["status"] as? Int == 404)
        let wrongMethod = try client.request(method: "DELETE", target: "/v2/ledger/entries/1")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, HEAD")
        let dots = try fixture.client().request(target: "/v2/ledger/%2e%2e/secret")
        #expect(dots.status == 400)
    }

    @Test func hopByHopHeadersAreStrippedAndForwardingHeadersReplaced() throws {
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "keep-alive, X-Secret-Hop")
        headers.add(name: "X-Secret-Hop", value: "must not pass")
        headers.add(name: "Keep-Alive", value: "timeout=5")
        headers.add(name: "TE", value: "trailers")
        headers.add(name: "Upgrade", value: "websocket")
        headers.add(name: "Proxy-Authorization", value: "Basic c2VjcmV0")
        headers.add(name: "X-Forwarded-For", value: "6.6.6.6")
        headers.add(name: "X-Forwarded-Proto", value: "https")
        headers.add(name: "X-Portcullis-Client-Id", value: "spoofed")
        headers.add(name: "X-Request-Id", value: "caller-chosen-id-1")
        headers.add(name: "X-Invoice", value: "INV-1")
        let response = try fixture.client().request(target: "/v2/_echo", headers: headers)
        #expect(response.status == 200)
        #expect(response.header("X-Request-Id") == "caller-chosen-id-1")
        let received = try echoedHeaders(response)
        let names = Set(received.map { $0.0.lowercased() })
        for hop in ["connection", "x-secret-hop", "keep-alive", "te", "upgrade", "proxy-authorization", "x-portcullis-client-id"] {
            #expect(!names.contains(hop), "\(hop) reached the upstream")
        }
        #expect(received.filter { $0.0.lowercased() == "x-forwarded-for" }.map(\.1) == ["127.0.0.1"])
        #expect(received.filter { $0.0.lowercased() == "x-forwarded-proto" }.map(\.1) == ["http"])
        #expect(received.first { $0.0.lowercased() == "x-request-id" }?.1 == "caller-chosen-id-1")
        #expect(received.first { $0.0.lowercased() == "x-invoice" }?.1 == "INV-1")
    }

    /// What libcurl would add or change on its own: nothing. An empty value, a
    /// repeated field and the caller's `Accept` arrive as sent; no `Accept` or
    /// `Expect` of libcurl's, and `Host` names the upstream.
    @Test func requestFieldsReachTheUpstreamAsSent() throws {
        var headers = HTTPHeaders()
        headers.add(name: "X-Empty", value: "")
        headers.add(name: "X-Repeated", value: "one")
        headers.add(name: "X-Repeated", value: "two")
        let body = Array(String(repeating: "x", count: 2048).utf8)  // large enough for libcurl's own Expect: 100-continue
        let plain = try fixture.client().request(method: "POST", target: "/v2/_echo", headers: headers, body: body)
        let received = try echoedHeaders(plain)
        func values(_ name: String) -> [String] { received.filter { $0.0.lowercased() == name }.map(\.1) }
        #expect(values("x-empty") == [""])
        #expect(values("x-repeated") == ["one", "two"])
        #expect(values("accept").isEmpty && values("expect").isEmpty)
        #expect(values("host") == ["127.0.0.1:\(fixture.upstreamV2.port)"])
        headers.add(name: "Accept", value: "application/json")
        let withAccept = try fixture.client().request(target: "/v2/_echo", headers: headers)
        #expect(try echoedHeaders(withAccept).filter { $0.0.lowercased() == "accept" }.map(\.1) == ["application/json"])
    }

    @Test func anInsaneRequestIdIsReplaced() throws {
        let response = try fixture.client().request(target: "/v2/_echo", headers: ["X-Request-Id": "bad id\u{7}"])
        let id = try #require(response.header("X-Request-Id"))
        #expect(id != "bad id\u{7}" && !id.isEmpty)
        #expect(try echoedHeaders(response).first { $0.0.lowercased() == "x-request-id" }?.1 == id)
    }

    @Test func headAnswersWithoutABody() throws {
        let client = try fixture.client()
        let head = try client.request(method: "HEAD", target: "/v2/ledger/entries")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 0)
        // The connection is still usable afterwards.
        #expect(try client.request(target: "/v2/ledger/entries").status == 200)
    }

    /// An https upstream whose certificate the configuration names an authority
    /// for (`tls_ca_file`); without it the same upstream is refused with 502.
    @Test func httpsUpstreamsAreVerifiedAgainstTheConfiguredAuthority() throws {
        let tls = try TLSUpstream()
        let trusted = try GatewayFixture(v1Extra: "\"tls_ca_file\": \"\(tls.certificate)\"",
                                         v1Upstream: "https://127.0.0.1:\(tls.port)")
        defer { trusted.stop() }
        let client = try trusted.client()
        for i in 0..<3 {
            let response = try client.request(target: "/v1/ledger/entries/\(i)?q=1")
            #expect(response.status == 200)
            let json = try response.jsonObject()
            #expect(json["target"] as? String == "/v1/ledger/entries/\(i)?q=1")
        }
        let untrusted = try GatewayFixture(v1Upstream: "https://127.0.0.1:\(tls.port)")
        defer { untrusted.stop() }
        let refused = try untrusted.client().request(target: "/v1/ledger/entries")
        #expect(refused.status == 502)
        #expect(refused.header("Content-Type") == "application/problem+json")
    }

    private func echoedHeaders(_ response: TestHTTPResponse) throws -> [(String, String)] {
        let pairs = try #require(try response.jsonObject()["headers"] as? [[String]])
        return pairs.map { ($0[0], $0[1]) }
    }
}
