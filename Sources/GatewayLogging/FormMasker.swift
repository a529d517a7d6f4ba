/// Masks `application/x-www-form-urlencoded` bodies and query strings.
///
/// Each `name=value` pair is judged on its percent-decoded form (`+` is a
/// space), so `client%5Fsecret=…` is still a secret and `ann%40example.com`
/// still an address. A secret name keeps its raw name and gets `=[redacted]`;
/// other names and values go through the `TextMasker`; what it masks is
/// replaced by its token written plainly (`card=[card ****1111]`), what it
/// leaves is copied as it was encoded. A piece without `=` is masked as text.
struct FormMasker: Sendable {
    var text: TextMasker

    /// Appends the masked form data to `out`; returns whether anything changed.
    @discardableResult
    func append(_ buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let found = replacements(in: buf)
        TextMasker.render(buf, found, to: &out)
        return !found.isEmpty
    }

    /// What masking replaces, in offsets of `buf`; empty when it stays as is.
    func replacements(in buf: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool = true) -> [TextMasker.Replacement] {
        var found: [TextMasker.Replacement] = []
        var start = 0
        let n = buf.count
        while start <= n {
            var end = start
            while end < n, buf[end] != UInt8(ascii: "&") { end += 1 }
            var eq = start
            while eq < end, buf[eq] != UInt8(ascii: "=") { eq += 1 }
            if eq < end {
                let name = UnsafeBufferPointer(rebasing: buf[start..<eq])
                if isSecretName(name) {
                    found.append(TextMasker.Replacement(start: eq + 1, end: end, token: Array("[redacted]".utf8)))
                } else {
                    Self.componentReplacements(name, offset: start, plusIsSpace: true, text: text, into: &found)
                    Self.componentReplacements(UnsafeBufferPointer(rebasing: buf[(eq + 1)..<end]), offset: eq + 1,
                                               plusIsSpace: true, text: text, into: &found)
                }
            } else {
                Self.componentReplacements(UnsafeBufferPointer(rebasing: buf[start..<end]), offset: start,
                                           plusIsSpace: true, text: text, into: &found)
            }
            start = end + 1
        }
        return found
    }

    private func isSecretName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if !name.contains(UInt8(ascii: "%")) && !name.contains(UInt8(ascii: "+")) { return text.keys.isSecret(name) }
        return Self.percentDecode(name, plusIsSpace: true).withUnsafeBufferPointer { text.keys.isSecret($0) }
    }

    /// The replacements for one percent-encoded component, judged on its
    /// decoded form and mapped back to raw offsets (shifted by `offset`).
    static func componentReplacements(_ raw: UnsafeBufferPointer<UInt8>, offset: Int, plusIsSpace: Bool,
                                      text: TextMasker, into found: inout [TextMasker.Replacement]) {
        let encoded = raw.contains(UInt8(ascii: "%")) || (plusIsSpace && raw.contains(UInt8(ascii: "+")))
        guard encoded else {
            for var r in text.replacements(in: raw) {
                r.start += offset
                r.end += offset
                found.append(r)
            }
            return
        }
        // decoded[i] came from raw[origin[i]..<origin[i + 1]].
        var decoded: [UInt8] = []
        var origin: [Int] = []
        decoded.reserveCapacity(raw.count)
        origin.reserveCapacity(raw.count + 1)
        var i = 0
        while i < raw.count {
            origin.append(i)
            let b = raw[i]
            if b == UInt8(ascii: "%"), i + 2 < raw.count, let h = ByteClass.hexValue(raw[i + 1]),
               let l = ByteClass.hexValue(raw[i + 2]) {
                decoded.append(h << 4 | l)
                i += 3
            } else {
                decoded.append(plusIsSpace && b == UInt8(ascii: "+") ? 0x20 : b)
                i += 1
            }
        }
        origin.append(raw.count)
        for var r in decoded.withUnsafeBufferPointer({ text.replacements(in: $0, decodings: 1) }) {
            r.start = origin[r.start] + offset
            r.end = origin[r.end] + offset
            found.append(r)
        }
    }

    static func percentDecode(_ raw: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            if b == UInt8(ascii: "%"), i + 2 < raw.count, let h = ByteClass.hexValue(raw[i + 1]),
               let l = ByteClass.hexValue(raw[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            }
            out.append(plusIsSpace && b == UInt8(ascii: "+") ? 0x20 : b)
            i += 1
        }
        return out
    }
}
