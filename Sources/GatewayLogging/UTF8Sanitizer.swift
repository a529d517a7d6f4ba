/// Checks captured bytes for UTF-8 validity and binary content, and repairs
/// them for a log line.
enum UTF8Sanitizer {
    /// What a scan found.
    struct Report {
        /// Bytes that are not part of a valid UTF-8 sequence.
        var invalidBytes = 0
        /// C0 controls other than tab, CR, LF, plus DEL.
        var controlBytes = 0
        var hasNUL = false

        /// Binary when it holds a NUL or more than 1 in 10 suspicious bytes.
        func looksBinary(length: Int) -> Bool {
            hasNUL || (invalidBytes + controlBytes) * 10 > length
        }
    }

    /// The length of the valid sequence starting at `i`, or nil.
    @inline(__always)
    static func sequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let b = buf[i]
        if b < 0x80 { return 1 }
        let n = buf.count
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            k < n && buf[k] >= lo && buf[k] <= hi
        }
        switch b {
        case 0xC2...0xDF: return cont(i + 1) ? 2 : nil
        case 0xE0: return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : nil
        case 0xED: return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : nil
        case 0xE1...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : nil
        case 0xF0: return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : nil
        case 0xF4: return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : nil
        default: return nil
        }
    }

    static func scan(_ buf: UnsafeBufferPointer<UInt8>) -> Report {
        var report = Report()
        var i = 0
        let base = UnsafeRawPointer(buf.baseAddress)
        while i < buf.count {
            // Printable ASCII, eight bytes at a time (SWAR): nothing to report.
            if let base, i + 8 <= buf.count {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let highs: UInt64 = 0x8080_8080_8080_8080
                let control = (w &- 0x2020_2020_2020_2020) & ~w & highs
                let x = w ^ 0x7F7F_7F7F_7F7F_7F7F
                let del = (x &- 0x0101_0101_0101_0101) & ~x & highs
                if (w & highs) | control | del == 0 {
                    i += 8
                    continue
                }
            }
            let b = buf[i]
            if b == 0 { report.hasNUL = true }
            if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F { report.controlBytes += 1 }
            if let length = sequenceLength(buf, at: i) {
                i += length
            } else {
                report.invalidBytes += 1
                i += 1
            }
        }
        return report
    }

    /// `buf` with every invalid byte replaced by U+FFFD.
    static func repaired(_ buf: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(buf.count + 8)
        var i = 0
        while i < buf.count {
            if let length = sequenceLength(buf, at: i) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<(i + length)]))
                i += length
            } else {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += 1
            }
        }
        return out
    }

    /// The length of `buf` without a multi-byte sequence cut short at its end.
    static func lengthWithoutCutSequence(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        let n = buf.count
        var back = 1
        while back <= min(3, n) {
            let b = buf[n - back]
            if b & 0xC0 != 0x80 {
                let needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return needed > back ? n - back : n
            }
            back += 1
        }
        return n
    }
}
