import Foundation
import GatewayHTTP
import GatewayTestSupport
import GatewayUpstream
import Testing

extension TLSUpstream {
    func request(_ target: String, method: String = "GET", trusted: Bool = true, body: UpstreamRequest.Body = .none) -> UpstreamRequest {
        UpstreamRequest(method: method, origin: UpstreamOrigin("https://127.0.0.1:\(port)", caFile: trusted ? certificate : nil),
                        target: target, headers: [:], body: body)
    }
}

@Suite struct UpstreamTLSTests {
    @Test func exchangesRunOverTLSOnOneReusedConnection() throws {
        let upstream = try TLSUpstream()
        let harness = try UpstreamHarness()
        for i in 0..<3 {
            let result = harness.call(upstream.request("/v1/entries/\(i)"))
            #expect(result.finished && result.status == 200, "\(String(describing: result.failure))")
            let json = try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any]
            #expect(json?["target"] as? String == "/v1/entries/\(i)")
            #expect(json?["connection"] as? Int == 1)
        }
        let payload = [UInt8](repeating: 0x5A, count: 200_000)
        let posted = harness.call(upstream.request("/v1/upload", method: "POST", body: .length(payload.count)),
                                  body: stride(from: 0, to: payload.count, by: 16_384).map {
                                      Array(payload[$0..<min($0 + 16_384, payload.count)])
                                  })
        let json = try JSONSerialization.jsonObject(with: Data(posted.body)) as? [String: Any]
        #expect(json?["body_bytes"] as? Int == payload.count)
    }

    @Test func aLargeAnswerArrivesWholeThroughTLSRecords() throws {
        let upstream = try TLSUpstream()
        let harness = try UpstreamHarness()
        let result = harness.call(upstream.request("/bytes/1500000"),
                                  recorder: Recorder(refusals: 3, loop: harness.loop))
        #expect(result.finished && result.body.count == 1_500_000)
        #expect(result.body == (0..<1_500_000).map { UInt8(($0 * 7) % 251) })
    }

    @Test func anUntrustedCertificateIsRefused() throws {
        let upstream = try TLSUpstream()
        let harness = try UpstreamHarness()
        let result = harness.call(upstream.request("/v1/entries", trusted: false))
        guard case .protocolError(let why)? = result.failure else {
            Issue.record("a certificate no trusted authority signed must fail the call, got \(String(describing: result.failure))")
            return
        }
        #expect(why.lowercased().contains("certificate") || why.contains("SSL"), "\(why)")
    }

    /// libcurl handles are kept after their connection closes and serve the next
    /// one: trusting an authority for one origin must not carry over to another.
    @Test func aReusedHandleDoesNotKeepAnotherOriginsAuthorities() throws {
        let upstream = try TLSUpstream()
        var options = UpstreamHTTPClient.Options()
        options.maxIdleSeconds = 1
        let harness = try UpstreamHarness(options: options)
        #expect(harness.call(upstream.request("/v1/a")).finished)
        Thread.sleep(forTimeInterval: 2.3)   // the idle sweep closes the connection; its handle is kept
        #expect(harness.counters.idleConnections == 0)
        let untrusted = harness.call(upstream.request("/v1/b", trusted: false))
        guard case .protocolError? = untrusted.failure else {
            Issue.record("the system's authorities do not know this certificate: \(String(describing: untrusted.failure))")
            return
        }
        #expect(harness.call(upstream.request("/v1/c")).finished)
    }
}
