import Foundation
import GatewayHTTP
import GatewayProxy
import Testing
@testable import GatewayLogging

@Suite struct AccessLogRecordTests {
    let masker = LogMasker()

    func context(target: String = "/v1/ledger/entries/42?limit=5") -> ProxyContext {
        let head = HTTPRequestHead(method: "GET", target: target, headers: ["Host": "gw"])
        // 2026-01-15T10:20:30.123456789Z
        let context = ProxyContext(requestID: "req-1", head: head, remoteAddress: "192.0.2.7",
                                   startMonotonicNanos: 1_000_000, startUnixNanos: 1_768_472_430_123_456_789)
        context.route = RouteMatch(api: "ledger", version: "v1",
                                   operation: CompiledOperation(method: "GET", pathTemplate: "/ledger/entries/{id}",
                                                                scopes: ["ledger:read"]),
                                   upstream: UpstreamTarget(baseURL: "http://127.0.0.1:9001"))
        context.principal = Principal(clientID: "cl_abc", orgID: "org_1", scopes: ["ledger:read"], tokenID: "j1",
                                      expiresAt: 0)
        context.status = 200
        context.upstreamNanos = 12_345_678
        context.endMonotonicNanos = 1_000_000 + 15_000_999
        context.bytesIn = 0
        context.bytesOut = 512
        return context
    }

    @Test func exactLine() {
        let line = String(decoding: AccessLogRecord(context: context()).line(masker: masker), as: UTF8.self)
        #expect(line == #"{"ts":"2026-01-15T10:20:30.123Z","request_id":"req-1","client_id":"cl_abc","org_id":"org_1","method":"GET","path":"/v1/ledger/entries/42?limit=5","version":"v1","status":200,"upstream_ms":12.345,"total_ms":15.000,"bytes_in":0,"bytes_out":512,"remote_addr":"192.0.2.7"}"# + "\n")
    }

    @Test func contractFieldsParseAsJSON() throws {
        let ctx = context(target: "/v1/x?email=ann@example.com&access_token=abc")
        ctx.principal?.subject = "ann@example.com"
        ctx.error = ProxyError(.upstreamTimeout)
        ctx.status = 504
        let line = AccessLogRecord(context: ctx).line(masker: masker)
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        let contract = ["ts", "request_id", "client_id", "org_id", "method", "path", "version", "status", "upstream_ms",
                        "total_ms", "bytes_in", "bytes_out"]
        #expect(Set(object.keys) == Set(contract + ["remote_addr", "subject", "error"]))
        #expect(object["path"] as? String == "/v1/x?email=[email]&access_token=[redacted]")
        #expect(object["subject"] as? String == "[email]")
        #expect(object["error"] as? String == "upstreamTimeout")
        #expect(object["status"] as? Int == 504)
    }

    @Test func unauthenticatedLocalRequestHasNulls() throws {
        let head = HTTPRequestHead(method: "POST", target: "/oauth/token")
        let ctx = ProxyContext(requestID: "r\"2", head: head, remoteAddress: "::1", startMonotonicNanos: 0,
                               startUnixNanos: 0)
        ctx.error = ProxyError(.unauthorized)
        let line = AccessLogRecord(context: ctx).line(masker: masker)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["client_id"] is NSNull)
        #expect(object["org_id"] is NSNull)
        #expect(object["version"] is NSNull)
        #expect(object["upstream_ms"] is NSNull)
        #expect(object["status"] as? Int == 401)
        #expect(object["request_id"] as? String == "r\"2")
        #expect(object["ts"] as? String == "1970-01-01T00:00:00.000Z")
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400_999_000_000), "2000-02-29T00:00:00.999Z"),
        (Int64(1_767_225_599_999_999_999), "2025-12-31T23:59:59.999Z"),
        (Int64(4_107_542_400_000_000_000), "2100-03-01T00:00:00.000Z"),
        (Int64(-1_000_000), "1969-12-31T23:59:59.999Z"),
    ])
    func timestamps(_ nanos: Int64, _ expected: String) {
        var line = LineBuffer(capacity: 8)
        line.appendTimestamp(unixNanos: nanos)
        #expect(String(decoding: line.bytes, as: UTF8.self) == "\"" + expected + "\"")
    }

    @Test func numbersAndMillis() {
        for (value, text) in [(0, "0"), (7, "7"), (-42, "-42"), (1_234_567_890, "1234567890"), (Int.min, "\(Int.min)")] {
            var line = LineBuffer(capacity: 1)
            line.appendInt(value)
            #expect(String(decoding: line.bytes, as: UTF8.self) == text)
        }
        for (nanos, text) in [(Int64(0), "0.000"), (999, "0.000"), (1_000, "0.001"), (1_234_567_890, "1234.567")] {
            var line = LineBuffer(capacity: 1)
            line.appendMillis(nanos: nanos)
            #expect(String(decoding: line.bytes, as: UTF8.self) == text)
        }
    }

    @Test func lineBufferGrowsAndEscapes() {
        var line = LineBuffer(capacity: 1)
        let text = String(repeating: "ab\"\\\n\u{1}é", count: 100)
        line.appendString(text)
        #expect(String(decoding: line.bytes, as: UTF8.self) == JSONTextReference.quoted(text))
    }

    @Test func controlCharactersInFieldsAreEscaped() throws {
        let record = AccessLogRecord(unixNanos: 0, requestID: "a\nb\u{1}", method: "GET", target: "/x\"y\\z",
                                     status: 200, totalNanos: 0)
        let line = record.line(masker: masker)
        #expect(line.filter { $0 == 0x0A }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["request_id"] as? String == "a\nb\u{1}")
        #expect(object["path"] as? String == "/x\"y\\z")
    }

    @Test func accessFilterAppendsOneLine() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("access.log")), background: false)
        let filter = AccessLogFilter(writer: writer)
        filter.logging(context())
        writer.close()
        let text = try #require(dir.read("access.log"))
        #expect(text.hasPrefix(#"{"ts":"2026-01-15T10:20:30.123Z","request_id":"req-1""#))
        #expect(text.filter { $0 == "\n" }.count == 1)
    }
}

/// The shared JSON string helper of GatewayHTTP, as an independent reference.
enum JSONTextReference {
    static func quoted(_ s: String) -> String { JSONText.quoted(s) }
}
