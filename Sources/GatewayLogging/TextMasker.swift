/// Masks free text: the values of secret-bearing keys written as `key=value`,
/// `key: value`, `"key": "value"`, `key="value"`, `{\"key\":\"value\"}` or
/// `<key>value</key>` become `[redacted]`, and everything else goes through
/// the `PIIMasker`.
///
/// Value extents (when in doubt, the redaction runs longer):
/// - quoted (`"…"`, `'…'`, `\"…\"`): up to the closing quote, or the end;
/// - `{…}` / `[…]`: up to the matching bracket, or the end;
/// - unquoted: up to a line break, `&`, `,`, `;`, `}`, `]`, `<` or a quote —
///   not at spaces, so `password: correct horse battery` is redacted whole;
/// - after `Authorization`, `Cookie`, `Set-Cookie` (and their variants): to the
///   end of the line, so every cookie of a jar and every credential word goes.
///
/// A key needs a separator: `password hunter2` is not recognised as a pair.
struct TextMasker: Sendable {
    var pii: PIIMasker
    var keys: SecretKeys

    init(pii: PIIMasker = PIIMasker(), keys: SecretKeys = .standard) {
        self.pii = pii
        self.keys = keys
    }

    /// One region of the input and what replaces it.
    struct Replacement {
        var start: Int
        var end: Int
        var token: [UInt8]
    }

    /// Appends `buf` masked to `out`; returns whether anything changed.
    @discardableResult
    func append(_ buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let found = replacements(in: buf)
        Self.render(buf, found, to: &out)
        return !found.isEmpty
    }

    /// The replacements `append` makes, sorted and disjoint, in offsets of `buf`: those of
    /// the text as it is and, when it may be percent-encoded, of its decoded form.
    /// `decodings` counts the percent-decodings `buf` already went through (see
    /// `maxPercentDecodings`).
    func replacements(in buf: UnsafeBufferPointer<UInt8>, decodings: Int = 0) -> [Replacement] {
        let plain = plainReplacements(in: buf)
        guard Self.mayBePercentEncoded(buf) else { return plain }
        return Self.merged(plain, decodedReplacements(in: buf, decodings: decodings))
    }

    /// The replacements of the text rules on `buf` as it is.
    func plainReplacements(in buf: UnsafeBufferPointer<UInt8>) -> [Replacement] {
        var found: [Replacement] = []
        let (secrets, personal) = Self.triggers(buf)
        guard secrets || personal else { return found }
        func gap(_ start: Int, _ end: Int) {
            guard personal, end > start else { return }
            let slice = UnsafeBufferPointer(rebasing: buf[start..<end])
            for span in pii.spans(in: slice, prechecked: start == 0 && end == buf.count) {
                var token: [UInt8] = []
                pii.appendToken(for: span, in: slice, to: &token)
                found.append(Replacement(start: start + span.start, end: start + span.end, token: token))
            }
        }
        var copied = 0
        if secrets {
            for (start, end) in secretValues(in: buf) {
                gap(copied, start)
                found.append(Replacement(start: start, end: end, token: Array("[redacted]".utf8)))
                copied = end
            }
        }
        gap(copied, buf.count)
        return found
    }

    /// One cheap pass: could a secret pattern occur (it needs `:`, `=` or
    /// `<`), could PII occur (see `PIIMasker.mayContainMatches`)?
    static func triggers(_ buf: UnsafeBufferPointer<UInt8>) -> (secrets: Bool, personal: Bool) {
        var secrets = false
        for b in buf where b == UInt8(ascii: ":") || b == UInt8(ascii: "=") || b == UInt8(ascii: "<") {
            secrets = true
            break
        }
        return (secrets, PIIMasker.mayContainMatches(buf))
    }

    /// Copies `buf` to `out` with `replacements` (sorted, disjoint) applied.
    static func render(_ buf: UnsafeBufferPointer<UInt8>, _ replacements: [Replacement], to out: inout [UInt8]) {
        var copied = 0
        for r in replacements {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[copied..<r.start]))
            out.append(contentsOf: r.token)
            copied = r.end
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[copied...]))
    }

    func mask(_ text: String) -> String {
        withUTF8Bytes(text) { buf in
            var out: [UInt8] = []
            return append(buf, to: &out) ? String(decoding: out, as: UTF8.self) : text
        }
    }

    @inline(__always) private static func isKeyByte(_ b: UInt8) -> Bool {
        ByteClass.isAlnum(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    @inline(__always) private static func isQuote(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
    }

    /// Byte ranges of secret values, sorted and disjoint.
    func secretValues(in buf: UnsafeBufferPointer<UInt8>) -> [(Int, Int)] {
        var found: [(Int, Int)] = []
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b == UInt8(ascii: "<") {
                if let (start, end) = xmlElementValue(buf, at: i) {
                    found.append((start, end))
                    i = end
                } else {
                    i += 1
                }
                continue
            }
            guard Self.isKeyByte(b) else { i += 1; continue }
            let keyStart = i
            while i < n, Self.isKeyByte(buf[i]) { i += 1 }
            let keyEnd = i
            var j = keyEnd
            if j < n, buf[j] == UInt8(ascii: "\\") { j += 1 }
            if j < n, Self.isQuote(buf[j]) { j += 1 }
            while j < n, buf[j] == 0x20 || buf[j] == 0x09 { j += 1 }
            guard j < n, buf[j] == UInt8(ascii: ":") || buf[j] == UInt8(ascii: "=") else { continue }
            if buf[j] == UInt8(ascii: ":"), j + 2 < n, buf[j + 1] == UInt8(ascii: "/"), buf[j + 2] == UInt8(ascii: "/") {
                continue  // a URL scheme
            }
            let key = UnsafeBufferPointer(rebasing: buf[keyStart..<keyEnd])
            guard keys.isSecret(key) else { continue }
            j += 1
            while j < n, buf[j] == 0x20 || buf[j] == 0x09 { j += 1 }
            let (start, end) = valueExtent(buf, from: j, toLineEnd: keys.isCredentialHeaderBytes(key))
            found.append((start, end))
            i = max(end, j)
        }
        return found
    }

    private func valueExtent(_ buf: UnsafeBufferPointer<UInt8>, from j: Int, toLineEnd: Bool) -> (Int, Int) {
        let n = buf.count
        guard j < n else { return (n, n) }
        let c = buf[j]
        if c == UInt8(ascii: "\\"), j + 1 < n, Self.isQuote(buf[j + 1]) {
            var k = j + 2
            while k + 1 < n, !(buf[k] == UInt8(ascii: "\\") && buf[k + 1] == buf[j + 1]) { k += 1 }
            return k + 1 < n ? (j + 2, k) : (j + 2, n)
        }
        if Self.isQuote(c) && !toLineEnd {
            var k = j + 1
            while k < n, buf[k] != c {
                k += buf[k] == UInt8(ascii: "\\") ? 2 : 1
            }
            return (j + 1, min(k, n))
        }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            return (j, JSONMasker.endOfValue(buf, from: j, stopAtDelimiter: false))
        }
        var k = j
        while k < n {
            let d = buf[k]
            if d == 0x0A || d == 0x0D { break }
            if !toLineEnd, d == UInt8(ascii: "&") || d == UInt8(ascii: ",") || d == UInt8(ascii: ";")
                || d == UInt8(ascii: "}") || d == UInt8(ascii: "]") || d == UInt8(ascii: "<") || Self.isQuote(d) {
                break
            }
            k += 1
        }
        return (j, k)
    }

    /// `<name …>value<`: the value of an element whose local name is secret.
    private func xmlElementValue(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, Int)? {
        let n = buf.count
        var j = i + 1
        let nameStart = j
        while j < n, Self.isKeyByte(buf[j]) || buf[j] == UInt8(ascii: ":") { j += 1 }
        guard j > nameStart, keys.isSecret(UnsafeBufferPointer(rebasing: buf[nameStart..<j])) else { return nil }
        while j < n, buf[j] != UInt8(ascii: ">"), buf[j] != UInt8(ascii: "<"), j - i < 512 { j += 1 }
        guard j < n, buf[j] == UInt8(ascii: ">"), buf[j - 1] != UInt8(ascii: "/") else { return nil }
        let start = j + 1
        var end = start
        while end < n, buf[end] != UInt8(ascii: "<") { end += 1 }
        return (start, end)
    }
}

extension SecretKeys {
    func isCredentialHeaderBytes(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        isCredentialHeader(String(decoding: name, as: UTF8.self))
    }
}
