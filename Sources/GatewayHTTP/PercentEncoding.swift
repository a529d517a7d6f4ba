/// Percent-encoding (RFC 3986 §2.1) and its `application/x-www-form-urlencoded`
/// variant (WHATWG URL standard §5), over UTF-8.
///
/// Decoding is strict: a `%` must be followed by two hex digits, and the
/// decoded bytes must be valid UTF-8; anything else throws `URLEncodingError`
/// rather than being passed through or replaced. Encoding writes upper-case
/// hex digits.
public enum PercentEncoding {
    /// Decodes `%XX` escapes (and `+` as a space when `plusAsSpace`).
    public static func decode(_ text: some StringProtocol, plusAsSpace: Bool = false) throws(URLEncodingError) -> String {
        var copy = String(text)
        let result: Result<String, URLEncodingError> = copy.withUTF8 { buffer in
            do throws(URLEncodingError) {
                return .success(try decode(UnsafeRawBufferPointer(buffer), plusAsSpace: plusAsSpace, offset: 0))
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes the bytes `input`; `offset` is where they start in a larger
    /// input, for error messages.
    static func decode(_ input: UnsafeRawBufferPointer, plusAsSpace: Bool,
                       offset: Int) throws(URLEncodingError) -> String {
        var plain = true
        for byte in input where byte == 0x25 || byte >= 0x80 || (plusAsSpace && byte == 0x2B) {
            plain = false
            break
        }
        if plain { return String(decoding: input, as: UTF8.self) }

        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let byte = input[i]
            if byte == 0x25 {
                guard i + 2 < input.count, let high = HTTPByteClass.hexValue(input[i + 1]),
                      let low = HTTPByteClass.hexValue(input[i + 2]) else {
                    throw URLEncodingError(kind: .malformedEscape, offset: offset + i,
                                           reason: "malformed percent-escape at byte \(offset + i): '%' must be followed by two hex digits (write a literal '%' as %25)")
                }
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(plusAsSpace && byte == 0x2B ? 0x20 : byte)
                i += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw URLEncodingError(kind: .invalidUTF8, offset: offset,
                                   reason: "text starting at byte \(offset) is not valid UTF-8 once percent-decoded")
        }
        return text
    }

    /// Encodes every byte except the unreserved characters
    /// `A-Z a-z 0-9 - . _ ~` (RFC 3986 §2.3): safe for any URI component.
    public static func encodeComponent(_ text: some StringProtocol) -> String {
        encode(text, spaceAsPlus: false) { isUnreserved($0) }
    }

    /// Encodes a path, keeping `/` and the characters RFC 3986 allows in a
    /// segment unescaped (unreserved, sub-delims, `:` and `@`).
    public static func encodePath(_ text: some StringProtocol) -> String {
        encode(text, spaceAsPlus: false) { byte in
            isUnreserved(byte) || byte == 0x2F || byte == 0x3A || byte == 0x40
                || [0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D].contains(byte)
        }
    }

    /// Encodes a form name or value (`application/x-www-form-urlencoded`):
    /// keeps `A-Z a-z 0-9 * - . _`, writes a space as `+`, escapes the rest.
    public static func encodeFormComponent(_ text: some StringProtocol) -> String {
        encode(text, spaceAsPlus: true) { byte in
            isAlphanumeric(byte) || byte == 0x2A || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
    }

    static func encode(_ text: some StringProtocol, spaceAsPlus: Bool, keeping keep: (UInt8) -> Bool) -> String {
        let hex: StaticString = "0123456789ABCDEF"
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if keep(byte) {
                out.append(byte)
            } else if spaceAsPlus && byte == 0x20 {
                out.append(0x2B)
            } else {
                out.append(contentsOf: [0x25, hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26
    }

    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }
}
