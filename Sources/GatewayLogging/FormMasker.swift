/// Masks `application/x-www-form-urlencoded` bodies and query strings.
///
/// Each `name=value` pair is percent-decoded (`+` is a space) before it is
/// judged, so `client%5Fsecret=…` is still a secret and `ann%40example.com`
/// still an address. A secret name keeps its raw name and gets `=[redacted]`;
/// other values go through the `TextMasker` and, when that changed them, are
/// written back percent-encoded (only `%`, `&`, `=`, `+`, `#`, controls,
/// spaces as `+`, and non-ASCII bytes are encoded; replacement tokens stay
/// readable). Unchanged pairs are copied byte for byte. A piece without `=` is
/// masked as text.
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
        let needsDecoding = raw.contains(UInt8(ascii: "%")) || raw.contains(UInt8(ascii: "+"))
        guard needsDecoding else { return text.append(raw, to: &out) }
        let decoded = Self.percentDecode(raw, plusIsSpace: true)
        var masked: [UInt8] = []
        let changed = decoded.withUnsafeBufferPointer { text.append($0, to: &masked) }
        if changed {
            Self.percentEncode(masked, spaceAsPlus: true, to: &out)
        } else {
            out.append(contentsOf: raw)
        }
        return changed
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

    static func percentEncode(_ bytes: [UInt8], spaceAsPlus: Bool, to out: inout [UInt8]) {
        for b in bytes {
            if b == 0x20 && spaceAsPlus {
                out.append(UInt8(ascii: "+"))
            } else if b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "%") || b == UInt8(ascii: "&") || b == UInt8(ascii: "=")
                        || b == UInt8(ascii: "+") || b == UInt8(ascii: "#") || b == UInt8(ascii: "?") {
                out.append(UInt8(ascii: "%"))
                out.append(ByteClass.hexDigits[Int(b >> 4)])
                out.append(ByteClass.hexDigits[Int(b & 0xF)])
            } else {
                out.append(b)
            }
        }
    }
}
