import GatewayHTTP
import Testing

@Suite("Serializers and chunked encoder")
struct HTTPSerializerTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func responseHead() {
        let head = HTTPResponseHead(status: 201, headers: ["Content-Type": "application/json", "Content-Length": "2"])
        #expect(text(head.serialized) == "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
    }

    @Test func responseHeadWithCustomReasonAndVersion() {
        let head = HTTPResponseHead(status: 299, reason: "Fine Indeed", version: .http1_0)
        #expect(text(head.serialized) == "HTTP/1.0 299 Fine Indeed\r\n\r\n")
        #expect(text(HTTPResponseHead(status: 599).serialized) == "HTTP/1.1 599 Status 599\r\n\r\n")
    }

    @Test func serializeAppendsToExistingBytes() {
        var out = Array("prefix".utf8)
        HTTPResponseHead(status: 204).serialize(into: &out)
        #expect(text(out) == "prefixHTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func fieldsThatWouldSplitTheMessageAreLeftOut() {
        var headers = HTTPHeaders()
        headers.add(name: "X-Good", value: "a\tb c")
        headers.add(name: "X-Injected", value: "a\r\nSet-Cookie: evil=1")
        headers.add(name: "X-Bare-LF", value: "a\nb")
        headers.add(name: "X-NUL", value: "a\u{0}")
        headers.add(name: "Bad Name", value: "v")
        headers.add(name: "", value: "v")
        headers.add(name: "X-Unicode", value: "caf\u{e9}")
        let head = HTTPResponseHead(status: 200, reason: "OK\r\nX-Evil: 1", headers: headers)
        #expect(text(head.serialized) == "HTTP/1.1 200 OK\r\nX-Good: a\tb c\r\nX-Unicode: caf\u{e9}\r\n\r\n")
    }

    @Test func fieldValidation() {
        #expect(HTTPHeaders.isValidFieldName("X-Request-Id"))
        #expect(!HTTPHeaders.isValidFieldName("X Request"))
        #expect(!HTTPHeaders.isValidFieldName("X:"))
        #expect(!HTTPHeaders.isValidFieldName(""))
        #expect(HTTPHeaders.isValidFieldValue(""))
        #expect(HTTPHeaders.isValidFieldValue("Bearer abc.def"))
        #expect(!HTTPHeaders.isValidFieldValue("a\rb"))
        #expect(!HTTPHeaders.isValidFieldValue("a\u{7F}"))
    }

    @Test func requestHeadRoundTripsThroughTheParser() throws {
        let head = HTTPRequestHead(method: "POST", target: "/v1/ledger/entries?x=1",
                                   headers: ["Host": "127.0.0.1:8080", "Content-Length": "3", "X-A": "b"])
        #expect(text(head.serialized) == "POST /v1/ledger/entries?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 3\r\nX-A: b\r\n\r\n")
        let run = drive([head.serialized + Array("abc".utf8)])
        let parsed = try #require(run.heads.first)
        var expected = head
        expected.framing = .contentLength(3)
        #expect(parsed == expected)
        #expect(run.body() == Array("abc".utf8))
    }

    @Test("chunk sizes are lower-case hex", arguments: [1, 9, 10, 15, 16, 255, 256, 4096, 65535, 1_000_000])
    func chunkSizes(size: Int) {
        var out: [UInt8] = []
        HTTPChunkedEncoder.appendChunk([UInt8](repeating: 0x61, count: size), to: &out)
        let header = String(size, radix: 16) + "\r\n"
        #expect(Array(out.prefix(header.utf8.count)) == Array(header.utf8))
        #expect(out.count == header.utf8.count + size + 2)
        #expect(out.suffix(2) == [0x0D, 0x0A])
    }

    @Test func emptyChunkIsNotWritten() {
        var out: [UInt8] = []
        HTTPChunkedEncoder.appendChunk([], to: &out)
        #expect(out.isEmpty)
    }

    @Test func chunkedBodyRoundTripsThroughTheParser() throws {
        var wire = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let pieces = ["hello", " ", String(repeating: "x", count: 300), "!"]
        for piece in pieces { HTTPChunkedEncoder.appendChunk(Array(piece.utf8), to: &wire) }
        HTTPChunkedEncoder.appendChunkHeader(size: 2, to: &wire)
        wire += Array("ok".utf8)
        HTTPChunkedEncoder.appendChunkEnd(to: &wire)
        HTTPChunkedEncoder.appendLastChunk(trailers: ["Digest": "x", "Bad\r\n": "y"], to: &wire)
        #expect(text(Array(wire.suffix(16))) == "0\r\nDigest: x\r\n\r\n")
        let run = drive([wire])
        #expect(run.error == nil)
        #expect(run.body() == Array((pieces.joined() + "ok").utf8))
        #expect(run.events.last == .end)
        #expect(driveByteByByte(wire).events == run.events)
    }

    @Test func lastChunkWithoutTrailers() {
        var out: [UInt8] = []
        HTTPChunkedEncoder.appendLastChunk(to: &out)
        #expect(text(out) == "0\r\n\r\n")
    }
}
