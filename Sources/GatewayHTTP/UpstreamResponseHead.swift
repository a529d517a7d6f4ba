
/// An upstream's response head as received: the status, and its header lines
/// kept as bytes (`raw`) with the position of each field's name and value, so
/// a proxy can pass fields on without making a `String` of each. `headers`
/// builds the structured form when something needs it.
public struct UpstreamResponseHead: Sendable {
    /// One field: byte ranges of its name and (trimmed) value in `raw`, and of the whole line.
    public struct Field: Sendable {
        public var line: Range<Int>
        public var name: Range<Int>
        public var value: Range<Int>

        public init(line: Range<Int>, name: Range<Int>, value: Range<Int>) {
            self.line = line
            self.name = name
            self.value = value
        }
    }

    public var status: Int
    public var reason: String?
    /// The header lines, each followed by CRLF.
    public var raw: [UInt8]
    public var fields: [Field]
    /// False when a line was folded (obs-fold) or holds a control character:
    /// such a head must go through `headers` (which normalises and validates)
    /// rather than be copied as it is.
    public var isPlain: Bool

    public init(status: Int, reason: String? = nil, raw: [UInt8] = [], fields: [Field] = [], isPlain: Bool = true) {
        self.status = status
        self.reason = reason
        self.raw = raw
        self.fields = fields
        self.isPlain = isPlain
    }

    /// A head built from structured headers (tests, other transports).
    public init(status: Int, reason: String? = nil, headers: HTTPHeaders) {
        var raw: [UInt8] = []
        var fields: [Field] = []
        for field in headers {
            let start = raw.count
            raw.append(contentsOf: field.name.utf8)
            let nameEnd = raw.count
            raw.append(UInt8(ascii: ":"))
            raw.append(UInt8(ascii: " "))
            let valueStart = raw.count
            raw.append(contentsOf: field.value.utf8)
            let valueEnd = raw.count
            raw.append(0x0D)
            raw.append(0x0A)
            fields.append(Field(line: start..<raw.count, name: start..<nameEnd, value: valueStart..<valueEnd))
        }
        self.init(status: status, reason: reason, raw: raw, fields: fields,
                  isPlain: headers.allSatisfy { HTTPHeaders.isValidField(name: $0.name, value: $0.value) })
    }

    /// The fields as structured headers (each name and value a `String`).
    public var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count)
        raw.withUnsafeBytes { bytes in
            for field in fields {
                headers.add(name: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.name]), as: UTF8.self),
                            value: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.value]), as: UTF8.self))
            }
        }
        return headers
    }

    /// The structured head (status, reason, `headers`).
    public var structured: HTTPResponseHead {
        HTTPResponseHead(status: status, reason: reason, headers: headers)
    }
}
