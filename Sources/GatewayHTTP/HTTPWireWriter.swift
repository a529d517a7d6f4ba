/// Appends the pieces of an HTTP/1.1 head to a byte buffer: the shared core
/// of the response and request serializers and the chunked encoder.
///
/// Strings are copied with one `memcpy`-style append each; nothing is built
/// with interpolation. Field names and values are checked as they are
/// copied, so a value holding CR or LF can never split a message.
enum HTTPWireWriter {
    static let crlf: [UInt8] = [0x0D, 0x0A]

    /// Appends `value` as it is.
    @inline(__always)
    static func append(_ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: value.utf8)
    }

    /// Appends `HTTP/x.y`.
    static func appendVersion(_ version: HTTPVersion, to out: inout [UInt8]) {
        let prefix: StaticString = "HTTP/"
        out.append(contentsOf: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        appendDecimal(version.major, to: &out)
        out.append(0x2E)
        appendDecimal(version.minor, to: &out)
    }

    /// Appends a non-negative integer in decimal.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "HTTPWireWriter: negative number")
        if value < 10 { out.append(UInt8(truncatingIfNeeded: value) &+ 0x30); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // room for 20 digits, no heap
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[23 - count] = UInt8(truncatingIfNeeded: rest % 10) &+ 0x30
                rest /= 10
                count += 1
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// Appends a non-negative integer in lower-case hex (a chunk size).
    static func appendHex(_ value: Int, to out: inout [UInt8]) {
        precondition(value >= 0, "HTTPWireWriter: negative number")
        let digits: StaticString = "0123456789abcdef"
        var shift = max(0, (Int.bitWidth - value.leadingZeroBitCount - 1) / 4 * 4)
        while shift >= 0 {
            out.append(digits.utf8Start[(value >> shift) & 0xF])
            shift -= 4
        }
    }

    /// Appends every valid field as `name: value CRLF`. Fields whose name is
    /// not a token or whose value holds CR, LF or another control byte are
    /// skipped: they cannot be sent without changing the message's meaning.
    static func appendFields(_ headers: HTTPHeaders, to out: inout [UInt8]) {
        for field in headers.fields where HTTPHeaders.isValidField(name: field.name, value: field.value) {
            out.append(contentsOf: field.name.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: field.value.utf8)
            out.append(0x0D)
            out.append(0x0A)
        }
    }
}

extension HTTPHeaders {
    /// Whether `name` is a valid field name: a non-empty token (RFC 9110 §5.1).
    public static func isValidFieldName(_ name: String) -> Bool {
        !name.isEmpty && allBytes(of: name, satisfy: HTTPByteClass.isTChar)
    }

    /// Whether `value` may be sent as a field value: no control byte other
    /// than HTAB (so no CR, LF or NUL) and no DEL (RFC 9110 §5.5).
    public static func isValidFieldValue(_ value: String) -> Bool {
        allBytes(of: value, satisfy: HTTPByteClass.isFieldValueByte)
    }

    /// Whether the field can be serialised unchanged.
    public static func isValidField(name: String, value: String) -> Bool {
        isValidFieldName(name) && isValidFieldValue(value)
    }

    @inline(__always)
    private static func allBytes(of text: String, satisfy predicate: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(predicate) }
            ?? text.utf8.allSatisfy(predicate)
    }
}
