import GatewayHTTP
@testable import GatewayProxy
import GatewayUpstream
import Testing

@Suite struct UpstreamFieldPlanTests {
    func kept(_ headers: HTTPHeaders, bodyless: Bool = false) -> (names: [String], length: Int?) {
        let head = UpstreamResponseHead(status: 200, headers: headers)
        let plan = UpstreamFieldPlan(head)
        let names = head.fields.indices.filter { plan.keeps($0, keepContentLength: bodyless) }.map { head.headers.fields[$0].name }
        return (names, plan.contentLength)
    }

    @Test func hopByHopFramingAndTheUpstreamsRequestIdAreDropped() {
        let result = kept([
            "Content-Type": "application/json", "Connection": "keep-alive, X-Hop", "Keep-Alive": "timeout=5",
            "X-Hop": "drop me", "Transfer-Encoding": "chunked", "X-Request-Id": "upstream-id",
            "Content-Length": "42", "ETag": "\"v1\"", "Proxy-Authenticate": "Basic", "Upgrade": "h2c",
        ])
        #expect(result.names == ["Content-Type", "ETag"])
        #expect(result.length == 42)
    }

    @Test func contentLengthIsKeptForBodilessAnswers() {
        let result = kept(["Content-Length": "7", "Date": "x"], bodyless: true)
        #expect(result.names == ["Content-Length", "Date"])
    }

    @Test func namesAreComparedWithoutCase() {
        let result = kept(["CONNECTION": "close, x-SECRET", "x-secret": "1", "te": "trailers", "Cache-Control": "no-store"])
        #expect(result.names == ["Cache-Control"])
        #expect(kept(["Content-Length": "12a"]).length == nil)
    }

    @Test func foldedOrControlCharacterHeadsAreNotPlain() {
        #expect(UpstreamResponseHead(status: 200, headers: ["A": "b\u{1}c"]).isPlain == false)
        #expect(UpstreamResponseHead(status: 200, headers: ["A": "b\tc"]).isPlain)
    }
}
