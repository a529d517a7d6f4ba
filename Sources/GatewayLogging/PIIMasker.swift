/// Replaces personal data and live credentials inside one string value.
///
/// The masker is a pure value: hand-written scanners over UTF-8 bytes, no
/// regular expressions, no allocation when nothing matches. It runs on every
/// logged path and on every debug-logged body, so it is built to be fast
/// (one forward pass; detectors only fire at word starts).
///
/// What it replaces (see `docs/logging.md` for the full heuristics):
///
/// | kind | example input | output |
/// |---|---|---|
/// | e-mail address | `ann@example.com` | `[email]` |
/// | payment card, Luhn-valid, 13–19 digits, spaces or dashes allowed | `4111 1111 1111 1111` | `[card ****1111]` |
/// | IBAN (ISO 13616, mod-97 checked, spaced or not) | `GB82 WEST 1234 5698 7654 32` | `[iban]` |
/// | US SSN | `123-45-6789` | `[ssn]` |
/// | UK National Insurance number | `QQ 12 34 56 C` | `[nino]` |
/// | phone number (E.164, `00` prefix, national with leading 0, US) | `+44 20 7946 0958` | `[phone]` |
/// | UK sort code + account number | `12-34-56 12345678` | `[sort-code+account]` |
/// | sort code / account number named in words | `sort code 200000`, `account no. 55779911` | `sort code [sort-code]`, `account no. [account-number]` |
/// | bearer/basic credentials, JWT-looking strings | `Bearer abc.def`, `eyJhbGciOi…` | `Bearer [token]`, `[token]` |
///
/// Invariants: amounts (`1234.56`), dates (`2026-01-15`, `15/01/2026`), ISO
/// timestamps, invoice numbers (`INV-2026-000123`), UUIDs, short digit runs and
/// 13–19 digit numbers that fail the Luhn check stay legible. Digits glued to
/// letters or to a `word-`/`word.` prefix are identifiers, never phones.
public struct PIIMasker: Sendable {
    /// What a replaced span held.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case email, card, iban, ssn, nino, phone, sortCodeAccount, sortCode, accountNumber, token
    }

    /// One replaced region of the input, in byte offsets.
    struct Span: Equatable {
        var start: Int
        var end: Int
        var kind: Kind
    }

    public init() {}

    /// `text` with every detected value replaced; the same string when nothing matched.
    public func mask(_ text: String) -> String {
        withUTF8Bytes(text) { buf in
            let found = spans(in: buf)
            if found.isEmpty { return text }
            var out: [UInt8] = []
            out.reserveCapacity(buf.count + 16)
            render(buf, spans: found, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `bytes` (UTF-8) with every detected value replaced.
    public func mask(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { buf in
            var out: [UInt8] = []
            append(buf, to: &out)
            return out
        }
    }

    /// The kinds found in `text`, in order (for tests and diagnostics).
    public func detect(_ text: String) -> [Kind] {
        withUTF8Bytes(text) { spans(in: $0).map(\.kind) }
    }

    /// Appends `buf` with every detected value replaced to `out`.
    /// Returns whether anything was replaced.
    @discardableResult
    func append(_ buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let found = spans(in: buf)
        if found.isEmpty {
            out.append(contentsOf: buf)
            return false
        }
        render(buf, spans: found, to: &out)
        return true
    }

    /// The regions to replace, sorted and non-overlapping.
    ///
    /// - Parameter prechecked: the caller already ran `mayContainMatches` on `buf`.
    func spans(in buf: UnsafeBufferPointer<UInt8>, prechecked: Bool = false) -> [Span] {
        var found: [Span] = []
        guard prechecked || Self.mayContainMatches(buf) else { return found }
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b == UInt8(ascii: "@") {
                if let (s, e) = email(buf, at: i) {
                    push(Span(start: s, end: e, kind: .email), to: &found)
                    i = e
                } else {
                    i += 1
                }
                continue
            }
            let atWordStart = i == 0 || !ByteClass.isAlnum(buf[i - 1])
            guard atWordStart else { i += 1; continue }
            if ByteClass.isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "(") {
                if let span = number(buf, at: i) {
                    push(span, to: &found)
                    i = span.end
                    continue
                }
            } else if ByteClass.isAlpha(b) {
                // Only `b…` (bearer, basic), `eyJ…` and two letters then a digit or a
                // space (IBAN, NINO) can start a word match.
                let l = b | 0x20
                var candidate = l == UInt8(ascii: "b") || l == UInt8(ascii: "e")
                if !candidate, i + 2 < n, ByteClass.isAlpha(buf[i + 1]) {
                    candidate = ByteClass.isDigit(buf[i + 2]) || buf[i + 2] == 0x20
                }
                if candidate, let span = word(buf, at: i) {
                    push(span, to: &found)
                    i = span.end
                    continue
                }
                // `sort code …`, `account number …`, `bank account …`: bank details named in words.
                if l == UInt8(ascii: "s") || l == UInt8(ascii: "a") || l == UInt8(ascii: "b"),
                   let span = bankDetail(buf, at: i, afterSortCode: found.last?.kind == .sortCode) {
                    push(span, to: &found)
                    i = span.end
                    continue
                }
            } else {
                i += 1
                continue
            }
            // No match at this word start: skip the rest of the word.
            i += 1
            while i < n, ByteClass.isAlnum(buf[i]) { i += 1 }
        }
        return found
    }

    /// A cheap first pass: every kind needs an `@`, six digits, `eyJ`, or a
    /// `bearer `/`basic ` scheme; text with none of them is returned as is.
    static func mayContainMatches(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = 0
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b &- 0x30 < 10 {
                digits += 1
                if digits >= 6 { return true }
            } else if b == UInt8(ascii: "@") {
                return true
            } else if b == UInt8(ascii: "J") {
                if i >= 2, buf[i - 1] == UInt8(ascii: "y"), buf[i - 2] == UInt8(ascii: "e") { return true }
            } else if b == 0x20, i >= 5 {
                let last = buf[i - 1] | 0x20
                if last == UInt8(ascii: "r") || last == UInt8(ascii: "c") { return true }
            }
            i += 1
        }
        return false
    }

    /// Appends `span`, absorbing earlier spans it overlaps (an e-mail address
    /// found at its `@` may cover digits already taken for something else).
    private func push(_ span: Span, to found: inout [Span]) {
        var span = span
        while let last = found.last, last.end > span.start {
            span.start = min(span.start, last.start)
            span.end = max(span.end, last.end)
            found.removeLast()
        }
        found.append(span)
    }

    /// Copies `buf` to `out`, replacing each span by its token.
    func render(_ buf: UnsafeBufferPointer<UInt8>, spans: [Span], to out: inout [UInt8]) {
        var copied = 0
        for span in spans {
            if span.start > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[copied..<span.start])) }
            appendToken(for: span, in: buf, to: &out)
            copied = span.end
        }
        if copied < buf.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[copied...])) }
    }

    /// The replacement token of `span` (`[email]`, `[card ****1111]`, ...).
    func appendToken(for span: Span, in buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        switch span.kind {
        case .email: out.append("[email]")
        case .card:
            out.append("[card ****")
            appendLastDigits(buf, span, count: 4, to: &out)
            out.append("]")
        case .iban: out.append("[iban]")
        case .ssn: out.append("[ssn]")
        case .nino: out.append("[nino]")
        case .phone: out.append("[phone]")
        case .sortCodeAccount: out.append("[sort-code+account]")
        case .sortCode: out.append("[sort-code]")
        case .accountNumber: out.append("[account-number]")
        case .token: out.append("[token]")
        }
    }

    private func appendLastDigits(_ buf: UnsafeBufferPointer<UInt8>, _ span: Span, count: Int, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var j = span.end
        while j > span.start, digits.count < count {
            j -= 1
            if ByteClass.isDigit(buf[j]) { digits.append(buf[j]) }
        }
        out.append(contentsOf: digits.reversed())
    }
}
