/// Word detectors: e-mail addresses, bearer/basic credentials, JWT-looking
/// strings, IBANs and UK National Insurance numbers.
extension PIIMasker {
    /// Tries the detectors that start with a letter, at a word start.
    func word(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Span? {
        let b = ByteClass.lower(buf[i])
        if b == UInt8(ascii: "b"), let span = credentials(buf, at: i) { return span }
        if b == UInt8(ascii: "e"), let span = jwt(buf, at: i) { return span }
        guard i + 3 < buf.count, ByteClass.isAlpha(buf[i + 1]) else { return nil }
        if ByteClass.isDigit(buf[i + 2]), ByteClass.isDigit(buf[i + 3]), let end = iban(buf, at: i) {
            return Span(start: i, end: end, kind: .iban)
        }
        if let end = nino(buf, at: i) { return Span(start: i, end: end, kind: .nino) }
        return nil
    }

    // MARK: e-mail

    /// An address around the `@` at `at`: local part of `A-Z a-z 0-9 . _ % + -`
    /// (1–64 bytes), a domain of at least two labels whose last is ≥ 2 letters.
    func email(_ buf: UnsafeBufferPointer<UInt8>, at sign: Int) -> (Int, Int)? {
        @inline(__always) func isLocal(_ c: UInt8) -> Bool {
            ByteClass.isAlnum(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "%")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
        }
        var s = sign
        while s > 0, sign - s < 64, isLocal(buf[s - 1]) { s -= 1 }
        while s < sign, buf[s] == UInt8(ascii: ".") { s += 1 }
        guard s < sign else { return nil }
        let n = buf.count
        var j = sign + 1
        var labels = 0
        var lastLabelLetters = true
        var lastLabelLength = 0
        while j < n {
            let labelStart = j
            var letters = true
            while j < n, ByteClass.isAlnum(buf[j]) || buf[j] == UInt8(ascii: "-") {
                if !ByteClass.isAlpha(buf[j]) { letters = false }
                j += 1
            }
            guard j > labelStart else { break }
            labels += 1
            lastLabelLetters = letters
            lastLabelLength = j - labelStart
            if j + 1 < n, buf[j] == UInt8(ascii: "."), ByteClass.isAlnum(buf[j + 1]) {
                j += 1
            } else {
                break
            }
        }
        guard labels >= 2, lastLabelLetters, lastLabelLength >= 2 else { return nil }
        return (s, j)
    }

    // MARK: credentials

    /// `Bearer <token68>` / `Basic <token68>` (case-insensitive scheme): the
    /// credentials become `[token]`, the scheme stays. Not a credential: an
    /// auth-param (`Bearer realm="x"`), or one short lower-case word
    /// (`bearer of`, `basic plan`).
    private func credentials(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Span? {
        let n = buf.count
        let scheme: Int
        if matchesLower(buf, at: i, "bearer") { scheme = 6 } else if matchesLower(buf, at: i, "basic") { scheme = 5 } else {
            return nil
        }
        var j = i + scheme
        guard j < n, buf[j] == 0x20 else { return nil }
        while j < n, buf[j] == 0x20 { j += 1 }
        let tokenStart = j
        var lowerWord = true
        while j < n, ByteClass.isToken68(buf[j]) {
            if buf[j] &- 0x61 >= 26 { lowerWord = false }
            j += 1
        }
        guard j > tokenStart else { return nil }
        while j < n, buf[j] == UInt8(ascii: "=") { j += 1 }
        if j < n, ByteClass.isToken68(buf[j]) || buf[j] == UInt8(ascii: "\"") { return nil }  // auth-param
        if lowerWord, j - tokenStart <= 12 { return nil }
        if scheme == 5, j - tokenStart < 8 { return nil }
        return Span(start: tokenStart, end: j, kind: .token)
    }

    /// `eyJ` followed by base64url (≥ 10 characters in all), with any further
    /// `.segment`s: JWS, JWE and their prefixes.
    private func jwt(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Span? {
        let n = buf.count
        guard i + 2 < n, buf[i + 1] == UInt8(ascii: "y"), buf[i + 2] == UInt8(ascii: "J") else { return nil }
        var j = i
        var chars = 0
        while j < n {
            if ByteClass.isBase64URL(buf[j]) {
                chars += 1
            } else if !(buf[j] == UInt8(ascii: ".") && chars >= 3) {
                break
            }
            j += 1
        }
        while j > i, buf[j - 1] == UInt8(ascii: ".") { j -= 1 }
        guard chars >= 10 else { return nil }
        return Span(start: i, end: j, kind: .token)
    }

    private func matchesLower(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= buf.count else { return false }
        let w = word.utf8Start
        for k in 0..<count where ByteClass.lower(buf[i + k]) != w[k] { return false }
        return true
    }

    // MARK: IBAN

    /// An ISO 13616 IBAN: 15–34 alphanumerics, optionally in space-separated
    /// groups, with a valid mod-97 check. Returns the end offset.
    private func iban(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = buf.count
        var ends: [Int] = []
        var j = i, chars = 0
        while j < n, chars < 34 {
            if ByteClass.isAlnum(buf[j]) {
                chars += 1
                j += 1
            } else if buf[j] == 0x20, j + 1 < n, ByteClass.isAlnum(buf[j + 1]) {
                ends.append(j)
                j += 1
            } else {
                break
            }
        }
        if j == n || !ByteClass.isAlnum(buf[j]) { ends.append(j) }
        for end in ends.reversed() where mod97(buf, from: i, to: end) {
            return end
        }
        return nil
    }

    private func mod97(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var length = 0
        for j in start..<end where buf[j] != 0x20 { length += 1 }
        guard length >= 15 else { return false }
        var remainder = 0
        // The first four characters move to the end.
        var skipped = 0, j = start
        func feed(_ c: UInt8) {
            if ByteClass.isDigit(c) {
                remainder = (remainder * 10 + Int(c &- 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(ByteClass.upper(c) &- 0x41) + 10) % 97
            }
        }
        while skipped < 4 { if buf[j] != 0x20 { skipped += 1 }; j += 1 }
        for k in j..<end where buf[k] != 0x20 { feed(buf[k]) }
        skipped = 0
        j = start
        while skipped < 4 {
            if buf[j] != 0x20 { feed(buf[j]); skipped += 1 }
            j += 1
        }
        return remainder == 1
    }

    // MARK: NINO

    /// A UK National Insurance number: two letters, three pairs of digits and
    /// a suffix A–D, each part optionally preceded by one space
    /// (`QQ 12 34 56 C`, `QQ123456C`). Prefix letters are not checked, so
    /// example and retired prefixes are masked too. Returns the end offset.
    private func nino(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = buf.count
        var j = i + 2
        for _ in 0..<3 {
            if j < n, buf[j] == 0x20 { j += 1 }
            guard j + 1 < n, ByteClass.isDigit(buf[j]), ByteClass.isDigit(buf[j + 1]) else { return nil }
            j += 2
        }
        if j < n, buf[j] == 0x20 { j += 1 }
        guard j < n, ByteClass.lower(buf[j]) &- 0x61 < 4 else { return nil }
        j += 1
        if j < n, ByteClass.isAlnum(buf[j]) { return nil }
        return j
    }
}
