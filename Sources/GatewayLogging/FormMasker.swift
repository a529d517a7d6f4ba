/// Masks `application/x-www-form-urlencoded` bodies and query strings.
///
/// Each `name=value` pair is percent-decoded (`+` is a space) before it is
/// judged, so `client%5Fsecret=…` is still a secret and `ann%40example.com`
/// still an address. A secret name keeps its raw name and gets `=[redacted]`;
/// other values go through the `TextMasker`; what it masks is replaced by its
/// token written plainly (`card=[card ****1111]`), what it leaves is copied as
/// it was encoded. A piece without `=` is masked as text.
struct FormMasker: Sendable {
    var text: TextMasker

    /// Appends the masked form data to `out`; returns whether anything changed.
    @discardableResult
    func append(_ buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        var changed = false
        var start = 0
        let n = buf.count
        while start <= n {
            var end = start
            while end < n, buf[end] != UInt8(ascii: "&") { end += 1 }
            let pair = UnsafeBufferPointer(rebasing: buf[start..<end])
            if let eq = pair.firstIndex(of: UInt8(ascii: "=")) {
                let name = UnsafeBufferPointer(rebasing: pair[..<eq])
                let value = UnsafeBufferPointer(rebasing: pair[(eq + 1)...])
                let decodedName = Self.percentDecode(name, plusIsSpace: true)
                if decodedName.withUnsafeBufferPointer({ text.keys.isSecret($0) }) {
                    out.append(contentsOf: name)
                    out.append("=[redacted]")
                    changed = true
                } else {
                    changed = component(name, to: &out) || changed
                    out.append(UInt8(ascii: "="))
                    changed = component(value, to: &out) || changed
                }
            } else {
                changed = component(pair, to: &out) || changed
            }
            if end < n { out.append(UInt8(ascii: "&")) }
            start = end + 1
        }
        return changed
    }

    /// One encoded component, masked.
    private func component(_ raw: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        Self.appendMaskedComponent(raw, plusIsSpace: true, text: text, to: &out)
    }

    /// Masks a percent-encoded component judged on its decoded form: parts
    /// that stay legible are copied as they were encoded, masked parts are
    /// replaced by their tokens written plainly (`[card ****1111]`).
    static func appendMaskedComponent(_ raw: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool, text: TextMasker,
                                      to out: inout [UInt8]) -> Bool {
        let encoded = raw.contains(UInt8(ascii: "%")) || (plusIsSpace && raw.contains(UInt8(ascii: "+")))
        guard encoded else { return text.append(raw, to: &out) }
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
        let replacements = decoded.withUnsafeBufferPointer { text.replacements(in: $0) }
        guard !replacements.isEmpty else {
            out.append(contentsOf: raw)
            return false
        }
        var copied = 0
        for r in replacements {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[copied..<origin[r.start]]))
            out.append(contentsOf: r.token)
            copied = origin[r.end]
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: raw[copied...]))
        return true
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
