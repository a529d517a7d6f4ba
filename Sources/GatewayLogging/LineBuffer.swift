import Glibc

/// A growable byte buffer for building one log line, written through a raw
/// pointer: bounds are checked once per value, not once per byte, which is
/// what keeps an access record under a microsecond.
///
/// Non-copyable: it owns its storage and frees it when it goes out of scope.
struct LineBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 512) {
        self.capacity = max(64, capacity)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far (valid until the next write).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        (base + count).update(from: s.utf8Start, count: n)
        count += n
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Removes bytes from `start` on.
    mutating func truncate(to start: Int) { count = min(count, max(0, start)) }

    // MARK: JSON values

    /// Appends `bytes` escaped for the inside of a JSON string (RFC 8259 §7):
    /// the bytes are checked eight at a time, and runs that need no escaping
    /// (usually the whole value) are copied with one memcpy each.
    mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let n = bytes.count
        var runStart = 0
        var i = 0
        while i < n {
            if i + 8 <= n {
                if !Self.mayNeedEscape(UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
            }
            let b = source[i]
            guard JSONStringCodec.needsEscape(b) else { i += 1; continue }
            if i > runStart { append(UnsafeBufferPointer(start: source + runStart, count: i - runStart)) }
            appendEscape(b)
            i += 1
            runStart = i
        }
        if n > runStart { append(UnsafeBufferPointer(start: source + runStart, count: n - runStart)) }
    }

    /// Whether any of the eight bytes is below 0x20, `"`, `\` or DEL (SWAR test).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let below = (word &- 0x2020_2020_2020_2020) & ~word & highs
        return (below | hasZero(word ^ 0x2222_2222_2222_2222) | hasZero(word ^ 0x5C5C_5C5C_5C5C_5C5C)
            | hasZero(word ^ 0x7F7F_7F7F_7F7F_7F7F)) != 0
    }

    private mutating func appendEscape(_ b: UInt8) {
        reserve(6)
        let p = base + count
        p[0] = UInt8(ascii: "\\")
        switch b {
        case UInt8(ascii: "\""): p[1] = UInt8(ascii: "\""); count += 2
        case UInt8(ascii: "\\"): p[1] = UInt8(ascii: "\\"); count += 2
        case 0x0A: p[1] = UInt8(ascii: "n"); count += 2
        case 0x0D: p[1] = UInt8(ascii: "r"); count += 2
        case 0x09: p[1] = UInt8(ascii: "t"); count += 2
        default:
            let hex: StaticString = "0123456789abcdef"
            p[1] = UInt8(ascii: "u")
            p[2] = UInt8(ascii: "0")
            p[3] = UInt8(ascii: "0")
            p[4] = hex.utf8Start[Int(b >> 4)]
            p[5] = hex.utf8Start[Int(b & 0xF)]
            count += 6
        }
    }

    /// Appends `value` as a quoted JSON string.
    mutating func appendString(_ value: String) {
        append(UInt8(ascii: "\""))
        withUTF8Bytes(value) { appendEscaped($0) }
        append(UInt8(ascii: "\""))
    }

    mutating func appendStringOrNull(_ value: String?) {
        if let value { appendString(value) } else { append("null") }
    }

    /// Appends UTF-8 bytes as a quoted JSON string.
    mutating func appendString(bytes: [UInt8]) {
        append(UInt8(ascii: "\""))
        bytes.withUnsafeBufferPointer { appendEscaped($0) }
        append(UInt8(ascii: "\""))
    }

    mutating func appendInt(_ value: Int) {
        reserve(20)
        var magnitude = value.magnitude
        if value < 0 { base[count] = UInt8(ascii: "-"); count += 1 }
        var digits = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; digits += 1 }
        var at = count + digits
        count = at
        repeat {
            at -= 1
            base[at] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
        } while magnitude > 0
    }

    /// Nanoseconds as milliseconds with three decimals (`12.345`).
    mutating func appendMillis(nanos: Int64) {
        let micros = Int(max(0, nanos) / 1_000)
        appendInt(micros / 1_000)
        reserve(4)
        let fraction = micros % 1_000
        base[count] = UInt8(ascii: ".")
        base[count + 1] = UInt8(truncatingIfNeeded: fraction / 100) &+ 0x30
        base[count + 2] = UInt8(truncatingIfNeeded: fraction / 10 % 10) &+ 0x30
        base[count + 3] = UInt8(truncatingIfNeeded: fraction % 10) &+ 0x30
        count += 4
    }

    /// An RFC 3339 UTC timestamp with milliseconds, quoted: `"2026-01-15T10:20:30.123Z"`.
    mutating func appendTimestamp(unixNanos: Int64) {
        let millisTotal = unixNanos >= 0 ? unixNanos / 1_000_000 : (unixNanos - 999_999) / 1_000_000
        var seconds = millisTotal >= 0 ? millisTotal / 1000 : (millisTotal - 999) / 1000
        let millis = Int(millisTotal - seconds * 1000)
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        seconds -= days * 86_400
        // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = min(max(Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), 0), 9999)
        let s = Int(seconds)
        reserve(26)
        let p = base + count
        @inline(__always) func two(_ at: Int, _ v: Int) {
            p[at] = UInt8(truncatingIfNeeded: v / 10) &+ 0x30
            p[at + 1] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
        }
        p[0] = UInt8(ascii: "\"")
        two(1, year / 100)
        two(3, year % 100)
        p[5] = UInt8(ascii: "-")
        two(6, month)
        p[8] = UInt8(ascii: "-")
        two(9, day)
        p[11] = UInt8(ascii: "T")
        two(12, s / 3600)
        p[14] = UInt8(ascii: ":")
        two(15, s / 60 % 60)
        p[17] = UInt8(ascii: ":")
        two(18, s % 60)
        p[20] = UInt8(ascii: ".")
        p[21] = UInt8(truncatingIfNeeded: millis / 100) &+ 0x30
        two(22, millis % 100)
        p[24] = UInt8(ascii: "Z")
        p[25] = UInt8(ascii: "\"")
        count += 26
    }
}
