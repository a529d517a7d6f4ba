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

    @Test func theUsualConnectionValuesNameNoField() {
        #expect(kept(["Connection": "Keep-Alive", "Close": "1", "Date": "x"]).names == ["Close", "Date"])
        #expect(kept(["connection": "close", "Keep-Alive": "timeout=5", "ETag": "e"]).names == ["ETag"])
        #expect(kept(["Connection": "close, ETag", "ETag": "e", "Date": "x"]).names == ["Date"])
    }

    @Test func headsOfMoreThanSixtyFourFieldsKeepTheirDecisions() {
        var headers = HTTPHeaders()
        for i in 0..<100 { headers.add(name: "X-Field-\(i)", value: "\(i)") }
        headers.add(name: "Connection", value: "X-Field-3, X-Field-80")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        headers.add(name: "Content-Length", value: "5")
        let result = kept(headers)
        #expect(result.names.count == 98)
        #expect(!result.names.contains("X-Field-3") && !result.names.contains("X-Field-80"))
        #expect(result.names.contains("X-Field-99") && result.names.contains("X-Field-64"))
        #expect(result.length == 5)
        #expect(kept(headers, bodyless: true).names.last == "Content-Length")
    }

    @Test func foldedOrControlCharacterHeadsAreNotPlain() {
        #expect(UpstreamResponseHead(status: 200, headers: ["A": "b\u{1}c"]).isPlain == false)
        #expect(UpstreamResponseHead(status: 200, headers: ["A": "b\tc"]).isPlain)
    }
}
