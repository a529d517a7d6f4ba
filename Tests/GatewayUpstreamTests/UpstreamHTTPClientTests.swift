import Foundation
import GatewayHTTP
import GatewayTestSupport
import GatewayUpstream
import Synchronization
import Testing

/// The upstream client against scripted upstreams: what goes on the wire,
/// every way an answer can be framed or broken, reuse, retries, timeouts and
/// back-pressure.
@Suite struct UpstreamHTTPClientTests {
    @Test func theRequestHeadCarriesHostFramingAndTheCallersFields() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while try upstream.read(connection) != nil { try connection.respond(body: "ok") }
        }
        let harness = try UpstreamHarness()
        let headers: HTTPHeaders = ["Accept": "application/json", "Host": "caller.example", "Expect": "100-continue",
                                    "Content-Length": "999", "X-Empty": "", "X-Split": "a\r\nInjected: 1", "X-Id": "r-1"]
        let request = UpstreamRequest(method: "POST", origin: UpstreamOrigin("http://127.0.0.1:\(upstream.port)/base/"),
                                      target: "/v1/x?q=%2F&a=b", headers: headers, body: .length(5))
        let result = harness.call(request, body: [Array("he".utf8), Array("llo".utf8)])
        #expect(result.finished && result.status == 200 && result.text == "ok")
        let sent = try #require(upstream.requests.first)
        #expect(sent.head.method == "POST")
        #expect(sent.head.target == "/base/v1/x?q=%2F&a=b", "base path + target, byte for byte")
        #expect(sent.head.headers.first(name: "Host") == "127.0.0.1:\(upstream.port)")
        #expect(sent.head.headers.values(name: "Content-Length") == ["5"])
        #expect(sent.head.headers.first(name: "Expect") == nil)
        #expect(sent.head.headers.first(name: "X-Empty") == "")
        #expect(sent.head.headers.first(name: "X-Split") == nil && sent.head.headers.first(name: "Injected") == nil)
        #expect(sent.head.headers.first(name: "X-Id") == "r-1" && sent.head.headers.first(name: "Accept") == "application/json")
        #expect(sent.bodyString == "hello")
    }

    @Test func aStreamedBodyGoesUpChunked() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while let request = try upstream.read(connection) {
                try connection.respond(body: "\(request.head.headers.first(name: "Transfer-Encoding") ?? "-") \(request.body.count)")
            }
        }
        let harness = try UpstreamHarness()
        let pieces = (0..<40).map { [UInt8](repeating: UInt8(65 + $0 % 26), count: 3000 + $0) }
        let result = harness.call(upstream.request(method: "PUT", body: .streamed), body: pieces)
        #expect(result.text == "chunked \(pieces.joined().count)")
        #expect(upstream.requests.first?.body == Array(pieces.joined()))
    }

    @Test func chunkedAnswersArriveDecodedAndTheConnectionIsReused() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while try upstream.read(connection) != nil {
                try connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Kind: chunked\r\n\r\n4\r\nfirs")
                Thread.sleep(forTimeInterval: 0.02)
                try connection.write("\r\n6\r\nt part\r\n0\r\nX-Trailer: dropped\r\n\r\n")
            }
        }
        let harness = try UpstreamHarness()
        for _ in 0..<3 {
            let result = harness.call(upstream.request())
            #expect(result.finished && result.text == "first part" && result.field("X-Kind") == "chunked")
        }
        #expect(upstream.connections == 1)
    }

    @Test func anAnswerDelimitedByTheCloseEndsWithItAndIsNotReused() throws {
        let upstream = try ScriptedUpstream { number, connection, upstream in
            guard try upstream.read(connection) != nil else { return }
            try connection.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nconnection \(number), ")
            Thread.sleep(forTimeInterval: 0.02)
            try connection.write("until the close")
        }
        let harness = try UpstreamHarness()
        for number in 1...2 {
            let result = harness.call(upstream.request())
            #expect(result.finished && result.text == "connection \(number), until the close")
        }
        #expect(upstream.connections == 2)
    }

    @Test func interimAnswersAreSkippedAndHeadAnswersHaveNoBody() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while let request = try upstream.read(connection) {
                if request.head.method == "HEAD" {
                    try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                } else {
                    try connection.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                         + "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone")
                }
            }
        }
        let harness = try UpstreamHarness()
        let posted = harness.call(upstream.request(method: "POST", body: .length(1)), body: [[0x41]])
        #expect(posted.status == 201 && posted.text == "done" && posted.field("Link") == nil)
        let head = harness.call(upstream.request(method: "HEAD"))
        #expect(head.finished && head.status == 200 && head.body.isEmpty && head.field("Content-Length") == "1000")
        let again = harness.call(upstream.request(method: "HEAD"))
        #expect(again.finished)
        #expect(upstream.connections == 1, "a bodiless answer leaves the connection reusable")
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH_9.2\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        "HTTP/1.1 200 OK\r\nContent-Le",
        "",
    ])
    func brokenAnswersAreProtocolErrors(_ answer: String) throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            guard try upstream.read(connection) != nil else { return }
            try connection.write(answer)
        }
        let harness = try UpstreamHarness()
        let result = harness.call(upstream.request())
        guard case .protocolError(let why)? = result.failure else {
            Issue.record("expected a protocol error, got \(String(describing: result.failure)), finished \(result.finished)")
            return
        }
        #expect(!why.isEmpty)
        #expect(!result.finished)
    }

    @Test func aHeadLargerThanTheLimitIsAProtocolError() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            guard try upstream.read(connection) != nil else { return }
            try connection.write("HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "b", count: 100_000) + "\r\n\r\n")
        }
        let harness = try UpstreamHarness()
        guard case .protocolError(let why)? = harness.call(upstream.request()).failure else {
            Issue.record("a 100 kB head must be refused")
            return
        }
        #expect(why.contains("larger than"))
    }

    /// An interim head, then a final head larger than the receive buffer: the
    /// consumed interim bytes are moved out of the way and the buffer grows.
    @Test func aLargeHeadAfterAnInterimOneIsReadWhole() throws {
        let big = String(repeating: "v", count: 40_000)
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while try upstream.read(connection) != nil {
                try connection.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-Big: \(big)\r\nContent-Length: 2\r\n\r\nok")
            }
        }
        let harness = try UpstreamHarness()
        for _ in 0..<2 {
            let result = harness.call(upstream.request())
            #expect(result.finished && result.text == "ok" && result.field("X-Big") == big)
        }
        #expect(upstream.connections == 1)
    }

    /// A host name: libcurl resolves it (its resolver's socket is watched by the
    /// loop too) and tries each address; `localhost` may name ::1 first, where
    /// nothing listens.
    @Test func anUpstreamNamedByHostIsResolvedAndReached() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while let request = try upstream.read(connection) {
                try connection.respond(body: request.head.headers.first(name: "Host") ?? "-")
            }
        }
        let harness = try UpstreamHarness()
        for _ in 0..<2 {
            let result = harness.call(UpstreamRequest(method: "GET", origin: UpstreamOrigin("http://localhost:\(upstream.port)"),
                                                      target: "/", headers: [:]))
            #expect(result.finished && result.text == "localhost:\(upstream.port)", "\(String(describing: result.failure))")
        }
        #expect(upstream.connections == 1)
    }

    /// Many calls at once, in waves, over pooled and new connections, with
    /// answers that take different times: each caller gets its own answer.
    @Test func concurrentCallsNeverGetEachOthersAnswers() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while let request = try upstream.read(connection) {
                let n = Int(request.head.target.dropFirst(3)) ?? 0
                if n % 3 == 0 { Thread.sleep(forTimeInterval: 0.002) }
                if n % 2 == 0 {
                    try connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                         + "\(String(request.head.target.utf8.count, radix: 16))\r\n\(request.head.target)\r\n0\r\n\r\n")
                } else {
                    try connection.respond(body: request.head.target)
                }
            }
        }
        let harness = try UpstreamHarness()
        var calls = 0
        for wave in 0..<4 {
            let recorders = (0..<60).map { _ in Recorder() }
            for (i, recorder) in recorders.enumerated() {
                harness.start(upstream.request("/n/\(wave * 100 + i)"), recorder: recorder)
            }
            for (i, recorder) in recorders.enumerated() {
                recorder.wait(.seconds(10))
                #expect(recorder.finished && recorder.text == "/n/\(wave * 100 + i)", "\(String(describing: recorder.failure))")
                calls += 1
            }
        }
        #expect(calls == 240)
        #expect(upstream.connections <= 120, "later waves reuse the connections of earlier ones: \(upstream.connections)")
    }

    /// The caller gives up on the head; the bytes after it are broken. The
    /// connection must still be closed (the upstream sees its end), not leaked.
    @Test(arguments: ["zz\r\n", "5\r\nhello\r\n0\r\n\r\n"])
    func aCallCancelledOnItsHeadLetsItsConnectionGo(_ rest: String) throws {
        let closed = Mutex(false)
        let upstream = try ScriptedUpstream { _, connection, upstream in
            guard try upstream.read(connection) != nil else { return }
            try connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + rest)
            if try connection.readBytes().isEmpty { closed.withLock { $0 = true } }
        }
        let harness = try UpstreamHarness()
        let recorder = Recorder()
        recorder.cancelOnHead = true
        let result = harness.call(upstream.request(), recorder: recorder)
        #expect(result.head?.status == 200 && !result.finished && result.failure == nil)
        let deadline = ContinuousClock.now + .seconds(3)
        while !closed.withLock({ $0 }) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(closed.withLock { $0 }, "the cancelled call's connection was closed")
    }

    @Test func aDeadUpstreamIsUnavailableAndAnInvalidURLToo() throws {
        let harness = try UpstreamHarness()
        let closedPort = try TestTCPServer { _ in }.port   // the server is gone once this line ends
        let dead = harness.call(UpstreamRequest(method: "GET", origin: UpstreamOrigin("http://127.0.0.1:\(closedPort)"),
                                                target: "/", headers: [:]))
        guard case .unavailable? = dead.failure else { Issue.record("got \(String(describing: dead.failure))"); return }
        let invalid = harness.call(UpstreamRequest(method: "GET", origin: UpstreamOrigin("http://user:pw@127.0.0.1:1"),
                                                   target: "/", headers: [:]))
        guard case .unavailable(let why)? = invalid.failure else { Issue.record("got \(String(describing: invalid.failure))"); return }
        #expect(why.contains("user information"))
    }

    @Test func silentUpstreamsTimeOutEachAtItsOwnDeadline() throws {
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while try upstream.read(connection) != nil {}   // never answers
        }
        let harness = try UpstreamHarness()
        let slow = Recorder(), fast = Recorder()
        let started = ContinuousClock.now
        harness.start(upstream.request(timeoutMillis: 1_200), recorder: slow)
        harness.start(upstream.request(timeoutMillis: 300), recorder: fast)
        fast.wait(.seconds(5))
        let fastTook = ContinuousClock.now - started
        slow.wait(.seconds(5))
        let slowTook = ContinuousClock.now - started
        guard case .timeout? = fast.failure, case .timeout? = slow.failure else {
            Issue.record("both must time out: \(String(describing: fast.failure)), \(String(describing: slow.failure))")
            return
        }
        // Each at its own deadline: never early, and the short one well before the long one
        // (the ceilings leave room for a busy machine).
        #expect(fastTook >= .milliseconds(290), "\(fastTook)")
        #expect(slowTook >= .milliseconds(1_190), "\(slowTook)")
        #expect(slowTook - fastTook >= .milliseconds(500) && slowTook < .seconds(5), "\(fastTook) then \(slowTook)")
    }

    /// The upstream answers the first request of each connection, then takes
    /// the next request and closes without a word (as a server that timed the
    /// idle connection out at that very moment would).
    private func closingAfterOneAnswer() throws -> ScriptedUpstream {
        try ScriptedUpstream { _, connection, upstream in
            guard try upstream.read(connection) != nil else { return }
            try connection.respond(body: "answered")
            _ = try upstream.read(connection)
        }
    }

    @Test func anIdempotentRequestOnAConnectionClosedUnderItIsSentAgain() throws {
        let upstream = try closingAfterOneAnswer()
        let harness = try UpstreamHarness()
        #expect(harness.call(upstream.request()).text == "answered")
        let second = harness.call(upstream.request())
        #expect(second.finished && second.text == "answered", "\(String(describing: second.failure))")
        #expect(upstream.connections == 2)
        #expect(upstream.requests.count == 3, "the request was sent twice")
        #expect(harness.counters.retries == 1 && harness.counters.connectionsOpened == 2)
        #expect(harness.counters.connectionsReused == 1)
    }

    @Test func aPostOnAConnectionClosedUnderItIsNotSentAgain() throws {
        let upstream = try closingAfterOneAnswer()
        let harness = try UpstreamHarness()
        #expect(harness.call(upstream.request()).text == "answered")
        let post = harness.call(upstream.request(method: "POST"))
        guard case .protocolError? = post.failure else { Issue.record("got \(String(describing: post.failure))"); return }
        #expect(upstream.connections == 1 && upstream.requests.count == 2, "sent once: it may have been acted on")
    }

    @Test func anEarlyAnswerEndsTheUploadAndTheConnectionIsNotReused() throws {
        let upstream = try ScriptedUpstream { _, connection, _ in
            _ = try connection.readBytes()   // the head (and perhaps some body): answer at once
            try connection.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 8\r\n\r\ntoo much")
            while try !connection.readBytes().isEmpty {}
        }
        let harness = try UpstreamHarness()
        let recorder = Recorder()
        harness.start(upstream.request(method: "POST", body: .length(10_000_000)), body: [[UInt8](repeating: 1, count: 1000)],
                      recorder: recorder)
        recorder.wait(.seconds(5))
        #expect(recorder.status == 413 && recorder.text == "too much" && recorder.finished)
        _ = harness.call(upstream.request())
        #expect(upstream.connections == 2)
    }

    @Test func aRefusedBodyIsOfferedAgainAfterResumeAndArrivesWhole() throws {
        let payload = (0..<600_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) }
        let upstream = try ScriptedUpstream { _, connection, upstream in
            while try upstream.read(connection) != nil {
                var wire = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                for start in stride(from: 0, to: payload.count, by: 70_000) {
                    HTTPChunkedEncoder.appendChunk(Array(payload[start..<min(start + 70_000, payload.count)]), to: &wire)
                }
                HTTPChunkedEncoder.appendLastChunk(to: &wire)
                try connection.write(wire)
            }
        }
        let harness = try UpstreamHarness()
        let result = harness.call(upstream.request(), recorder: Recorder(refusals: 5, loop: harness.loop))
        #expect(result.finished && result.refusals == 0)
        #expect(result.body == payload)
    }

    /// `trailing` comes right after the first answer (same segment) or later, while the connection idles.
    private func talkingUpstream(trailing: Bool) throws -> ScriptedUpstream {
        try ScriptedUpstream { number, connection, upstream in
            guard try upstream.read(connection) != nil else { return }
            if number == 1 {
                let extra = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nunexpected"   // nobody asked
                if trailing {
                    try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst" + extra)
                } else {
                    try connection.respond(body: "first")
                    Thread.sleep(forTimeInterval: 0.05)
                    try connection.write(extra)
                }
            } else {
                try connection.respond(body: "first")
            }
            while try upstream.read(connection) != nil { try connection.respond(body: "again") }
        }
    }

    @Test(arguments: [true, false])
    func aConnectionWithBytesNobodyAskedForIsNotReused(trailing: Bool) throws {
        let upstream = try talkingUpstream(trailing: trailing)
        let harness = try UpstreamHarness()
        #expect(harness.call(upstream.request()).text == "first")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(harness.call(upstream.request()).text == "first", "a new connection")
        #expect(harness.call(upstream.request()).text == "again")
        #expect(upstream.connections == 2)
    }

    @Test func idleConnectionsPastTheirAgeAreNotReused() throws {
        let upstream = try ScriptedUpstream { number, connection, upstream in
            while try upstream.read(connection) != nil { try connection.respond(body: "connection \(number)") }
        }
        var options = UpstreamHTTPClient.Options()
        options.maxIdleSeconds = 1
        let harness = try UpstreamHarness(options: options)
        #expect(harness.call(upstream.request()).text == "connection 1")
        #expect(harness.call(upstream.request()).text == "connection 1")
        Thread.sleep(forTimeInterval: 1.3)
        #expect(harness.call(upstream.request()).text == "connection 2")
    }
}
