/// ASCII byte classification used by the scanners. Every scanner in this module
/// works on UTF-8 bytes; bytes ≥ 0x80 are never letters, digits or separators.
enum ByteClass {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
    @inline(__always) static func upper(_ b: UInt8) -> UInt8 { b &- 0x61 < 26 ? b & 0xDF : b }
    /// Characters of a base64url run (JWT segments).
    @inline(__always) static func isBase64URL(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x2D || b == 0x5F }
    /// Characters of RFC 7235 `token68` (without the trailing `=` padding).
    @inline(__always) static func isToken68(_ b: UInt8) -> Bool {
        isAlnum(b) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x2B || b == 0x2F
    }
    /// Space, tab, CR or LF.
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        if isDigit(b) { return b &- 0x30 }
        let l = b | 0x20
        if l &- 0x61 < 6 { return l &- 0x61 &+ 10 }
        return nil
    }
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of a static string (replacement tokens, JSON keys).
    @inline(__always)
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }
}

/// Calls `body` with the UTF-8 bytes of `s`, without copying when the string is native.
@inline(__always)
func withUTF8Bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var copy = s
    return copy.withUTF8(body)
}
