import GatewayHTTP
import Testing

/// One well-formed request (or several pipelined ones) and what it must yield.
struct ValidCase: CustomTestStringConvertible, Sendable {
    var name: String
    var raw: String
    var method = "GET"
    var target = "/"
    var version = HTTPVersion.http1_1
    var framing = HTTPBodyFraming.none
    var body = ""
    var keepAlive = true
    var expectsContinue = false
    var fieldCount: Int? = nil
    var testDescription: String { name }
}

let validCases: [ValidCase] = [
    ValidCase(name: "simple GET", raw: "GET / HTTP/1.1\r\nHost: a\r\n\r\n", fieldCount: 1),
    ValidCase(name: "GET with query", raw: "GET /v1/ledger/entries?limit=5&x=%2F HTTP/1.1\r\nHost: gw\r\n\r\n",
              target: "/v1/ledger/entries?limit=5&x=%2F"),
    ValidCase(name: "Content-Length body",
              raw: "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
              method: "POST", target: "/e", framing: .contentLength(11), body: "hello world"),
    ValidCase(name: "Content-Length zero", raw: "POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
              method: "POST", target: "/e", framing: .contentLength(0)),
    ValidCase(name: "chunked body",
              raw: "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
              method: "POST", target: "/c", framing: .chunked, body: "hello world"),
    ValidCase(name: "chunked with extensions, upper-case hex and trailers",
              raw: "PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                 + "A;name=value;q=\"x y\"\r\n0123456789\r\n1 ;ext\r\n!\r\n0\r\nDigest: abc\r\nX-T:\r\n\r\n",
              method: "PUT", target: "/c", framing: .chunked, body: "0123456789!"),
    ValidCase(name: "chunked, coding in capitals, tab as OWS",
              raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-encoding:\tCHUNKED\t\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
              method: "POST", framing: .chunked, body: "abc"),
    ValidCase(name: "chunk size with leading zeros", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0003\r\nabc\r\n000\r\n\r\n",
              method: "POST", framing: .chunked, body: "abc"),
    ValidCase(name: "HTTP/1.0 defaults to close", raw: "GET /old HTTP/1.0\r\n\r\n",
              target: "/old", version: .http1_0, keepAlive: false, fieldCount: 0),
    ValidCase(name: "HTTP/1.0 keep-alive", raw: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
              version: .http1_0, keepAlive: true),
    ValidCase(name: "HTTP/1.0 with Content-Length body", raw: "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
              method: "POST", version: .http1_0, framing: .contentLength(2), body: "hi", keepAlive: false),
    ValidCase(name: "HTTP/1.1 Connection: close", raw: "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, close\r\n\r\n",
              keepAlive: false),
    ValidCase(name: "Expect: 100-continue",
              raw: "POST /u HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\nabc",
              method: "POST", target: "/u", framing: .contentLength(3), body: "abc", expectsContinue: true),
    ValidCase(name: "OPTIONS *", raw: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", method: "OPTIONS", target: "*"),
    ValidCase(name: "HEAD has no special framing", raw: "HEAD /h HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok",
              method: "HEAD", target: "/h", framing: .contentLength(2), body: "ok"),
    ValidCase(name: "extension method, empty Host, odd but legal value bytes",
              raw: "PURGE /p HTTP/1.1\r\nHost:\r\nX-Empty:\r\nX-Obs: caf\u{e9} \"q\" \t\r\n\r\n",
              method: "PURGE", target: "/p", fieldCount: 3),
    ValidCase(name: "leading empty lines are skipped", raw: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ValidCase(name: "identical duplicate Content-Length",
              raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\nabcde",
              method: "POST", framing: .contentLength(5), body: "abcde", fieldCount: 2),
]

@Suite("HTTPRequestParser: valid requests")
struct HTTPRequestParserValidTests {
    @Test("parses each valid request", arguments: validCases)
    func parses(_ c: ValidCase) throws {
        let run = drive(c.raw)
        #expect(run.error == nil, "\(run.error.map(String.init(describing:)) ?? "")")
        let head = try #require(run.heads.first)
        #expect(head.method == c.method)
        #expect(head.target == c.target)
        #expect(head.version == c.version)
        #expect(head.framing == c.framing)
        #expect(head.keepAlive == c.keepAlive)
        #expect(head.expectsContinue == c.expectsContinue)
        if let fieldCount = c.fieldCount { #expect(head.headers.count == fieldCount) }
        #expect(run.body() == Array(c.body.utf8))
        #expect(run.events.last == .end)
        #expect(run.leftover.isEmpty)
    }

    @Test("byte-by-byte and every two-piece split give the same events", arguments: validCases)
    func splits(_ c: ValidCase) {
        let bytes = Array(c.raw.utf8)
        let whole = drive([bytes])
        #expect(driveByteByByte(bytes).events == whole.events)
        for position in 1..<bytes.count {
            let split = driveSplit(bytes, at: position)
            #expect(split.events == whole.events, "split at \(position)")
            #expect(split.error == nil)
        }
    }

    @Test func headerNamesAndValuesAreKeptAndTrimmed() throws {
        let run = drive("GET / HTTP/1.1\r\nHost: example.com:8080\r\nX-Custom-Name:   spaced value \t \r\n\r\n")
        let head = try #require(run.heads.first)
        #expect(head.headers.fields == [
            .init(name: "Host", value: "example.com:8080"),
            .init(name: "X-Custom-Name", value: "spaced value"),
        ])
        #expect(head.headers.first(name: "x-custom-name") == "spaced value")
    }

    @Test func duplicateContentLengthIsNormalisedToOneField() throws {
        let run = drive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3 , 3\r\nContent-length: 3\r\n\r\nabc")
        let head = try #require(run.heads.first)
        #expect(head.headers.values(name: "Content-Length") == ["3"])
    }

    @Test func pipelinedRequestsAreTakenOneAtATime() throws {
        let raw = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
            + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
            + "GET /d HTTP/1.1\r\nHost: h\r\n\r\n"
        var parser = HTTPRequestParser()
        var bytes = Array(raw.utf8)
        var targets: [String] = []
        var ends = 0
        while !bytes.isEmpty {
            let consumed = try feed(&parser, bytes) { event in
                if case .head(let h) = event { targets.append(h.target) }
                if case .end = event { ends += 1 }
            }
            #expect(consumed > 0)
            #expect(parser.isIdle, "each call stops right after .end")
            bytes.removeFirst(consumed)
        }
        #expect(targets == ["/a", "/b", "/c", "/d"])
        #expect(ends == 4)

        let whole = drive(raw)
        #expect(whole.heads.map(\.target) == ["/a", "/b", "/c", "/d"])
        #expect(whole.body(1) == Array("xyz".utf8))
        #expect(whole.body(2) == Array("ok".utf8))
        #expect(driveByteByByte(Array(raw.utf8)).events == whole.events)
    }

    @Test func headIsReportedBeforeTheBodyArrives() throws {
        // A client waiting for 100 Continue sends only the head.
        let run = drive("POST /u HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        let head = try #require(run.heads.first)
        #expect(head.expectsContinue)
        #expect(run.events.count == 1)
    }

    @Test func idleAndBodyStateAreReported() throws {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle && !parser.isReadingBody)
        let partialHead = Array("GET / HTT".utf8)
        let n0 = try feed(&parser, partialHead)
        #expect(n0 == 0)
        #expect(!parser.isIdle, "a scanned but unfinished head is not idle")

        var parser2 = HTTPRequestParser()
        let head = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab".utf8)
        let n1 = try feed(&parser2, head)
        #expect(n1 == head.count)
        #expect(parser2.isReadingBody && !parser2.isIdle)
        let rest = Array("cd".utf8)
        var sawEnd = false
        let n2 = try feed(&parser2, rest) { if case .end = $0 { sawEnd = true } }
        #expect(n2 == 2 && sawEnd)
        #expect(parser2.isIdle && !parser2.isReadingBody)
    }

    @Test func emptyInputConsumesNothing() throws {
        var parser = HTTPRequestParser()
        let n = try parser.parse(UnsafeRawBufferPointer(start: nil, count: 0)) { _ in Issue.record("no event expected") }
        #expect(n == 0)
        #expect(parser.isIdle)
    }

    @Test func errorsAreSticky() {
        var parser = HTTPRequestParser()
        let bad = Array("GET / HTTP/9.9\r\n\r\n".utf8)
        let good = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(throws: HTTPParseError.self) {
            _ = try feed(&parser, bad)
        }
        #expect(throws: HTTPParseError.self) {
            _ = try feed(&parser, good)
        }
        #expect(!parser.isIdle && !parser.isReadingBody)
    }

    @Test func largeBodyArrivesInSlicesPointingIntoTheInput() throws {
        let body = [UInt8](repeating: 0x61, count: 100_000)
        let raw = Array("PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n".utf8) + body
        let pieces = stride(from: 0, to: raw.count, by: 4096).map { Array(raw[$0..<min($0 + 4096, raw.count)]) }
        let run = drive(pieces)
        #expect(run.error == nil)
        #expect(run.body() == body)
        #expect(run.events.last == .end)
    }
}
