/// UK bank details written out in words: a sort code or an account number named
/// by the words before it, which the digit rules alone cannot tell from a date
/// or an order number.
///
/// - `sort code` (also `sort-code`, `sort_code`, `sortcode`), then up to a few
///   bytes of ` :=#."'` or `is`, then `dd-dd-dd`, `dd dd dd` or `dddddd` →
///   `[sort-code]`; when the sort code is followed by a space and eight digits,
///   both go as `[sort-code+account]`.
/// - `account number`, `account no`, `account #`, `acct no`, `acct number`,
///   `bank account` (each optionally followed by `number`/`no`) then eight
///   digits (`dddddddd` or `dddd dddd`) → `[account-number]`; so does a bare
///   `account` or `acct` right after a sort code was found in the same text.
///
/// The words stay legible; only the digits are replaced. Eight digits is the
/// UK account number length: a ledger account code (`account number 4000`)
/// stays.
extension PIIMasker {
    /// A sort code or account number introduced by its name at `i` (a word start).
    func bankDetail(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, afterSortCode: Bool) -> Span? {
        if let after = Self.sortCodeWords(buf, at: i) {
            let start = Self.skipIntroducer(buf, from: after)
            guard start > after || after == buf.count || !ByteClass.isAlnum(buf[after]),
                  let end = Self.sortCodeDigits(buf, at: start) else { return nil }
            if end + 1 < buf.count, buf[end] == 0x20, let accountEnd = Self.accountDigits(buf, at: end + 1) {
                return Span(start: start, end: accountEnd, kind: .sortCodeAccount)
            }
            return Span(start: start, end: end, kind: .sortCode)
        }
        if let after = Self.accountWords(buf, at: i, bare: afterSortCode) {
            let start = Self.skipIntroducer(buf, from: after)
            guard let end = Self.accountDigits(buf, at: start) else { return nil }
            return Span(start: start, end: end, kind: .accountNumber)
        }
        return nil
    }

    /// Whether `buf[at...]` starts with `word`, ignoring ASCII case.
    static func hasWord(_ buf: UnsafeBufferPointer<UInt8>, at: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard at + count <= buf.count else { return false }
        let bytes = word.utf8Start
        for k in 0..<count where ByteClass.lower(buf[at + k]) != bytes[k] { return false }
        return true
    }

    /// One optional joiner between two words of a name: a space, `-` or `_`.
    static func skipJoiner(_ buf: UnsafeBufferPointer<UInt8>, from j: Int) -> Int {
        j < buf.count && (buf[j] == 0x20 || buf[j] == UInt8(ascii: "-") || buf[j] == UInt8(ascii: "_")) ? j + 1 : j
    }

    /// The end of `sort code` and its spellings at `i`, or nil.
    static func sortCodeWords(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard hasWord(buf, at: i, "sort") else { return nil }
        let j = skipJoiner(buf, from: i + 4)
        return hasWord(buf, at: j, "code") ? j + 4 : nil
    }

    /// The end of an account-number name at `i`, or nil. `bare` also accepts
    /// `account` / `acct` alone.
    static func accountWords(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, bare: Bool) -> Int? {
        var j = i
        var named = false
        if hasWord(buf, at: j, "bank") {
            j = skipJoiner(buf, from: j + 4)
            named = true
        }
        if hasWord(buf, at: j, "account") {
            j += 7
        } else if hasWord(buf, at: j, "acct") {
            j += 4
        } else {
            return nil
        }
        let k = skipJoiner(buf, from: j)
        if hasWord(buf, at: k, "number") { return k + 6 }
        if hasWord(buf, at: k, "no"), k + 2 == buf.count || !ByteClass.isAlpha(buf[k + 2]) {
            return k + 2 < buf.count && buf[k + 2] == UInt8(ascii: ".") ? k + 3 : k + 2
        }
        if k < buf.count, buf[k] == UInt8(ascii: "#") { return k + 1 }
        return named || bare ? j : nil
    }

    /// Past what may stand between a name and its value: up to 4 bytes of
    /// ` :=#."'` and one `is `.
    static func skipIntroducer(_ buf: UnsafeBufferPointer<UInt8>, from j: Int) -> Int {
        var k = j
        func skipPunctuation() {
            var taken = 0
            while k < buf.count, taken < 4 {
                let c = buf[k]
                guard c == 0x20 || c == UInt8(ascii: ":") || c == UInt8(ascii: "=") || c == UInt8(ascii: "#")
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") else { break }
                k += 1
                taken += 1
            }
        }
        skipPunctuation()
        if hasWord(buf, at: k, "is "), k + 3 <= buf.count {
            k += 3
            skipPunctuation()
        }
        return k
    }

    /// The end of `dd-dd-dd`, `dd dd dd` or `dddddd` at `i`, ending cleanly, or nil.
    static func sortCodeDigits(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = buf.count
        func digits(_ from: Int, _ count: Int) -> Bool {
            guard from + count <= n else { return false }
            for k in from..<(from + count) where !ByteClass.isDigit(buf[k]) { return false }
            return true
        }
        var end: Int
        if digits(i, 6) {
            end = i + 6
        } else if digits(i, 2), i + 2 < n, buf[i + 2] == UInt8(ascii: "-") || buf[i + 2] == 0x20,
                  digits(i + 3, 2), i + 5 < n, buf[i + 5] == buf[i + 2], digits(i + 6, 2) {
            end = i + 8
        } else {
            return nil
        }
        return endsCleanly(buf, end) ? end : nil
    }

    /// The end of eight digits (`dddddddd` or `dddd dddd`) at `i`, ending cleanly, or nil.
    static func accountDigits(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var k = i, count = 0
        while k < buf.count, count < 8 {
            if ByteClass.isDigit(buf[k]) {
                count += 1
            } else if !(count == 4 && buf[k] == 0x20 && k == i + 4) {
                break
            }
            k += 1
        }
        return count == 8 && endsCleanly(buf, k) ? k : nil
    }

    /// Not glued to more letters or digits, and not going on as a number (`-5`, `.5`).
    static func endsCleanly(_ buf: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        guard end < buf.count else { return true }
        if ByteClass.isAlnum(buf[end]) { return false }
        if buf[end] == UInt8(ascii: "-") || buf[end] == UInt8(ascii: ".") {
            return end + 1 >= buf.count || !ByteClass.isDigit(buf[end + 1])
        }
        return true
    }
}
