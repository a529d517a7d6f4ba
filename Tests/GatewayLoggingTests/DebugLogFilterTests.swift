import Foundation
import GatewayHTTP
import GatewayProxy
import Testing
@testable import GatewayLogging

/// Drives the logging filters the way the pipeline does.
struct PipelineDriver {
    var filters: [any ProxyFilter]

    func run(_ context: ProxyContext, requestBody: [UInt8] = [], response: HTTPResponseHead?,
             responseBody: [UInt8] = [], chunk: Int = 7) {
        for f in filters { _ = f.earlyRequestFilter(context) }
        for f in filters { _ = f.requestFilter(context) }
        feed(requestBody, chunk: chunk) { c in filters.forEach { $0.requestBodyFilter(context, chunk: c) } }
        context.bytesIn = requestBody.count
        if var head = response {
            for f in filters { f.responseFilter(context, head: &head) }
            context.status = head.status
            feed(responseBody, chunk: chunk) { c in filters.forEach { $0.responseBodyFilter(context, chunk: c) } }
            context.bytesOut = responseBody.count + 100
        }
        context.endMonotonicNanos = context.startMonotonicNanos + 2_000_000
        for f in filters { f.logging(context) }
    }

    private func feed(_ bytes: [UInt8], chunk: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes(body)
            start = end
        }
    }
}

func makeContext(method: String = "POST", target: String, headers: HTTPHeaders, debugRoute: Bool = false,
                 clientID: String? = "cl_abc") -> ProxyContext {
    let head = HTTPRequestHead(method: method, target: target, headers: headers)
    let context = ProxyContext(requestID: "req-7", head: head, remoteAddress: "198.51.100.4",
                               startMonotonicNanos: 5_000, startUnixNanos: 1_768_472_430_000_000_000)
    context.route = RouteMatch(api: "ledger", version: "v2",
                               operation: CompiledOperation(method: method, pathTemplate: "/ledger/entries",
                                                            scopes: ["ledger:write"], debugLog: debugRoute),
                               upstream: UpstreamTarget(baseURL: "http://127.0.0.1:9002"))
    if let clientID {
        context.principal = Principal(clientID: clientID, orgID: "org_1", scopes: [], tokenID: "j", expiresAt: 0)
    }
    return context
}

@Suite struct DebugLogFilterTests {
    func lines(_ dir: TemporaryDirectory, _ name: String) throws -> [[String: Any]] {
        let text = try #require(dir.read(name))
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func recordsARouteMarkedDebugLog() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("debug.log")), background: false)
        let filter = DebugLogFilter(writer: writer)
        let ctx = makeContext(target: "/v2/ledger/entries?dry_run=1",
                              headers: ["Content-Type": "application/json", "Authorization": "Bearer eyJabcdefghijkl",
                                        "X-Tag": "a", "x-tag": "b"],
                              debugRoute: true)
        PipelineDriver(filters: [filter]).run(ctx, requestBody: Array(#"{"email":"ann@example.com","amount":12.5}"#.utf8),
                                              response: HTTPResponseHead(status: 201, headers: ["Content-Type": "application/json", "Set-Cookie": "s=1"]),
                                              responseBody: Array(#"{"id":"e_1"}"#.utf8))
        writer.close()
        let records = try lines(dir, "debug.log")
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(Set(record.keys) == ["ts", "request_id", "client_id", "org_id", "method", "path", "version", "status",
                                     "request", "response"])
        #expect(record["status"] as? Int == 201)
        #expect(record["version"] as? String == "v2")
        let request = try #require(record["request"] as? [String: Any])
        let headers = try #require(request["headers"] as? [String: String])
        #expect(headers == ["Content-Type": "application/json", "Authorization": "[redacted]", "X-Tag": "a, b"])
        #expect(request["body"] as? String == #"{"email":"[email]","amount":12.5}"#)
        #expect(request["body_bytes"] as? Int == 41)
        #expect(request["body_truncated"] as? Bool == false)
        let response = try #require(record["response"] as? [String: Any])
        #expect((response["headers"] as? [String: String])?["Set-Cookie"] == "[redacted]")
        #expect(response["body"] as? String == #"{"id":"e_1"}"#)
        #expect(ctx.debugCapture == nil)
    }

    @Test func nothingIsCapturedOrWrittenWhenOff() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("debug.log")), background: false)
        let ctx = makeContext(target: "/v2/ledger/entries", headers: [:])
        PipelineDriver(filters: [DebugLogFilter(writer: writer)]).run(ctx, requestBody: Array("x".utf8),
                                                                     response: HTTPResponseHead(status: 200))
        #expect(ctx.debugCapture == nil)
        #expect(!ctx.debugLogging)
        writer.close()
        #expect(dir.read("debug.log") == "")
    }

    @Test func perClientSwitch() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("debug.log")), background: false)
        let clients = DebugLogSwitch()
        let filter = DebugLogFilter(writer: writer, clients: clients, bodyCap: 16)
        clients.enable(clientID: "cl_abc")
        #expect(clients.enabledClientIDs == ["cl_abc"])
        let on = makeContext(target: "/v2/ledger/entries", headers: ["Content-Type": "text/plain"])
        PipelineDriver(filters: [filter]).run(on, requestBody: Array("card 4111 1111 1111 1111 tail".utf8),
                                              response: nil)
        let other = makeContext(target: "/v2/ledger/entries", headers: [:], clientID: "cl_other")
        PipelineDriver(filters: [filter]).run(other, response: HTTPResponseHead(status: 200))
        clients.disable(clientID: "cl_abc")
        let off = makeContext(target: "/v2/ledger/entries", headers: [:])
        PipelineDriver(filters: [filter]).run(off, response: HTTPResponseHead(status: 200))
        writer.close()
        let records = try lines(dir, "debug.log")
        #expect(records.count == 1)
        let request = try #require(records.first?["request"] as? [String: Any])
        #expect(request["body"] as? String == "card [cut]")
        #expect(request["body_truncated"] as? Bool == true)
        #expect(request["body_bytes"] as? Int == 29)
        #expect(records.first?["response"] is NSNull)
    }

    @Test func requestRefusedBeforeTheFilterRanIsStillRecorded() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("debug.log")), background: false)
        let filter = DebugLogFilter(writer: writer)
        let ctx = makeContext(target: "/v2/ledger/entries", headers: ["Authorization": "Bearer bad"], debugRoute: true,
                              clientID: nil)
        ctx.error = ProxyError(.unauthorized)
        filter.logging(ctx)
        writer.close()
        let records = try lines(dir, "debug.log")
        #expect(records.first?["status"] as? Int == 401)
        #expect(records.first?["client_id"] is NSNull)
    }
}
