/// String scanning: escapes, surrogate pairs, UTF-8 validation.
extension JSONParser {
    /// Where a string's unescaped, validated bytes are: a range of the input, or
    /// (when it had escapes) the whole of the scratch buffer.
    struct RawString {
        var range: Range<Int>
        var inScratch: Bool
    }

    mutating func parseRawString(scratch: inout [UInt8]) throws(Failure) -> RawString {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let range = start..<index
                index += 1
                guard UTF8Bytes.isValid(UnsafeRawBufferPointer(rebasing: bytes[range])) else { throw failure("invalid UTF-8") }
                return RawString(range: range, inScratch: false)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character in string") }
            index += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard scratch.withUnsafeBytes({ UTF8Bytes.isValid($0) }) else { throw failure("invalid UTF-8") }
                return RawString(range: 0..<scratch.count, inScratch: true)
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &scratch)
            case 0..<0x20:
                throw failure("control character in string")
            default:
                scratch.append(byte)
                index += 1
            }
        }
        throw failure("unterminated string")
    }


    mutating func parseString() throws(Failure) -> String {
        var scratch: [UInt8] = []
        let raw = try parseRawString(scratch: &scratch)
        if raw.inScratch { return String(decoding: scratch, as: UTF8.self) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[raw.range]), as: UTF8.self)
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(Failure) {
        guard !atEnd else { throw failure("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if scalar >= 0xD800, scalar < 0xDC00 {
                guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("lone surrogate") }
                index += 2
                let low = try parseHex4()
                guard low >= 0xDC00, low < 0xE000 else { throw failure("lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar < 0xE000 {
                throw failure("lone surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid escape") }
            out.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw failure("invalid escape")
        }
    }

    mutating func parseHex4() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 0x30
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 0x57
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 0x37
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
