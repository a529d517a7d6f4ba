import GatewayHTTP
import Testing

@Suite("HTTPRequestParser: limits")
struct HTTPRequestParserLimitTests {
    /// A request line of exactly `length` bytes (without CRLF).
    func requestLine(length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1"
    }

    @Test func requestLineAtTheLimitIsAccepted() {
        let run = drive(requestLine(length: 8192) + "\r\nHost: a\r\n\r\n")
        #expect(run.error == nil)
        #expect(run.heads.first?.target.utf8.count == 8192 - 13)
    }

    @Test func requestLineOverTheLimitIs414() {
        #expect(drive(requestLine(length: 8193) + "\r\nHost: a\r\n\r\n").status == 414)
    }

    @Test func requestLineOverTheLimitIs414BeforeItsCRLFArrives() {
        let pending = drive("GET /" + String(repeating: "a", count: 8188))   // 8193 bytes, no CRLF
        #expect(pending.status == 414)
        let atLimit = drive(requestLine(length: 8192) + "\r")                  // a CR may still become CRLF
        #expect(atLimit.error == nil)
        #expect(atLimit.leftover.count == 8193)
    }

    @Test func endlessRequestLineIsRefusedWithoutBufferingMore() {
        // Arriving in small pieces, the 414 comes as soon as the limit is passed.
        let pieces = Array(repeating: Array("aaaaaaaaaaaaaaaa".utf8), count: 1000)
        let run = drive([Array("GET /".utf8)] + pieces)
        #expect(run.status == 414)
    }

    /// A head whose header section (after the request line, through the
    /// blank line) is exactly `size` bytes.
    func head(headerSectionBytes size: Int) -> String {
        let fixed = "Host: a\r\nX: \r\n\r\n".utf8.count
        return "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: size - fixed) + "\r\n\r\n"
    }

    @Test func headerSectionAtTheLimitIsAccepted() {
        #expect(drive(head(headerSectionBytes: 32768)).error == nil)
    }

    @Test func headerSectionOverTheLimitIs431() {
        #expect(drive(head(headerSectionBytes: 32769)).status == 431)
        #expect(driveByteByByte(Array(head(headerSectionBytes: 32769).utf8)).status == 431)
    }

    @Test func headerSectionOverTheLimitIs431BeforeItEnds() {
        let run = drive("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 32768))
        #expect(run.status == 431)
    }

    func head(fields: Int) -> String {
        "GET / HTTP/1.1\r\nHost: a\r\n" + (1..<fields).map { "X-\($0): v\r\n" }.joined() + "\r\n"
    }

    @Test func hundredFieldsAreAcceptedAndOneMoreIs431() throws {
        let ok = drive(head(fields: 100))
        #expect(ok.heads.first?.headers.count == 100)
        #expect(drive(head(fields: 101)).status == 431)
        #expect(drive(String(head(fields: 101).dropLast())).status == 431, "before the blank line (CRLF is one Character)")
    }

    @Test func bodyLimitAppliesToContentLength() {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        #expect(drive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits).error == nil)
        #expect(drive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: limits).status == 413)
    }

    @Test func bodyLimitAppliesToTheChunkedTotalAsItArrives() {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(drive(prefix + "5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n", limits: limits).error == nil)
        let over = drive(prefix + "5\r\nabcde\r\n6\r\n", limits: limits)
        #expect(over.status == 413)
        #expect(over.body() == Array("abcde".utf8), "the first chunk was delivered before the limit was passed")
    }

    @Test func chunkExtensionsAreBounded() {
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let atLimit = "1;" + String(repeating: "e", count: 4094)          // 4096 bytes
        #expect(drive(prefix + atLimit + "\r\nx\r\n0\r\n\r\n").error == nil)
        let over = drive(prefix + atLimit + "e")                          // no CRLF yet
        #expect(over.status == 400)
        let zeros = drive(prefix + String(repeating: "0", count: 4097))
        #expect(zeros.status == 400)
    }

    @Test func trailersAreBoundedAndDropped() {
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
        let ok = drive(prefix + "T1: a\r\nT2: b\r\n\r\n")
        #expect(ok.error == nil)
        #expect(ok.events == [.head(ok.heads[0]), .body(Array("x".utf8)), .end])
        let many = (0...100).map { "T\($0): v\r\n" }.joined()
        #expect(drive(prefix + many + "\r\n").status == 431)
        #expect(drive(prefix + "T: " + String(repeating: "v", count: 32768)).status == 431)
    }

    @Test func customLimitsAreHonoured() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 20, maxHeaderBytes: 30, maxHeaderCount: 2)
        #expect(drive("GET /0123456789 HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits).status == 414)
        #expect(drive("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits).status == 431)
        #expect(drive("GET / HTTP/1.1\r\nHost: a\r\nA: 0123456789012345\r\n\r\n", limits: limits).status == 431)
        #expect(drive("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\n\r\n", limits: limits).error == nil)
    }

    @Test func leadingEmptyLinesUpToTheLimitAreSkipped() {
        let run = drive(String(repeating: "\r\n", count: 8) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(run.error == nil && run.heads.count == 1)
        // The count restarts for every request.
        let twice = drive(String(repeating: "\r\n", count: 8) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
                          + String(repeating: "\r\n", count: 8) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(twice.error == nil && twice.heads.count == 2)
    }
}
