/// Decodes a chunked message body (RFC 9112 §7.1): the framing byte by byte,
/// the data in whole slices. Shared by the request parser (bodies sent to the
/// gateway) and the response parser (bodies from upstreams).
///
/// Strict where framing is concerned: sizes are 1–16 hex digits (no `0x`, no
/// sign); lines end with CRLF (a bare CR or LF is refused); extensions
/// (`;name=value`, BWS allowed before `;`) are validated and skipped; each data
/// block must be followed by CRLF; trailer fields are validated and dropped.
///
/// A plain value: no I/O, no allocation.
public struct HTTPChunkedDecoder: Sendable {
    typealias B = HTTPByteClass

    /// Bounds on what one body may make the decoder accept.
    public struct Limits: Sendable, Equatable {
        /// Largest sum of chunk sizes. Larger → `bodyTooLarge`.
        public var maxBodyBytes: Int
        /// Longest chunk-size line including extensions, without CRLF → `badRequest`.
        public var maxLineBytes: Int
        /// Largest trailer section → `headersTooLarge`.
        public var maxTrailerBytes: Int
        /// Most trailer fields → `headersTooLarge`.
        public var maxTrailerFields: Int

        public init(maxBodyBytes: Int, maxLineBytes: Int, maxTrailerBytes: Int, maxTrailerFields: Int) {
            self.maxBodyBytes = maxBodyBytes
            self.maxLineBytes = maxLineBytes
            self.maxTrailerBytes = maxTrailerBytes
            self.maxTrailerFields = maxTrailerFields
        }
    }

    enum State: UInt8, Sendable {
        case size, sizeBWS, chunkExtension, sizeLF, data, dataCR, dataLF
        case trailerLineStart, trailerName, trailerValue, trailerLF, finalLF, done
    }

    public let limits: Limits
    var state: State = .size
    var remaining = 0
    var bodyTotal = 0
    var chunkSize: UInt64 = 0
    var chunkSizeDigits = 0
    var lineBytes = 0
    var trailerBytes = 0
    var trailerFields = 0

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Whether the last chunk and the trailer section have been read.
    public var isDone: Bool { state == .done }

    /// Decodes from `p[start..<count]`, handing each run of data to `sink`.
    /// When `sink` returns false the slice is not consumed: decoding stops
    /// before it, and the same bytes must be offered again later. Returns the
    /// index after the last byte consumed; everything after the final CRLF of
    /// the body is left alone (`isDone` is then true).
    public mutating func decode(_ p: UnsafeRawPointer, _ count: Int, from start: Int,
                                _ sink: (UnsafeRawBufferPointer) -> Bool) throws(HTTPParseError) -> Int {
        var i = start
        while i < count {
            if state == .data {
                let n = min(remaining, count - i)
                guard sink(UnsafeRawBufferPointer(start: p + i, count: n)) else { return i }
                i += n
                remaining -= n
                if remaining == 0 { state = .dataCR }
                continue
            }
            if state == .done { return i }
            let byte = p.load(fromByteOffset: i, as: UInt8.self)
            i += 1
            switch state {
            case .size:
                try countLineByte(byte)
                if let digit = B.hexValue(byte) {
                    guard chunkSizeDigits < 16 else { throw .bad("chunk size has more than 16 hex digits") }
                    chunkSize = chunkSize &<< 4 | UInt64(digit)
                    chunkSizeDigits += 1
                    continue
                }
                guard chunkSizeDigits > 0 else {
                    throw .bad("chunk size must be hex digits, found \(B.describe(byte))")
                }
                switch byte {
                case B.cr: state = .sizeLF
                case B.lf: throw .bad("bare LF in a chunk-size line: lines must end with CRLF")
                case 0x3B: state = .chunkExtension   // ";"
                case B.sp, B.htab: state = .sizeBWS
                default: throw .bad("invalid character \(B.describe(byte)) after the chunk size")
                }
            case .sizeBWS:
                try countLineByte(byte)
                if byte == 0x3B { state = .chunkExtension }
                else if byte != B.sp && byte != B.htab {
                    throw .bad("whitespace after a chunk size may only precede a ';' extension")
                }
            case .chunkExtension:
                try countLineByte(byte)
                if byte == B.cr { state = .sizeLF }
                else if !B.isFieldValueByte(byte) {
                    throw .bad("invalid character \(B.describe(byte)) in a chunk extension")
                }
            case .sizeLF:
                guard byte == B.lf else { throw .bad("bare CR in a chunk-size line: lines must end with CRLF") }
                try beginData()
            case .dataCR:
                guard byte == B.cr else {
                    throw .bad("chunk data must be followed by CRLF right after its declared size, found \(B.describe(byte))")
                }
                state = .dataLF
            case .dataLF:
                guard byte == B.lf else { throw .bad("chunk data must be followed by CRLF") }
                state = .size
                startLine()
            case .trailerLineStart:
                try countTrailerByte()
                if byte == B.cr {
                    state = .finalLF
                } else if B.isTChar(byte) {
                    trailerFields += 1
                    guard trailerFields <= limits.maxTrailerFields else {
                        throw HTTPParseError(.headersTooLarge, "more than \(limits.maxTrailerFields) trailer fields")
                    }
                    state = .trailerName
                } else if byte == B.sp || byte == B.htab {
                    throw .bad("obsolete line folding is not allowed in trailers")
                } else if byte == B.lf {
                    throw .bad("bare LF in the trailer section: lines must end with CRLF")
                } else {
                    throw .bad("invalid character \(B.describe(byte)) at the start of a trailer field")
                }
            case .trailerName:
                try countTrailerByte()
                if byte == B.colon { state = .trailerValue }
                else if !B.isTChar(byte) {
                    throw .bad("invalid character \(B.describe(byte)) in a trailer field name")
                }
            case .trailerValue:
                try countTrailerByte()
                if byte == B.cr { state = .trailerLF }
                else if !B.isFieldValueByte(byte) {
                    throw .bad("invalid character \(B.describe(byte)) in a trailer field value")
                }
            case .trailerLF:
                try countTrailerByte()
                guard byte == B.lf else { throw .bad("bare CR in a trailer field: lines must end with CRLF") }
                state = .trailerLineStart
            case .finalLF:
                guard byte == B.lf else { throw .bad("bare CR after the last chunk: the body must end with CRLF") }
                state = .done
                return i
            case .data, .done:
                preconditionFailure("HTTPChunkedDecoder: unreachable state \(state)")
            }
        }
        return count
    }

    private mutating func startLine() {
        chunkSize = 0
        chunkSizeDigits = 0
        lineBytes = 0
    }

    @inline(__always)
    private mutating func countLineByte(_ byte: UInt8) throws(HTTPParseError) {
        guard byte != B.cr else { return }
        lineBytes += 1
        guard lineBytes <= limits.maxLineBytes else {
            throw .bad("chunk-size line longer than \(limits.maxLineBytes) bytes (chunk extensions too long)")
        }
    }

    @inline(__always)
    private mutating func countTrailerByte() throws(HTTPParseError) {
        trailerBytes += 1
        guard trailerBytes <= limits.maxTrailerBytes else {
            throw HTTPParseError(.headersTooLarge, "trailer section larger than \(limits.maxTrailerBytes) bytes")
        }
    }

    private mutating func beginData() throws(HTTPParseError) {
        if chunkSize == 0 {
            state = .trailerLineStart
            trailerBytes = 0
            trailerFields = 0
            return
        }
        guard chunkSize <= UInt64(limits.maxBodyBytes - bodyTotal) else {
            throw HTTPParseError(.bodyTooLarge, "chunked body exceeds the limit of \(limits.maxBodyBytes) bytes")
        }
        remaining = Int(chunkSize)
        bodyTotal += remaining
        state = .data
    }
}
