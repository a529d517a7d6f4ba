import GatewayHTTP
import GatewayTestSupport
import Testing

/// The test client against scripted in-process servers.
@Suite("TestHTTPClient")
struct TestHTTPClientTests {
    /// A server that answers every request with its method, target and body.
    func echoServer() throws -> TestTCPServer {
        try TestTCPServer { connection in
            while let request = try connection.readRequest() {
                try connection.respond(headers: ["X-Method": request.head.method],
                                       body: "\(request.head.target) \(request.bodyString)")
            }
        }
    }

    @Test func contentLengthResponse() throws {
        let server = try echoServer()
        let client = try TestHTTPClient(port: server.port)
        let response = try client.request(method: "POST", target: "/v1/x?y=1", body: "hello")
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(response.header("x-method") == "POST")
        #expect(response.bodyString == "/v1/x?y=1 hello")
        #expect(response.framing == .contentLength(15))
    }

    @Test func pipelinedResponsesArriveInOrder() throws {
        let server = try echoServer()
        let client = try TestHTTPClient(port: server.port)
        var wire: [UInt8] = []
        for n in 1...3 {
            wire += HTTPRequestHead(method: "GET", target: "/\(n)", headers: ["Host": "t"]).serialized
        }
        try client.send(wire)
        let responses = try client.readResponses(count: 3)
        #expect(responses.map(\.bodyString) == ["/1 ", "/2 ", "/3 "])
    }

    @Test func chunkedResponseWithTrailers() throws {
        let server = try TestTCPServer { connection in
            _ = try connection.readRequest()
            var out = HTTPResponseHead(status: 200, headers: ["Transfer-Encoding": "chunked"]).serialized
            HTTPChunkedEncoder.appendChunk(Array("hello ".utf8), to: &out)
            HTTPChunkedEncoder.appendChunk(Array("world".utf8), to: &out)
            HTTPChunkedEncoder.appendLastChunk(trailers: ["Digest": "abc"], to: &out)
            try connection.write(out)
        }
        let response = try TestHTTPClient(port: server.port).request(target: "/")
        #expect(response.bodyString == "hello world")
        #expect(response.framing == .chunked)
        #expect(response.trailers.first(name: "digest") == "abc")
    }

    @Test func closeDelimitedResponse() throws {
        let server = try TestTCPServer { connection in
            _ = try connection.readRequest()
            try connection.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
        }
        let client = try TestHTTPClient(port: server.port)
        let response = try client.request(target: "/")
        #expect(response.framing == .closeDelimited)
        #expect(response.bodyString == "until the end")
        #expect(response.version == "HTTP/1.0")
        #expect(try client.isClosedByPeer())
    }

    @Test func responsesWithoutBodies() throws {
        let server = try TestTCPServer { connection in
            while let request = try connection.readRequest() {
                switch request.head.target {
                case "/head": try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n")
                case "/204": try connection.write("HTTP/1.1 204 No Content\r\n\r\n")
                case "/304": try connection.write("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")
                default: try connection.respond(body: "last")
                }
            }
        }
        let client = try TestHTTPClient(port: server.port)
        try client.sendRequest(method: "HEAD", target: "/head")
        try client.sendRequest(target: "/204")
        try client.sendRequest(target: "/304")
        try client.sendRequest(target: "/last")
        let responses = try client.readResponses(count: 4)
        #expect(responses.map(\.status) == [200, 204, 304, 200])
        #expect(responses.map(\.body.count) == [0, 0, 0, 4])
        #expect(responses[0].header("Content-Length") == "42")
        #expect(responses.map(\.framing) == [.none, .none, .none, .contentLength(4)])
    }

    @Test func interimResponsesAreSkippedOrReturned() throws {
        let script = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
        let server = try TestTCPServer { connection in
            while let _ = try connection.readRequest() { try connection.write(script) }
        }
        let skipping = try TestHTTPClient(port: server.port)
        let final = try skipping.request(method: "POST", target: "/", body: "x")
        #expect(final.status == 201 && final.bodyString == "ok")

        let returning = try TestHTTPClient(port: server.port)
        try returning.sendRequest(method: "POST", target: "/", body: "x")
        #expect(try returning.readResponse(includeInterim: true).status == 100)
        let hints = try returning.readResponse(includeInterim: true)
        #expect(hints.status == 103 && hints.header("Link") == "</a>")
        #expect(try returning.readResponse(includeInterim: true).status == 201)
    }

    @Test func hungServerTimesOutInsteadOfHanging() throws {
        let server = try TestTCPServer { connection in
            while try !connection.readBytes().isEmpty {}   // never answers; returns when the client closes
        }
        let client = try TestHTTPClient(port: server.port, timeout: .milliseconds(200))
        try client.sendRequest(target: "/")
        #expect {
            _ = try client.readResponse()
        } throws: { error in
            if case TestHTTPClientError.timeout = error { true } else { false }
        }
        client.close()
    }

    @Test func truncatedResponseIsReported() throws {
        let server = try TestTCPServer { connection in
            _ = try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")
        }
        let client = try TestHTTPClient(port: server.port)
        do {
            _ = try client.request(target: "/")
            Issue.record("a truncated body was accepted")
        } catch {
            guard case .closed(let partial) = error else { Issue.record("unexpected \(error)"); return }
            #expect(String(decoding: partial, as: UTF8.self).hasSuffix("short"))
        }
    }

    @Test func malformedResponsesAreReported() throws {
        let server = try TestTCPServer { connection in
            _ = try connection.readRequest()
            try connection.write("HTTP/1.1 200 OK\nContent-Length: 0\n\n")
        }
        #expect {
            _ = try TestHTTPClient(port: server.port).request(target: "/")
        } throws: { error in
            if case TestHTTPClientError.malformed = error { true } else { false }
        }
    }

    @Test func jsonHelpers() throws {
        let server = try TestTCPServer { connection in
            _ = try connection.readRequest()
            try connection.respond(headers: ["Content-Type": "application/json"],
                                   body: #"{"access_token":"t","expires_in":900,"scopes":["a","b"]}"#)
        }
        let response = try TestHTTPClient(port: server.port).request(target: "/")
        let object = try response.jsonObject()
        #expect(object["access_token"] as? String == "t")
        #expect(object["expires_in"] as? Int == 900)
        #expect(object["scopes"] as? [String] == ["a", "b"])
        #expect(throws: (any Error).self) { try TestHTTPResponse(status: 200, body: Array("[1]".utf8)).jsonObject() }
    }

    @Test func serverSeesMalformedRawBytesAsAParseError() throws {
        let seen = ManualClock()   // used here as a thread-safe cell for the status
        let server = try TestTCPServer { connection in
            do {
                _ = try connection.readRequest()
            } catch let error as HTTPParseError {
                seen.nanoseconds = UInt64(error.status)
                try connection.respond(status: error.status, headers: ["Connection": "close"])
            }
        }
        let client = try TestHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.closesConnection)
        #expect(seen.nanoseconds == 400)
        #expect(try client.isClosedByPeer())
    }

    @Test func connectingToAClosedPortFails() throws {
        let server = try TestTCPServer { _ in }
        let port = server.port
        server.stop()
        #expect {
            _ = try TestHTTPClient(port: port)
        } throws: { error in
            if case TestHTTPClientError.connect = error { true } else { false }
        }
    }
}

@Suite("ManualClock")
struct ManualClockTests {
    @Test func movesOnlyWhenTold() {
        let clock = ManualClock(nanoseconds: 5)
        #expect(clock.now() == 5)
        clock.advance(nanoseconds: 10)
        #expect(clock.nanoseconds == 15)
        clock.advance(by: .milliseconds(2))
        #expect(clock.now() == 2_000_015)
        clock.nanoseconds = 1
        #expect(clock.now() == 1)
    }
}
