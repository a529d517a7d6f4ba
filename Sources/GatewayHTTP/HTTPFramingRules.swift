/// The framing rules of RFC 9112 §6 applied to a message's header fields as
/// a parser meets them: `Content-Length`, `Transfer-Encoding` and, in
/// requests, `Host`.
///
/// `inspect` sees every field in order and refuses a bad value at once;
/// `finish` (requests) or `finishResponse` decides the body framing from what
/// it saw. Kept apart from the parsers so each rule reads on its own; see
/// `HTTPRequestParser` and `HTTPResponseParser` for the choices.
struct HTTPFramingRules {
    typealias B = HTTPByteClass

    /// What a field is, for the parser's bookkeeping.
    enum FieldKind { case other, host, contentLength, duplicateContentLength, transferEncoding }

    /// The agreed `Content-Length`, once one has been seen.
    private(set) var contentLength: Int?
    private var hostCount = 0
    private var sawTransferEncoding = false
    private var codings = 0
    private var chunkedCount = 0
    private var lastIsChunked = false
    private var unsupportedCoding: String?
    /// Responses carry no `Host` to check.
    private let isRequest: Bool

    init(isRequest: Bool = true) {
        self.isRequest = isRequest
    }

    mutating func inspect(name: UnsafeRawPointer, _ nameCount: Int,
                          value: UnsafeRawPointer, _ valueCount: Int) throws(HTTPParseError) -> FieldKind {
        switch nameCount {
        case 4 where isRequest && B.equalsLowercase(name, 4, "host"):
            hostCount += 1
            guard hostCount == 1 else { throw .bad("more than one Host header field") }
            try checkHost(value, valueCount)
            return .host
        case 14 where B.equalsLowercase(name, 14, "content-length"):
            let length = try parseContentLength(value, valueCount)
            if let contentLength {
                guard contentLength == length else {
                    throw .bad("conflicting Content-Length values \(contentLength) and \(length)")
                }
                return .duplicateContentLength
            }
            contentLength = length
            return .contentLength
        case 17 where B.equalsLowercase(name, 17, "transfer-encoding"):
            sawTransferEncoding = true
            try inspectCodings(value, valueCount)
            return .transferEncoding
        default:
            return .other
        }
    }

    func finish(version: HTTPVersion, limits: HTTPParserLimits) throws(HTTPParseError) -> HTTPBodyFraming {
        if version == .http1_1 && hostCount == 0 {
            throw .bad("missing Host header field (required in HTTP/1.1)")
        }
        if sawTransferEncoding {
            guard version == .http1_1 else { throw .bad("Transfer-Encoding is not allowed in an HTTP/1.0 request") }
            guard contentLength == nil else {
                throw .bad("both Transfer-Encoding and Content-Length: send only one")
            }
            guard codings > 0 else { throw .bad("empty Transfer-Encoding") }
            guard lastIsChunked else { throw .bad("Transfer-Encoding must end with 'chunked'") }
            guard chunkedCount == 1 else { throw .bad("'chunked' may be applied only once") }
            if let unsupportedCoding {
                throw HTTPParseError(.notImplemented,
                                     "transfer coding '\(unsupportedCoding)' is not supported: send only 'chunked'")
            }
            return .chunked
        }
        if let contentLength {
            guard contentLength <= limits.maxBodyBytes else {
                throw HTTPParseError(.bodyTooLarge,
                                     "Content-Length \(contentLength) exceeds the limit of \(limits.maxBodyBytes) bytes")
            }
            return .contentLength(contentLength)
        }
        return .none
    }

    /// How a response's body is delimited (RFC 9112 §6.3), for a response to a
    /// `HEAD` request when `toHEAD`. `Transfer-Encoding` wins over `Content-Length`
    /// (the caller drops the latter and must not reuse the connection); it must
    /// be exactly `chunked`, since a body in any other coding could not be
    /// passed on correctly without its field.
    func finishResponse(status: Int, toHEAD: Bool) throws(HTTPParseError) -> HTTPResponseFraming {
        if toHEAD || status == 204 || status == 304 { return .none }
        if sawTransferEncoding {
            guard codings == 1, lastIsChunked else {
                throw .bad("Transfer-Encoding other than exactly 'chunked'"
                           + (unsupportedCoding.map { " ('\($0)')" } ?? ""))
            }
            return .chunked
        }
        if let contentLength { return .length(contentLength) }
        return .untilClose
    }

    /// Whether both framing fields were sent (the response then must not share its connection).
    var sawBothFramings: Bool { sawTransferEncoding && contentLength != nil }

    /// `1*DIGIT`, or a list of identical ones (`5, 5`); at most 18 digits.
    private func parseContentLength(_ p: UnsafeRawPointer, _ count: Int) throws(HTTPParseError) -> Int {
        var agreed: Int?
        var i = 0
        while true {
            while i < count, isOWS(p.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
            var value = 0, digits = 0
            while i < count {
                let d = p.load(fromByteOffset: i, as: UInt8.self) &- 0x30
                guard d < 10 else { break }
                digits += 1
                guard digits <= 18 else { throw .bad("Content-Length has more than 18 digits") }
                value = value * 10 + Int(d)
                i += 1
            }
            while i < count, isOWS(p.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
            guard digits > 0, i == count || p.load(fromByteOffset: i, as: UInt8.self) == 0x2C else {
                throw .bad("Content-Length must be decimal digits only (no sign, no hex, no spaces)")
            }
            if let agreed, agreed != value {
                throw .bad("conflicting Content-Length values \(agreed) and \(value)")
            }
            agreed = value
            if i == count { return value }
            i += 1   // ","
        }
    }

    /// Records each transfer coding of one `Transfer-Encoding` field.
    private mutating func inspectCodings(_ p: UnsafeRawPointer, _ count: Int) throws(HTTPParseError) {
        var i = 0
        while true {
            while i < count, isOWS(p.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
            let start = i
            while i < count, B.isTChar(p.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
            let end = i
            guard end > start else { throw .bad("empty or malformed element in Transfer-Encoding") }
            while i < count, isOWS(p.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
            var hasParameters = false
            if i < count, p.load(fromByteOffset: i, as: UInt8.self) == 0x3B {   // ";" parameters
                hasParameters = true
                while i < count, p.load(fromByteOffset: i, as: UInt8.self) != 0x2C { i += 1 }
            }
            guard i == count || p.load(fromByteOffset: i, as: UInt8.self) == 0x2C else {
                throw .bad("malformed Transfer-Encoding: codings are tokens separated by commas")
            }
            codings += 1
            lastIsChunked = !hasParameters && B.equalsLowercase(p + start, end - start, "chunked")
            if lastIsChunked {
                chunkedCount += 1
            } else if unsupportedCoding == nil {
                unsupportedCoding = String(decoding: UnsafeRawBufferPointer(start: p + start, count: end - start),
                                           as: UTF8.self)
            }
            if i == count { return }
            i += 1
        }
    }

    /// A Host value holds only URI host and port characters (RFC 3986 §3.2.2).
    private func checkHost(_ p: UnsafeRawPointer, _ count: Int) throws(HTTPParseError) {
        for i in 0..<count {
            let byte = p.load(fromByteOffset: i, as: UInt8.self)
            guard B.isHostByte(byte) else { throw .bad("invalid character \(B.describe(byte)) in the Host header field") }
        }
    }

    @inline(__always)
    private func isOWS(_ byte: UInt8) -> Bool { byte == B.sp || byte == B.htab }
}
