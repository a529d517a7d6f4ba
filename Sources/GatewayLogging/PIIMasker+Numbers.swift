/// Digit-sequence detectors: payment cards, US SSNs, UK sort code + account,
/// phone numbers.
///
/// At a word start holding a digit, `+` or `(`, the scanner reads a run of
/// digit groups joined by single separators (space, `-`, `.`, or parentheses
/// around a group: `+44 (0)20 7946 0958`). It then tries the longest prefix of
/// groups first, so `4111 1111 1111 1111 123` still finds the card. A prefix
/// matches only when it ends cleanly: not glued to a letter or digit, and not
/// followed by `-x`/`.x` (an identifier or a decimal goes on) or `:d`/`/d`
/// (a time or a date goes on).
///
/// Phone heuristic (so amounts, dates, invoice numbers and timestamps survive):
/// - `+` then 8–15 digits (E.164), or `00` then 8–15 digits;
/// - a leading `0` (national trunk prefix) and 9–13 digits in groups of ≥ 2
///   digits (`020 7946 0958`, `07700 900123`, `01 23 45 67 89`), or 10–11 bare
///   digits (`07700900123`);
/// - US forms `415-555-2671`, `415.555.2671`, `(415) 555-2671`, `1-800-555-0199`;
/// - never when the run is preceded by `word-` or `word.` (`INV-2026-000123`),
///   never a single `.` between two groups (a decimal number), never a group of
///   one digit between dots.
extension PIIMasker {
    struct DigitGroup {
        /// First byte of the group, `(` included.
        var start: Int
        var digitStart: Int
        var digitEnd: Int
        /// One past the group, `)` included.
        var end: Int
        /// The separator that follows (`0` for none; `(` / `)` count as a space).
        var separator: UInt8
        var digits: Int { digitEnd - digitStart }
        var hasParens: Bool { start != digitStart }
    }

    static let maxDigitGroups = 8

    func number(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Span? {
        // Cheap bound first: every kind needs 8 digits among digits and separators.
        var digits = 0, k = i + 1
        if ByteClass.isDigit(buf[i]) { digits = 1 }
        while k < buf.count, digits < 8 {
            let c = buf[k]
            if ByteClass.isDigit(c) {
                digits += 1
            } else if !(c == 0x20 || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "(")
                        || c == UInt8(ascii: ")")) {
                break
            }
            k += 1
        }
        guard digits >= 8 else { return nil }
        // A bare digit run not starting with `0` or `+` is only ever a card (13–19 digits).
        if ByteClass.isDigit(buf[i]), buf[i] != UInt8(ascii: "0") {
            var end = i
            while end < buf.count, ByteClass.isDigit(buf[end]) { end += 1 }
            let next: UInt8 = end < buf.count ? buf[end] : 0
            let separated = next == 0x20 || next == UInt8(ascii: "-") || next == UInt8(ascii: ".") || next == UInt8(ascii: "(")
            if !separated && end - i < 13 { return nil }
        }
        return withUnsafeTemporaryAllocation(of: DigitGroup.self, capacity: Self.maxDigitGroups) { groups in
            let n = buf.count
            var j = i
            let plus = buf[j] == UInt8(ascii: "+")
            if plus { j += 1 }
            var count = 0
            var totalDigits = 0
            while count < Self.maxDigitGroups {
                let groupStart = j
                let open = j < n && buf[j] == UInt8(ascii: "(")
                if open { j += 1 }
                let digitStart = j
                while j < n, ByteClass.isDigit(buf[j]), j - digitStart < 24 { j += 1 }
                let digitEnd = j
                if digitEnd == digitStart { break }
                if open {
                    guard j < n, buf[j] == UInt8(ascii: ")") else { break }
                    j += 1
                }
                groups.initializeElement(at: count, to: DigitGroup(start: groupStart, digitStart: digitStart,
                                                                     digitEnd: digitEnd, end: j, separator: 0))
                count += 1
                totalDigits += digitEnd - digitStart
                guard j < n else { break }
                let c = buf[j]
                if c == 0x20 || c == UInt8(ascii: "-") || c == UInt8(ascii: "."), j + 1 < n,
                   ByteClass.isDigit(buf[j + 1]) || buf[j + 1] == UInt8(ascii: "(") {
                    groups[count - 1].separator = c
                    j += 1
                    continue
                }
                if open, ByteClass.isDigit(c) || c == UInt8(ascii: "(") {
                    groups[count - 1].separator = 0x20
                    continue
                }
                break
            }
            // DigitGroup is a trivial type: the temporary storage needs no deinitialization.
            guard count > 0, totalDigits >= 8 else { return nil }

            // Left context: `word-123` / `v1.2` are identifiers; `1.5` / `1-5` are numbers.
            var strictLeft = true, cardLeft = true
            if i >= 2, buf[i - 1] == UInt8(ascii: "-") || buf[i - 1] == UInt8(ascii: ".") {
                if ByteClass.isAlnum(buf[i - 2]) { strictLeft = false }
                if ByteClass.isDigit(buf[i - 2]) { cardLeft = false }
            }
            var k = count
            while k > 0 {
                if let kind = classify(buf, UnsafeMutableBufferPointer(rebasing: groups[0..<k]), plus: plus,
                                       strictLeft: strictLeft, cardLeft: cardLeft) {
                    return Span(start: plus ? i : groups[0].start, end: groups[k - 1].end, kind: kind)
                }
                k -= 1
            }
            return nil
        }
    }

    private func classify(_ buf: UnsafeBufferPointer<UInt8>, _ g: UnsafeMutableBufferPointer<DigitGroup>,
                          plus: Bool, strictLeft: Bool, cardLeft: Bool) -> Kind? {
        let k = g.count
        var digits = 0, parens = false, dots = false, dashesOrSpaces = true, shortGroup = false
        for index in 0..<k {
            digits += g[index].digits
            if g[index].hasParens { parens = true }
            if g[index].digits < 2 { shortGroup = true }
            if index < k - 1 {
                let s = g[index].separator
                if s == UInt8(ascii: ".") { dots = true; dashesOrSpaces = false }
            }
        }
        guard digits >= 8 else { return nil }
        let end = g[k - 1].end
        let next: UInt8 = end < buf.count ? buf[end] : 0
        let afterNext: UInt8 = end + 1 < buf.count ? buf[end + 1] : 0
        if ByteClass.isAlnum(next) { return nil }
        let continuesAsNumber = (next == UInt8(ascii: "-") || next == UInt8(ascii: ".")) && ByteClass.isDigit(afterNext)
        let continuesAsWord = (next == UInt8(ascii: "-") || next == UInt8(ascii: ".")) && ByteClass.isAlpha(afterNext)
        let continuesAsTime = (next == UInt8(ascii: ":") || next == UInt8(ascii: "/")) && ByteClass.isDigit(afterNext)
        let strict = strictLeft && !continuesAsNumber && !continuesAsWord && !continuesAsTime
        let first = buf[g[0].digitStart]
        let lens = { (index: Int) in g[index].digits }
        let sep = { (index: Int) in g[index].separator }
        let spaceOrDash = { (s: UInt8) in s == 0x20 || s == UInt8(ascii: "-") }

        if !plus && !parens {
            if strict {
                if k == 4, lens(0) == 2, lens(1) == 2, lens(2) == 2, lens(3) == 8,
                   sep(0) == sep(1), spaceOrDash(sep(0)), spaceOrDash(sep(2)) { return .sortCodeAccount }
                if k == 2, lens(0) == 6, lens(1) == 8, sep(0) == 0x20 { return .sortCodeAccount }
                if k == 3, lens(0) == 3, lens(1) == 2, lens(2) == 4, sep(0) == sep(1), spaceOrDash(sep(0)) {
                    return .ssn
                }
            }
            // Issuer prefixes start 2–6; this keeps 13-digit epoch milliseconds legible.
            if cardLeft, !continuesAsNumber, dashesOrSpaces, (13...19).contains(digits),
               first &- 0x32 < 5, luhnValid(buf, g) { return .card }
        }
        guard strict else { return nil }
        if dots && (shortGroup || k == 2) { return nil }
        if plus { return (8...15).contains(digits) ? .phone : nil }
        if first == UInt8(ascii: "0") {
            let second = secondDigit(buf, g)
            if second == UInt8(ascii: "0") { return (10...17).contains(digits) ? .phone : nil }
            if k == 1 { return (10...11).contains(digits) ? .phone : nil }
            return (9...13).contains(digits) && !shortGroup && k <= 5 ? .phone : nil
        }
        if k == 3, lens(0) == 3, lens(1) == 3, lens(2) == 4, first &- 0x32 < 8,
           sep(0) == sep(1) || g[0].hasParens { return .phone }
        if k == 4, lens(0) == 1, first == UInt8(ascii: "1"), lens(1) == 3, lens(2) == 3, lens(3) == 4,
           sep(0) == sep(1), sep(1) == sep(2) { return .phone }
        return nil
    }

    private func secondDigit(_ buf: UnsafeBufferPointer<UInt8>, _ g: UnsafeMutableBufferPointer<DigitGroup>) -> UInt8 {
        if g[0].digits >= 2 { return buf[g[0].digitStart + 1] }
        return g.count > 1 ? buf[g[1].digitStart] : 0
    }

    /// The Luhn (mod 10) check over every digit of the groups.
    func luhnValid(_ buf: UnsafeBufferPointer<UInt8>, _ g: UnsafeMutableBufferPointer<DigitGroup>) -> Bool {
        var sum = 0, double = false
        var index = g.count - 1
        while index >= 0 {
            var j = g[index].digitEnd
            while j > g[index].digitStart {
                j -= 1
                var d = Int(buf[j] &- 0x30)
                if double {
                    d *= 2
                    if d > 9 { d -= 9 }
                }
                sum += d
                double.toggle()
            }
            index -= 1
        }
        return sum % 10 == 0
    }
}
