import GatewayHTTP
import GatewayProxy

/// One line of `logs/debug.log`: a request and its response with headers and
/// bodies, every value masked.
///
/// ```json
/// {"ts":"2026-01-15T10:20:30.123Z","request_id":"…","client_id":"…","org_id":"…",
///  "method":"POST","path":"/v1/ledger/entries","version":"v1","status":201,
///  "request":{"headers":{"Content-Type":"application/json","Authorization":"[redacted]"},
///             "body":"{\"iban\":\"[iban]\"}","body_bytes":31,"body_truncated":false},
///  "response":{"headers":{…},"body":"…","body_bytes":12,"body_truncated":false}}
/// ```
///
/// - `headers`: an object keyed by field name as received; repeated fields are
///   joined with `, ` in order. Values masked by `LogMasker.maskHeaderValue`.
/// - `body`: the captured bytes (at most the capture cap) masked by
///   `LogMasker.maskBody`, as a JSON string; `body_bytes` is the full size
///   seen on the wire; `body_truncated` says whether capture stopped at the cap.
/// - `response` is null when no response head was produced.
public struct DebugLogRecord: Sendable {
    /// One side of the exchange.
    public struct Message: Sendable {
        public var headers: HTTPHeaders
        /// Captured body bytes, raw; masked when encoded.
        public var body: [UInt8]
        /// Body bytes seen in all (captured or not).
        public var bodyBytes: Int
        /// Whether capture stopped at the cap.
        public var truncated: Bool

        public init(headers: HTTPHeaders, body: [UInt8] = [], bodyBytes: Int? = nil, truncated: Bool = false) {
            self.headers = headers
            self.body = body
            self.bodyBytes = bodyBytes ?? body.count
            self.truncated = truncated
        }
    }

    public var unixNanos: Int64
    public var requestID: String
    public var clientID: String?
    public var orgID: String?
    public var method: String
    public var target: String
    public var version: String?
    public var status: Int
    public var request: Message
    public var response: Message?

    public init(unixNanos: Int64, requestID: String, clientID: String? = nil, orgID: String? = nil, method: String,
                target: String, version: String? = nil, status: Int, request: Message, response: Message?) {
        self.unixNanos = unixNanos
        self.requestID = requestID
        self.clientID = clientID
        self.orgID = orgID
        self.method = method
        self.target = target
        self.version = version
        self.status = status
        self.request = request
        self.response = response
    }

    /// Appends the masked JSON line, newline included, to `out`.
    public func encode(into out: inout [UInt8], masker: LogMasker) {
        var line = LineBuffer(capacity: 1024 + request.body.count + (response?.body.count ?? 0))
        encode(into: &line, masker: masker)
        out.append(contentsOf: line.bytes)
    }

    func encode(into out: inout LineBuffer, masker: LogMasker) {
        out.appendRecordStart(unixNanos: unixNanos, requestID: requestID, clientID: clientID, orgID: orgID,
                              method: method, target: target, masker: masker)
        out.append(UInt8(ascii: "\""))
        out.append(",\"version\":")
        out.appendStringOrNull(version)
        out.append(",\"status\":")
        out.appendInt(status)
        out.append(",\"request\":")
        Self.encode(request, into: &out, masker: masker)
        out.append(",\"response\":")
        if let response { Self.encode(response, into: &out, masker: masker) } else { out.append("null") }
        out.append("}\n")
    }

    /// The masked JSON line, newline included.
    public func line(masker: LogMasker) -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out, masker: masker)
        return out
    }

    private static func encode(_ message: Message, into out: inout LineBuffer, masker: LogMasker) {
        out.append("{\"headers\":{")
        var names: [String] = []
        var values: [[String]] = []
        for field in message.headers {
            let masked = masker.maskHeaderValue(name: field.name, value: field.value)
            if let index = names.firstIndex(where: { $0.equalsIgnoringASCIICase(field.name) }) {
                values[index].append(masked)
            } else {
                names.append(field.name)
                values.append([masked])
            }
        }
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.appendString(name)
            out.append(UInt8(ascii: ":"))
            out.appendString(values[index].joined(separator: ", "))
        }
        out.append("},\"body\":")
        let masked = masker.maskedBodyBytes(message.body, contentType: message.headers.first(name: "Content-Type"),
                                            contentEncoding: message.headers.first(name: "Content-Encoding"),
                                            truncated: message.truncated)
        out.appendString(bytes: masked)
        out.append(",\"body_bytes\":")
        out.appendInt(message.bodyBytes)
        out.append(message.truncated ? ",\"body_truncated\":true}" : ",\"body_truncated\":false}")
    }
}
