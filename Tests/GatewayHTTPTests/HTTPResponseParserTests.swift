import GatewayHTTP
import GatewayTestSupport
import Testing

/// What an upstream client sees of one response, driven as a connection would
/// drive the parser: bytes arrive in pieces, unconsumed bytes are offered again.
struct ResponseRun {
    var head: UpstreamResponseHead?
    var body: [UInt8] = []
    var complete = false
    var keepsConnection = false
    var framing: HTTPResponseFraming?
    var error: HTTPParseError?
    /// Bytes the parser left unconsumed once the response was complete (or the input ran out).
    var leftover: [UInt8] = []

    var fieldNames: [String] { head?.headers.fields.map(\.name) ?? [] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

func driveResponse(_ pieces: [[UInt8]], toHEAD: Bool = false, closeAtEnd: Bool = false,
                   limits: HTTPResponseParser.Limits = .init(), refuseFirstBody: Bool = false) -> ResponseRun {
    var parser = HTTPResponseParser(limits: limits)
    parser.begin(toHEAD: toHEAD)
    var run = ResponseRun()
    var buffer: [UInt8] = []
    var refuse = refuseFirstBody
    do {
        for piece in pieces {
            buffer += piece
            while !buffer.isEmpty && !parser.isComplete {
                let refusing = refuse
                let consumed = try buffer.withUnsafeBytes { bytes in
                    try parser.parse(bytes) { event in
                        switch event {
                        case .head(let head):
                            #expect(run.head == nil, "one final head per response")
                            run.head = head
                        case .body(let chunk):
                            #expect(!chunk.isEmpty)
                            if refuse {
                                refuse = false
                                return false
                            }
                            run.body += chunk
                        }
                        return true
                    }
                }
                buffer.removeFirst(consumed)
                if consumed == 0 && refusing == refuse { break }   // no progress, no refusal: wait for more
            }
        }
        if closeAtEnd && !parser.isComplete { _ = try parser.endOfInput() }
    } catch {
        run.error = error as? HTTPParseError
    }
    run.complete = parser.isComplete
    run.keepsConnection = parser.keepsConnection
    run.framing = run.head == nil ? nil : parser.framing
    run.leftover = buffer
    return run
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Every way of splitting `text` into two pieces, plus one byte at a time.
func splits(_ text: String) -> [[[UInt8]]] {
    let all = bytes(text)
    var out = (0...all.count).map { [Array(all[..<$0]), Array(all[$0...])] }
    out.append(all.map { [$0] })
    return out
}

@Suite struct HTTPResponseParserTests {
    @Test func aContentLengthResponseKeepsTheConnection() {
        let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"
        for pieces in splits(text) {
            let run = driveResponse(pieces)
            #expect(run.error == nil)
            #expect(run.head?.status == 200 && run.head?.reason == "OK")
            #expect(run.text == "{\"ok\":true}")
            #expect(run.complete && run.keepsConnection && run.framing == .length(11))
            #expect(run.fieldNames == ["Content-Type", "Content-Length"])
        }
    }

    @Test func theHeadKeepsEachLineAsBytesWithNameAndValuePositions() throws {
        let run = driveResponse([bytes("HTTP/1.1 201 Created\r\nX-A:  spaced value \t\r\nLocation: /e/1\r\nContent-Length: 0\r\n\r\n")])
        let head = try #require(run.head)
        #expect(String(decoding: head.raw, as: UTF8.self)
                == "X-A:  spaced value \t\r\nLocation: /e/1\r\nContent-Length: 0\r\n")
        #expect(head.isPlain)
        #expect(head.headers.first(name: "X-A") == "spaced value")
        #expect(String(decoding: head.raw[head.fields[1].line], as: UTF8.self) == "Location: /e/1\r\n")
        #expect(run.complete && run.body.isEmpty)
    }

    @Test func bytesAfterTheResponseAreNotConsumed() {
        let run = driveResponse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 200 OK\r\n")])
        #expect(run.complete && run.text == "hi")
        #expect(String(decoding: run.leftover, as: UTF8.self) == "HTTP/1.1 200 OK\r\n")
    }

    @Test func chunkedBodiesArriveDecodedAndTrailersAreDropped() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
        for pieces in splits(text) {
            let run = driveResponse(pieces)
            #expect(run.error == nil)
            #expect(run.text == "hello, world")
            #expect(run.complete && run.keepsConnection && run.framing == .chunked)
        }
    }

    @Test func transferEncodingWinsOverContentLengthWhichIsDropped() {
        let run = driveResponse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\nETag: e\r\n\r\n2\r\nok\r\n0\r\n\r\n")])
        #expect(run.text == "ok" && run.complete)
        #expect(run.fieldNames == ["Transfer-Encoding", "ETag"])
        #expect(!run.keepsConnection, "a response framed both ways must not share its connection")
    }

    @Test func aBodyWithoutLengthRunsUntilTheConnectionCloses() {
        let open = driveResponse([bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst "), bytes("second")])
        #expect(open.text == "first second" && !open.complete && open.framing == .untilClose)
        let closed = driveResponse([bytes("HTTP/1.0 200 OK\r\n\r\nall of it")], closeAtEnd: true)
        #expect(closed.text == "all of it" && closed.complete && !closed.keepsConnection && closed.error == nil)
    }

    @Test func headAnswersAnd204And304HaveNoBody() {
        let head = driveResponse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n")], toHEAD: true)
        #expect(head.complete && head.keepsConnection && head.framing == HTTPResponseFraming.none)
        #expect(head.fieldNames == ["Content-Length"], "a HEAD answer's Content-Length describes the GET body")
        for status in ["204 No Content", "304 Not Modified"] {
            let run = driveResponse([bytes("HTTP/1.1 \(status)\r\nContent-Length: 9\r\n\r\nnext")])
            #expect(run.complete && run.body.isEmpty && run.keepsConnection)
            #expect(String(decoding: run.leftover, as: UTF8.self) == "next")
        }
    }

    @Test func interimAnswersAreSkipped() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        for pieces in splits(text) {
            let run = driveResponse(pieces)
            #expect(run.head?.status == 200 && run.text == "x" && run.complete)
            #expect(run.fieldNames == ["Content-Length"])
        }
    }

    @Test func switchingProtocolsAndEndlessInterimAnswersAreRefused() {
        #expect(driveResponse([bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")]).error != nil)
        let many = String(repeating: "HTTP/1.1 102 Processing\r\n\r\n", count: 17) + "HTTP/1.1 200 OK\r\n\r\n"
        #expect(driveResponse([bytes(many)]).error?.reason.contains("interim") == true)
    }

    @Test func bareLineFeedsAreAcceptedAndTheHeadUsesCRLF() throws {
        let run = driveResponse([bytes("HTTP/1.1 200 OK\nA: 1\nContent-Length: 3\n\nabc")])
        let head = try #require(run.head)
        #expect(String(decoding: head.raw, as: UTF8.self) == "A: 1\r\nContent-Length: 3\r\n")
        #expect(run.text == "abc" && run.complete)
    }

    @Test func foldedLinesAreJoinedAndMakeTheHeadNotPlain() throws {
        let run = driveResponse([bytes("HTTP/1.1 200 OK\r\nX-Long: one\r\n  two \r\n\tthree\r\nContent-Length: 0\r\n\r\n")])
        let head = try #require(run.head)
        #expect(!head.isPlain)
        #expect(head.headers.first(name: "X-Long") == "one two three")
        #expect(head.headers.first(name: "Content-Length") == "0")
    }

    @Test func oddLinesAreNormalisedOrDropped() throws {
        let run = driveResponse([bytes("HTTP/1.1 200 OK\r\n  leading whitespace\r\nNo colon here\r\nBad Name: x\r\nName : spaced\r\nOK: \u{01}ctl\r\nContent-Length: 0\r\n\r\n")])
        let head = try #require(run.head)
        #expect(run.fieldNames == ["Name", "OK", "Content-Length"])
        #expect(!head.isPlain, "whitespace before a colon and control bytes go through the structured path")
    }

    @Test func framingThatCannotBeTrustedIsRefused() {
        for text in ["HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"] {
            #expect(driveResponse([bytes(text)]).error != nil, "\(text.debugDescription)")
        }
        let same = driveResponse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")])
        #expect(same.error == nil && same.text == "ok")
    }

    @Test func statusLinesMustBeHTTP1() {
        for text in ["HTTP/2.0 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n",
                     "HTTP/1.1 099 Low\r\n\r\n", "\r\nHTTP/1.1 200 OK\r\n\r\n", "ICY 200 OK\r\n\r\n"] {
            #expect(driveResponse([bytes(text)]).error != nil, "\(text.debugDescription)")
        }
        let bare = driveResponse([bytes("HTTP/1.1 204\r\n\r\n")])
        #expect(bare.head?.status == 204 && bare.head?.reason == nil)
        let control = driveResponse([bytes("HTTP/1.1 200 O\u{7F}K\r\nContent-Length: 0\r\n\r\n")])
        #expect(control.head?.status == 200 && control.head?.reason == nil)
    }

    @Test func connectionReuseFollowsVersionAndConnectionOptions() {
        let close = driveResponse([bytes("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n")])
        #expect(close.complete && !close.keepsConnection)
        let old = driveResponse([bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")])
        #expect(old.complete && !old.keepsConnection)
        let oldKept = driveResponse([bytes("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")])
        #expect(oldKept.complete && oldKept.keepsConnection)
    }

    @Test func headLimitsHoldBeforeTheHeadIsComplete() {
        let limits = HTTPResponseParser.Limits(maxHeadBytes: 256, maxFieldCount: 4)
        let big = "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: 300)
        #expect(driveResponse([bytes(big)], limits: limits).error?.kind == .headersTooLarge)
        let many = "HTTP/1.1 200 OK\r\n" + (0..<5).map { "F\($0): v\r\n" }.joined() + "\r\n"
        #expect(driveResponse([bytes(many)], limits: limits).error?.kind == .headersTooLarge)
        let four = "HTTP/1.1 200 OK\r\n" + (0..<4).map { "F\($0): v\r\n" }.joined() + "\r\n"
        #expect(driveResponse([bytes(four)], limits: limits).error == nil)
    }

    @Test func aClosedConnectionCutsShortWhatIsNotDelimitedByIt() {
        var parser = HTTPResponseParser()
        parser.begin(toHEAD: false)
        #expect((try? parser.endOfInput()) == false, "nothing received: the caller decides")
        for text in ["HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"] {
            let run = driveResponse([bytes(text)], closeAtEnd: true)
            #expect(run.error != nil && !run.complete, "\(text.debugDescription)")
        }
    }

    @Test func aRefusedBodySliceIsOfferedAgain() {
        for text in ["HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"] {
            let run = driveResponse([bytes(text)], refuseFirstBody: true)
            #expect(run.text == "hello" && run.complete, "\(text.debugDescription)")
        }
    }
}

/// Seeded random mutations of valid answers: the parser never reads past what
/// it is given, and what it decides does not depend on how the bytes arrive.
@Suite("HTTPResponseParser: mutations")
struct HTTPResponseParserMutationTests {
    static let seeds = [
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: \"e\"\r\n\r\n5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 404 Not Found\nContent-Length: 2\n\nno",
        "HTTP/1.1 200 OK\r\nX-Fold: a\r\n b\r\nContent-Length: 0\r\n\r\n",
    ].map { Array($0.utf8) }

    static let interesting: [UInt8] = Array("\r\n :;,\t0aF1-HTTP/1.1 chunkedContent-LengthTransfer-Encoding".utf8) + [0, 0x0B, 0x7F, 0xFF]

    @Test func decisionsDoNotDependOnSplits() {
        var rng = SplitMix(state: 0xA11CE)
        var accepted = 0
        for _ in 0..<3000 {
            let input = mutateBytes(Self.seeds.randomElement(using: &rng)!, &rng, interesting: Self.interesting)
            let whole = driveResponse([input], closeAtEnd: true)
            let piece = Int.random(in: 1...7, using: &rng)
            let split = driveResponse(stride(from: 0, to: input.count, by: piece).map {
                Array(input[$0..<min($0 + piece, input.count)])
            }, closeAtEnd: true)
            let shown = String(decoding: input, as: UTF8.self).debugDescription
            #expect((whole.error == nil) == (split.error == nil), "\(shown)")
            #expect(whole.body.count <= input.count, "\(shown)")
            if whole.error == nil && split.error == nil {
                #expect(whole.body == split.body && whole.complete == split.complete, "\(shown)")
                #expect(whole.head?.status == split.head?.status && whole.fieldNames == split.fieldNames, "\(shown)")
                #expect(whole.keepsConnection == split.keepsConnection && whole.leftover == split.leftover, "\(shown)")
                if whole.complete { accepted += 1 }
            }
            if let head = whole.head {
                #expect((100...999).contains(head.status))
                for field in head.fields {
                    #expect(field.name.lowerBound >= field.line.lowerBound && field.value.upperBound <= field.line.upperBound)
                    #expect(field.line.upperBound <= head.raw.count)
                }
            }
        }
        #expect(accepted > 300, "the mutations should leave some answers valid")
    }
}
