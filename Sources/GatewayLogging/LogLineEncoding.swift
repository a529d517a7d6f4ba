/// The hand-written JSON encoding used for log lines: appends values to a byte
/// buffer with no intermediate strings, no `JSONEncoder`, no `Foundation`.
enum LogLineEncoding {
    /// Appends `value` as a quoted, escaped JSON string.
    @inline(__always)
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        withUTF8Bytes(value) { JSONStringCodec.appendEscaped($0, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    static func appendStringOrNull(_ value: String?, to out: inout [UInt8]) {
        if let value { appendString(value, to: &out) } else { out.append("null") }
    }

    /// Appends bytes that are already valid UTF-8 as a quoted JSON string.
    static func appendString(bytes: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        JSONStringCodec.appendEscaped(bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Escapes in place what was appended since `start` (raw bytes written by a masker).
    static func escapeTail(of out: inout [UInt8], from start: Int) {
        var needs = false
        for i in start..<out.count where JSONStringCodec.needsEscape(out[i]) {
            needs = true
            break
        }
        guard needs else { return }
        let tail = Array(out[start...])
        out.removeSubrange(start...)
        JSONStringCodec.appendEscaped(tail, to: &out)
    }

    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        var magnitude = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if magnitude < 10 {
            out.append(UInt8(truncatingIfNeeded: magnitude) &+ 0x30)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            while magnitude > 0 {
                digits[19 - count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
                count += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    /// Nanoseconds as milliseconds with three decimals (`12.345`).
    static func appendMillis(nanos: Int64, to out: inout [UInt8]) {
        let micros = max(0, nanos) / 1_000
        appendInt(Int(micros / 1_000), to: &out)
        let fraction = Int(micros % 1_000)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(fraction / 100) &+ 0x30)
        out.append(UInt8(fraction / 10 % 10) &+ 0x30)
        out.append(UInt8(fraction % 10) &+ 0x30)
    }

    /// An RFC 3339 UTC timestamp with milliseconds, quoted: `"2026-01-15T10:20:30.123Z"`.
    static func appendTimestamp(unixNanos: Int64, to out: inout [UInt8]) {
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
        let year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        out.append(UInt8(ascii: "\""))
        appendPadded(min(max(year, 0), 9999), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendPadded(Int(seconds / 3600), width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(Int(seconds / 60 % 60), width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(Int(seconds % 60), width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendPadded(millis, width: 3, to: &out)
        out.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    private static func appendPadded(_ value: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: v / divisor) &+ 0x30)
            v %= divisor
            divisor /= 10
        }
    }
}
