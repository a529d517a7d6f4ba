#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level string helpers for the token path, where Swift's `==` (Unicode
/// canonical equivalence) would be both slower and wrong: JOSE names, claim
/// values and scope tokens compare byte for byte.
enum UTF8Bytes {
    /// Whether `a` and `b` hold the same UTF-8 bytes.
    static func equal(_ a: String, _ b: String) -> Bool {
        let count = a.utf8.count
        guard count == b.utf8.count else { return false }
        guard count > 0 else { return true }
        if let result = a.utf8.withContiguousStorageIfAvailable({ pa in
            b.utf8.withContiguousStorageIfAvailable { pb in memcmp(pa.baseAddress!, pb.baseAddress!, count) == 0 }
        }), let result {
            return result
        }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// Whether `bytes` are well-formed UTF-8 (RFC 3629: no overlongs, no
    /// surrogates, nothing above U+10FFFF).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            func continuation(_ k: Int) -> Bool { i + k < n && bytes[i + k] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xE0, b1 < 0xA0 { return false }  // overlong
                if b0 == 0xED, b1 > 0x9F { return false }  // surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let b1 = bytes[i + 1]
                if b0 == 0xF0, b1 < 0x90 { return false }  // overlong
                if b0 == 0xF4, b1 > 0x8F { return false }  // above U+10FFFF
                i += 4
            default:
                return false
            }
        }
        return true
    }

    /// `bytes` as a String, or nil when they are not well-formed UTF-8.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard isValid(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
