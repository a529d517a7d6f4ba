import Foundation
import GatewayHTTP
import GatewayTestSupport
import SampleUpstream
import Synchronization
import Testing

/// Bodies both ways, connection reuse, pipelining and back-pressure.
@Suite struct ProxyStreamingTests {
    let fixture: GatewayFixture
    init() throws { fixture = try GatewayFixture() }

    @Test func aFiveMebibyteResponseArrivesByteForByte() throws {
        let target = "/v2/ledger/export?rows=100000"
        let direct = try TestHTTPClient(port: fixture.upstreamV2.port).request(target: target)
        #expect(direct.body.count > 5 * 1024 * 1024)
        let proxied = try fixture.client(timeout: .seconds(30)).request(target: target)
        #expect(proxied.status == 200)
        #expect(proxied.body.count == direct.body.count)
        #expect(proxied.body == direct.body)
    }

    @Test func a300KilobyteRequestBodyArrivesByteForByte() throws {
        var body = [UInt8](repeating: 0, count: 300 * 1024)
        for i in body.indices { body[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let response = try fixture.client().request(method: "POST", target: "/v2/ledger/entries", body: body)
        #expect(response.status == 201)
        let json = try response.jsonObject()
        #expect(json["received_bytes"] as? Int == body.count)
        #expect(json["fnv1a64"] as? String == String(SampleLedgerService.fnv1a64(body), radix: 16))
    }

    @Test func aChunkedRequestBodyIsStreamedUp() throws {
        let pieces = (0..<50).map { i in [UInt8](repeating: UInt8(65 + i % 26), count: 1000 + i) }
        var wire: [UInt8] = []
        for piece in pieces { HTTPChunkedEncoder.appendChunk(piece, to: &wire) }
        HTTPChunkedEncoder.appendLastChunk(to: &wire)
        let client = try fixture.client()
        try client.sendRequest(method: "POST", target: "/v2/_echo", headers: ["Transfer-Encoding": "chunked"], body: wire)
        let response = try client.readResponse()
        #expect(response.status == 200)
        let whole = pieces.flatMap { $0 }
        let json = try response.jsonObject()
        #expect(json["body_bytes"] as? Int == whole.count)
        #expect(json["fnv1a64"] as? String == String(SampleLedgerService.fnv1a64(whole), radix: 16))
    }

    @Test func keepAliveServesManyRequestsOnOneConnectionAndReusesUpstreamConnections() throws {
        let client = try fixture.client()
        for i in 0..<30 {
            let response = try client.request(target: "/v2/ledger/entries/\(i)")
            #expect(response.status == 200)
            #expect(!response.closesConnection)
        }
        // Sequential requests need one upstream connection per event loop at most.
        let upstreamConnections = try TCPTable.established(toPort: fixture.upstreamV2.port, fromPID: fixture.gateway.pid)
        #expect(upstreamConnections >= 1 && upstreamConnections <= 2, "\(upstreamConnections) upstream connections")
        // And /metrics says so.
        let metrics = String(decoding: try client.request(target: "/metrics").body, as: UTF8.self)
        func value(_ name: String) -> Int? {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ")[1]) }
        }
        let opened = try #require(value("portcullis_upstream_connections_opened_total"))
        let reused = try #require(value("portcullis_upstream_connections_reused_total"))
        #expect(opened >= 1 && opened <= 2, "\(opened) opened")
        #expect(reused >= 28, "\(reused) reused")
        #expect(value("portcullis_upstream_idle_connections") == opened)
        #expect(value("portcullis_upstream_retries_total") == 0)
    }

    /// An upstream that closes keep-alive connections after 100 ms idle: the
    /// gateway notices the idle connection closing, and each later request gets a
    /// new connection (its socket often reuses the old descriptor number) that is
    /// watched like the first. A stale registration would leave the request
    /// unanswered until the client's timeout.
    @Test func upstreamConnectionsClosedWhileIdleAreReplaced() throws {
        final class Count: Sendable { let value = Atomic(0) }
        let accepted = Count()
        let upstream = try TestTCPServer(timeout: .milliseconds(100)) { connection in
            accepted.value.add(1, ordering: .relaxed)
            while let request = try connection.readRequest() {
                try connection.respond(body: "served \(request.head.target)")
            }
        }
        let fixture = try GatewayFixture(v1Upstream: "http://127.0.0.1:\(upstream.port)")
        let client = try fixture.client(timeout: .seconds(5))
        for i in 0..<8 {
            let response = try client.request(target: "/v1/ledger/entries/\(i)")
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "served /v1/ledger/entries/\(i)")
            Thread.sleep(forTimeInterval: 0.3)   // the upstream closes the idle connection meanwhile
        }
        #expect(accepted.value.load(ordering: .relaxed) == 8)
        // Back to back, connections are reused again.
        for i in 0..<10 { #expect(try client.request(target: "/v1/ledger/entries/\(i)").status == 200) }
        #expect(accepted.value.load(ordering: .relaxed) <= 10)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let client = try fixture.client()
        var wire = ""
        for id in [11, 22, 33] { wire += "GET /v2/ledger/entries/\(id) HTTP/1.1\r\nHost: x\r\n\r\n" }
        wire += "GET /v2/nothing HTTP/1.1\r\nHost: x\r\n\r\n"
        wire += "GET /v1/ledger/entries/44 HTTP/1.1\r\nHost: x\r\n\r\n"
        try client.send(wire)
        let responses = try client.readResponses(count: 5)
        #expect(responses.map(\.status) == [200, 200, 200, 404, 200])
        #expect(try responses[0].jsonObject()["id"] as? String == "11")
        #expect(try responses[2].jsonObject()["id"] as? String == "33")
        #expect(try responses[4].jsonObject()["id"] as? String == "44")
    }

    @Test func expectContinueGetsAnInterimAnswerBeforeTheBody() throws {
        let client = try fixture.client()
        try client.send("POST /v2/_echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readResponse(method: "POST", includeInterim: true)
        #expect(interim.status == 100)
        try client.send("hello")
        let final = try client.readResponse(method: "POST")
        #expect(final.status == 200)
        #expect(try final.jsonObject()["body_bytes"] as? Int == 5)
    }

    @Test func aSlowReaderDoesNotMakeTheGatewayBufferTheWholeResponse() throws {
        let client = try fixture.client(timeout: .seconds(60))
        let before = try ProcessStatus.residentBytes(pid: fixture.gateway.pid)
        // ~60 MiB export; the client reads nothing for a while.
        try client.sendRequest(target: "/v2/ledger/export?rows=1000000")
        usleep(1_500_000)
        let during = try ProcessStatus.residentBytes(pid: fixture.gateway.pid)
        #expect(during - before < 16 * 1024 * 1024, "gateway grew by \(during - before) bytes while the client was not reading")
        let response = try client.readResponse()
        #expect(response.status == 200)
        let direct = try TestHTTPClient(port: fixture.upstreamV2.port, timeout: .seconds(60)).request(target: "/v2/ledger/export?rows=1000000")
        #expect(response.body == direct.body)
    }
}

/// Reads `/proc` for facts about processes under test.
enum ProcessStatus {
    static func residentBytes(pid: Int32) throws -> Int {
        let status = try ProcFile.read("/proc/\(pid)/status")
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else {
            throw HarnessError("no VmRSS for \(pid)")
        }
        return kb * 1024
    }
}

/// Counts TCP connections from `/proc/net/tcp` (IPv4 loopback).
enum TCPTable {
    /// Established connections whose remote port is `port` and whose socket belongs to `pid`.
    static func established(toPort port: Int, fromPID pid: Int32) throws -> Int {
        let inodes = socketInodes(pid: pid)
        let table = try ProcFile.read("/proc/net/tcp")
        var count = 0
        for line in table.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: " ", omittingEmptySubsequences: true)
            guard cols.count > 9, cols[3] == "01" else { continue }
            let remote = cols[2].split(separator: ":")
            guard remote.count == 2, Int(remote[1], radix: 16) == port, inodes.contains(String(cols[9])) else { continue }
            count += 1
        }
        return count
    }

    static func socketInodes(pid: Int32) -> Set<String> {
        let dir = "/proc/\(pid)/fd"
        var out: Set<String> = []
        var buffer = [CChar](repeating: 0, count: 256)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            let n = readlink("\(dir)/\(entry)", &buffer, buffer.count - 1)
            guard n > 0 else { continue }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("socket:[") { out.insert(String(target.dropFirst(8).dropLast())) }
        }
        return out
    }
}

/// procfs files report a size of 0: read them to the end instead.
enum ProcFile {
    static func read(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HarnessError("cannot open \(path)") }
        defer { try? handle.close() }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }
}
