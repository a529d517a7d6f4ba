extension HTTPRequestParser {
    /// Decodes a chunked body from `p[start..<count]` (RFC 9112 §7.1), byte by
    /// byte for the framing and in whole slices for the data. Everything is
    /// consumed except what follows the final CRLF of the message.
    mutating func parseChunked(_ p: UnsafeRawPointer, _ count: Int, from start: Int,
                               _ sink: (HTTPParserEvent) -> Void) throws(HTTPParseError) -> Int {
        var i = start
        while i < count {
            if state == .chunkData {
                let n = min(remaining, count - i)
                sink(.body(UnsafeRawBufferPointer(start: p + i, count: n)))
                i += n
                remaining -= n
                if remaining == 0 { state = .chunkDataCR }
                continue
            }
            let byte = p.load(fromByteOffset: i, as: UInt8.self)
            i += 1
            switch state {
            case .chunkSize:
                try countChunkLineByte(byte)
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
                case B.cr: state = .chunkSizeLF
                case B.lf: throw .bad("bare LF in a chunk-size line: lines must end with CRLF")
                case 0x3B: state = .chunkExtension   // ";"
                case B.sp, B.htab: state = .chunkSizeBWS
                default: throw .bad("invalid character \(B.describe(byte)) after the chunk size")
                }
            case .chunkSizeBWS:
                try countChunkLineByte(byte)
                if byte == 0x3B { state = .chunkExtension }
                else if byte != B.sp && byte != B.htab {
                    throw .bad("whitespace after a chunk size may only precede a ';' extension")
                }
            case .chunkExtension:
                try countChunkLineByte(byte)
                if byte == B.cr { state = .chunkSizeLF }
                else if !B.isFieldValueByte(byte) {
                    throw .bad("invalid character \(B.describe(byte)) in a chunk extension")
                }
            case .chunkSizeLF:
                guard byte == B.lf else { throw .bad("bare CR in a chunk-size line: lines must end with CRLF") }
                try beginChunkData()
            case .chunkDataCR:
                guard byte == B.cr else {
                    throw .bad("chunk data must be followed by CRLF right after its declared size, found \(B.describe(byte))")
                }
                state = .chunkDataLF
            case .chunkDataLF:
                guard byte == B.lf else { throw .bad("chunk data must be followed by CRLF") }
                state = .chunkSize
                startChunkLine()
            case .trailerLineStart:
                try countTrailerByte()
                if byte == B.cr {
                    state = .finalLF
                } else if B.isTChar(byte) {
                    trailerFields += 1
                    guard trailerFields <= limits.maxHeaderCount else {
                        throw HTTPParseError(.headersTooLarge, "more than \(limits.maxHeaderCount) trailer fields")
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
                state = .head
                sink(.end)
                return i
            case .head, .fixedBody, .chunkData, .failed:
                preconditionFailure("HTTPRequestParser: chunked decoder entered in state \(state)")
            }
        }
        return count
    }

    mutating func startChunkLine() {
        chunkSize = 0
        chunkSizeDigits = 0
        chunkLineBytes = 0
    }

    @inline(__always)
    private mutating func countChunkLineByte(_ byte: UInt8) throws(HTTPParseError) {
        guard byte != B.cr else { return }
        chunkLineBytes += 1
        guard chunkLineBytes <= limits.maxChunkLineBytes else {
            throw .bad("chunk-size line longer than \(limits.maxChunkLineBytes) bytes (chunk extensions too long)")
        }
    }

    @inline(__always)
    private mutating func countTrailerByte() throws(HTTPParseError) {
        trailerBytes += 1
        guard trailerBytes <= limits.maxHeaderBytes else {
            throw HTTPParseError(.headersTooLarge, "trailer section larger than \(limits.maxHeaderBytes) bytes")
        }
    }

    private mutating func beginChunkData() throws(HTTPParseError) {
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
        state = .chunkData
    }
}
