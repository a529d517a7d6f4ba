import Dispatch
import GatewayHTTP

/// A small ERP ledger service that stands in for a real upstream in
/// `make run`, the tests and the benchmarks. `v1` and `v2` answer the same
/// data in visibly different shapes, as a real breaking change would.
///
/// Under `/{version}`:
/// - `GET /ledger/entries?limit=N` — a page of entries (default 3, at most 1000).
/// - `GET /ledger/entries/{id}` — one entry; 404 for ids that are not numbers.
/// - `POST /ledger/entries` — 201 with the new entry, `received_bytes` and a
///   checksum of the body (`fnv1a64`), so callers can check bytes arrived intact.
/// - `GET /ledger/export?rows=N` — a CSV export, N rows (a large, streamed body).
/// - `* /_echo` — the request as received: method, target, headers, body size.
/// Any request with `delay_ms=N` in its query is answered N ms late.
public struct SampleLedgerService: HTTPResponder {
    public init() {}

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let response = answer(request)
        if let delay = Self.queryValue(request.head.query, "delay_ms").flatMap({ Int($0) }), delay > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(min(delay, 600_000))) { done(response) }
        } else {
            done(response)
        }
    }

    func answer(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let parts = request.head.path.split(separator: "/")
        guard let version = parts.first.map(String.init) else { return notFound(request) }
        let rest = Array(parts.dropFirst())
        if rest == ["_echo"] { return echo(request) }
        guard rest.count >= 2, rest[0] == "ledger" else { return notFound(request) }
        let method = request.head.method
        switch (method, rest.count, rest[1]) {
        case ("GET", 2, "entries"), ("HEAD", 2, "entries"):
            let limit = Self.queryValue(request.head.query, "limit").flatMap { Int($0) } ?? 3
            let entries = (0..<max(0, min(limit, 1000))).map { LedgerEntry.sample(1000 + $0) }
            return json(200, version == "v1" ? LedgerEntry.v1List(entries) : LedgerEntry.v2List(entries))
        case ("GET", 3, "entries"), ("HEAD", 3, "entries"):
            guard let id = Int(rest[2]) else { return notFound(request) }
            let entry = LedgerEntry.sample(id)
            return json(200, version == "v1" ? entry.v1 : entry.v2)
        case ("POST", 2, "entries"):
            var entry = LedgerEntry.sample(Int(Self.fnv1a64(request.body) % 90_000) + 10_000)
            entry.description = "Posted entry"
            var body = version == "v1" ? entry.v1 : entry.v2
            body.append(",\"received_bytes\":\(request.body.count),\"fnv1a64\":\"\(String(Self.fnv1a64(request.body), radix: 16))\"")
            return json(201, body)
        case ("GET", 2, "export"):
            let rows = Self.queryValue(request.head.query, "rows").flatMap { Int($0) } ?? 100
            var csv = "id,date,account,description,amount,currency\n"
            for i in 0..<max(0, min(rows, 2_000_000)) {
                let e = LedgerEntry.sample(i)
                csv += "\(e.id),\(e.date),\(e.account),\(e.description),\(e.amount),\(e.currency)\n"
            }
            return HTTPServerResponse(status: 200, contentType: "text/csv", body: csv)
        default:
            return notFound(request)
        }
    }

    /// A JSON object response; `members` is the object's text without braces.
    private func json(_ status: Int, _ members: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, contentType: "application/json", body: "{" + members + "}")
    }

    private func notFound(_ request: HTTPServerRequest) -> HTTPServerResponse {
        ProblemDetails(status: 404, detail: "The ledger has nothing at \(request.head.path).").response()
    }

    private func echo(_ request: HTTPServerRequest) -> HTTPServerResponse {
        var out: [UInt8] = Array("{\"method\":".utf8)
        JSONText.appendString(request.head.method, to: &out)
        out += Array(",\"target\":".utf8)
        JSONText.appendString(request.head.target, to: &out)
        out += Array(",\"headers\":[".utf8)
        for (i, field) in request.head.headers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            JSONText.appendString(field.name, to: &out)
            out.append(UInt8(ascii: ","))
            JSONText.appendString(field.value, to: &out)
            out.append(UInt8(ascii: "]"))
        }
        out += Array("],\"body_bytes\":\(request.body.count),\"fnv1a64\":\"\(String(Self.fnv1a64(request.body), radix: 16))\"}".utf8)
        return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"], body: out)
    }

    static func queryValue(_ query: Substring?, _ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.first == Substring(name) { return kv.count > 1 ? String(kv[1]) : "" }
        }
        return nil
    }

    /// FNV-1a, 64-bit: a checksum callers can recompute to compare bodies byte for byte.
    public static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
