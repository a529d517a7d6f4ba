/// Writing a request head into the connection's buffer (room reserved beforehand).
extension UnsafeMutableRawPointer {
    @inline(__always)
    mutating func append(byte: UInt8) {
        storeBytes(of: byte, as: UInt8.self)
        self += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        copyMemory(from: base, byteCount: bytes.count)
        self += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        self += text.utf8CodeUnitCount
    }

    @inline(__always)
    mutating func append(_ text: String) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        for byte in text.utf8 { append(byte: byte) }
    }

    /// Appends `text` unless it holds CR, LF or NUL (then returns false; what was written is garbage).
    @inline(__always)
    mutating func appendRefusingLineBreaks(_ text: String) -> Bool {
        func copy<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
            for byte in bytes {
                if byte == 0x0D || byte == 0x0A || byte == 0 { return false }
                append(byte: byte)
            }
            return true
        }
        return text.utf8.withContiguousStorageIfAvailable { copy($0) } ?? copy(text.utf8)
    }

    /// Appends a non-negative number in decimal, without allocating.
    mutating func appendDecimal(_ value: Int) {
        var digits = 1, v = value
        while v >= 10 { v /= 10; digits += 1 }
        v = value
        for k in stride(from: digits - 1, through: 0, by: -1) {
            storeBytes(of: UInt8(v % 10) + 0x30, toByteOffset: k, as: UInt8.self)
            v /= 10
        }
        self += digits
    }
}
