import GatewayHTTP
import Testing

@Suite("Hop-by-hop fields")
struct HTTPHopByHopTests {
    @Test func fixedListIsRemoved() {
        var headers: HTTPHeaders = [
            "Host": "a", "Connection": "keep-alive", "Keep-Alive": "timeout=5", "Proxy-Connection": "keep-alive",
            "TE": "trailers", "Trailer": "Digest", "Transfer-Encoding": "chunked", "Upgrade": "websocket",
            "Proxy-Authenticate": "Basic", "Proxy-Authorization": "Basic eA==", "HTTP2-Settings": "AAA",
            "Authorization": "Bearer t", "Content-Type": "text/plain",
        ]
        headers.removeHopByHop()
        #expect(headers.fields.map(\.name) == ["Host", "Authorization", "Content-Type"])
    }

    @Test func fieldsNamedInConnectionAreRemovedCaseInsensitively() {
        var headers: HTTPHeaders = [
            "Connection": "close, X-Secret-Hop,  x-other ", "connection": "Foo",
            "x-secret-hop": "1", "X-OTHER": "2", "FOO": "3", "X-Kept": "4",
        ]
        headers.removeHopByHop()
        #expect(headers.fields == [.init(name: "X-Kept", value: "4")])
    }

    @Test func duplicatesOfHopByHopFieldsAreAllRemoved() {
        var headers = HTTPHeaders([("Upgrade", "a"), ("X", "1"), ("upgrade", "b"), ("UPGRADE", "c")])
        headers.removeHopByHop()
        #expect(headers.fields == [.init(name: "X", value: "1")])
    }

    @Test func endToEndFieldsAreKept() {
        let headers: HTTPHeaders = ["Host": "a", "Accept": "*/*", "Content-Length": "3", "Trailers": "x", "TEX": "y"]
        #expect(headers.removingHopByHop() == headers)
    }

    @Test func classification() {
        for name in ["Connection", "KEEP-ALIVE", "te", "Trailer", "Proxy-Authorization"] {
            #expect(HTTPHeaders.isHopByHop(name), "\(name)")
        }
        for name in ["Host", "Trailers", "Authorization", "Content-Length", "TE2"] {
            #expect(!HTTPHeaders.isHopByHop(name), "\(name)")
        }
    }
}
