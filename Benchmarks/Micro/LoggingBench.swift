import GatewayHTTP
import GatewayLogging
import GatewayProxy
import Glibc

/// Log encoding and masking on the hot path: one access record per request
/// (target ≲ 1 µs), the masker on typical values, debug bodies, and appends
/// to the writer.
func benchLogging() {
    // LOGGING_BENCH=word runs only the cases whose name contains `word`.
    let only = getenv("LOGGING_BENCH").map { String(cString: $0) }
    func bench(_ name: String, iterations: Int, _ body: () -> Void) {
        if let only, !name.contains(only) { return }
        let scale = getenv("LOGGING_BENCH_SCALE").flatMap { Int(String(cString: $0)) } ?? 1
        measure(name, iterations: max(1, iterations / scale), body)
    }
    let masker = LogMasker()
    let plain = AccessLogRecord(unixNanos: 1_768_472_430_123_456_789, requestID: "01JH2Q8V7W6X5Y4Z3A2B1C0D9E",
                                clientID: "cl_7f3a9c2e51", orgID: "org_acme", method: "GET",
                                target: "/v1/ledger/entries/42?limit=50&cursor=eyJ", version: "v1", status: 200,
                                upstreamNanos: 1_234_567, totalNanos: 1_456_789, bytesIn: 0, bytesOut: 1_834,
                                remoteAddress: "10.1.2.3")
    var noQuery = plain
    noQuery.target = "/v1/ledger/entries/550e8400-e29b-41d4-a716-446655440000"
    var secrets = plain
    secrets.target = "/oauth/authorize?client_id=cl_7f3a&code=SplxlOBeZQQYbYS6WxSbIA&email=ann%40example.com"
    var line: [UInt8] = []
    line.reserveCapacity(512)
    for (name, record) in [("access record, query", plain), ("access record, no query", noQuery),
                           ("access record, secrets in query", secrets)] {
        bench("logging: encode \(name)", iterations: 500_000) {
            line.removeAll(keepingCapacity: true)
            record.encode(into: &line, masker: masker)
        }
    }
    bench("logging: encode access record, fresh buffer", iterations: 500_000) {
        _ = plain.line(masker: masker)
    }

    let pii = PIIMasker()
    let sentence = "Invoice INV-2026-000123 of 1234.56 EUR due 2026-01-15, contact ann@example.com or +44 20 7946 0958"
    bench("logging: PIIMasker on a 100-byte sentence with 2 hits", iterations: 200_000) { _ = pii.mask(sentence) }
    let clean = "Invoice INV-2026-000123 of 1234.56 EUR due 2026-01-15 for the March ledger close, batch 7 of 12"
    bench("logging: PIIMasker on a 100-byte sentence, no hit", iterations: 200_000) { _ = pii.mask(clean) }

    var json = #"{"entries":["#
    for i in 0..<40 {
        json += #"{"id":"e_\#(i)","amount":\#(i)123.45,"currency":"EUR","memo":"Payment ref INV-2026-\#(i) from ann@example.com","iban":"GB82 WEST 1234 5698 7654 32"},"#
    }
    json += #"{"password":"x"}]}"#
    let jsonBytes = Array(json.utf8.prefix(8192))
    bench("logging: mask 8 KiB JSON body (\(jsonBytes.count) bytes)", iterations: 2_000) {
        _ = masker.maskBody(jsonBytes, contentType: "application/json", truncated: true)
    }
    let text = Array(String(repeating: sentence + "\n", count: 80).utf8.prefix(8192))
    bench("logging: mask 8 KiB text body", iterations: 2_000) {
        _ = masker.maskBody(text, contentType: "text/plain", truncated: true)
    }

    let path = "/dev/null"
    if let writer = try? LogWriter(configuration: LogWriterConfiguration(path: path)) {
        let encoded = plain.line(masker: masker)
        bench("logging: LogWriter.append to /dev/null (writer thread running)", iterations: 500_000) {
            writer.append(encoded)
        }
        let filter = AccessLogFilter(writer: writer, masker: masker)
        let context = ProxyContext(requestID: "01JH2Q8V7W6X5Y4Z3A2B1C0D9E",
                                   head: HTTPRequestHead(method: "GET", target: "/v1/ledger/entries/42?limit=50"),
                                   remoteAddress: "10.1.2.3", startMonotonicNanos: 1_000,
                                   startUnixNanos: 1_768_472_430_123_456_789)
        context.principal = Principal(clientID: "cl_7f3a9c2e51", orgID: "org_acme", scopes: ["ledger:read"],
                                      tokenID: "j", expiresAt: 0)
        context.status = 200
        context.upstreamNanos = 1_234_567
        context.endMonotonicNanos = 1_456_789
        bench("logging: AccessLogFilter.logging (encode + append)", iterations: 500_000) {
            filter.logging(context)
        }
        writer.close()
        let stats = writer.statistics()
        print("logging: writer wrote \(stats.writtenLines) lines, dropped \(stats.droppedLines)")
    }
}
