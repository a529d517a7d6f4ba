/// Byte classes of the HTTP grammar (RFC 9110 §5.6, RFC 3986), as bit masks
/// so the parser's hot loops test a byte with two shifts and no table load.
///
/// Each set is split into two 64-bit masks: bit `n` of `low` stands for byte
/// `n`, bit `n` of `high` for byte `64 + n`. Bytes ≥ 0x80 belong to none of
/// the sets. `HTTPByteClassTests` checks every mask against its definition.
enum HTTPByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A

    /// `tchar`: ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``.
    static let tcharLow: UInt64 = 0x03ff_6cfa_0000_0000
    static let tcharHigh: UInt64 = 0x57ff_ffff_c7ff_fffe

    /// Bytes accepted in a request target: visible ASCII except `"`, `#`, `<`,
    /// `>` and `\` (see the parser's documentation for why).
    static let targetLow: UInt64 = 0xafff_fff2_0000_0000
    static let targetHigh: UInt64 = 0x7fff_ffff_efff_ffff

    /// Bytes accepted in a `Host` value: URI host and port characters
    /// (RFC 3986 §3.2.2 reg-name, IP-literal brackets, `:`, `%`).
    static let hostLow: UInt64 = 0x2fff_7ff2_0000_0000
    static let hostHigh: UInt64 = 0x47ff_fffe_afff_fffe

    @inline(__always)
    static func inSet(_ byte: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        if byte < 64 { return low & (1 &<< UInt64(byte)) != 0 }
        if byte < 128 { return high & (1 &<< UInt64(byte &- 64)) != 0 }
        return false
    }

    @inline(__always)
    static func isTChar(_ byte: UInt8) -> Bool { inSet(byte, tcharLow, tcharHigh) }

    @inline(__always)
    static func isTargetByte(_ byte: UInt8) -> Bool { inSet(byte, targetLow, targetHigh) }

    @inline(__always)
    static func isHostByte(_ byte: UInt8) -> Bool { inSet(byte, hostLow, hostHigh) }

    /// Whether `byte` may appear inside a field value: HTAB, SP, VCHAR, obs-text.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == htab
    }

    /// Whether all eight bytes of `word` are SP or VCHAR (0x20...0x7E): no
    /// control byte, no DEL, no byte ≥ 0x80. Exact (a word-at-a-time test,
    /// not a heuristic): `x - 0x20` borrows into bit 7 only for bytes < 0x20.
    @inline(__always)
    static func arePlain(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below20 = (word &- ones &* 0x20) & ~word & highs
        let del = word ^ (ones &* 0x7F)
        let isDel = (del &- ones) & ~del & highs
        return (below20 | isDel | (word & highs)) == 0
    }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte &- 0x30
        case 0x41...0x46: byte &- 0x37
        case 0x61...0x66: byte &- 0x57
        default: nil
        }
    }

    /// Whether `count` bytes at `start` equal `lowercase` (a lower-case ASCII
    /// pattern) ignoring the case of ASCII letters.
    @inline(__always)
    static func equalsLowercase(_ start: UnsafeRawPointer, _ count: Int, _ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        let pattern = lowercase.utf8Start
        for i in 0..<count {
            var byte = start.load(fromByteOffset: i, as: UInt8.self)
            if byte &- 0x41 < 26 { byte |= 0x20 }
            if byte != pattern[i] { return false }
        }
        return true
    }

    /// A byte for an error message: the character when printable, else `0xNN`.
    static func describe(_ byte: UInt8) -> String {
        if byte > 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = Array("0123456789ABCDEF".utf8)
        return "0x" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
    }
}
