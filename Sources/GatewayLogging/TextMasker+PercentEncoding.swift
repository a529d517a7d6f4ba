/// Personal data and secrets inside URLs written in text — a `Referer` or `Location`
/// header, a `next` link in a JSON body, an upstream echoing the request target — travel
/// percent-encoded (`ann%40example.com`, `4111%201111…`, `card=4111+1111+…`,
/// `client%5Fsecret=…`), which the text rules alone do not recognise. Such text is also
/// judged on its decoded form, and what that finds is masked in the raw text.
///
/// Decoding is applied again to what it produced (`%2540` → `%40` → `@`), but at most
/// `maxPercentDecodings` times: every layer costs a pass over the text, and a request
/// target of nested `%25`s would otherwise cost one pass per two bytes (quadratic work
/// and recursion on every logged request). Text still percent-encoded after that many
/// decodings is replaced whole by `[redacted]`: nothing legitimate nests that deep.
extension TextMasker {
    /// Percent-decodings applied to one piece of text before it counts as hiding something.
    static let maxPercentDecodings = 4

    /// Whether `buf` may hold percent-encoded data: a `%XX` escape, or a `+` in a
    /// `key=value` context (form encoding's space).
    static func mayBePercentEncoded(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var plus = false, equals = false
        var i = 0
        while i < buf.count {
            switch buf[i] {
            case UInt8(ascii: "%"):
                if i + 2 < buf.count, ByteClass.hexValue(buf[i + 1]) != nil, ByteClass.hexValue(buf[i + 2]) != nil {
                    return true
                }
            case UInt8(ascii: "+"): plus = true
            case UInt8(ascii: "="): equals = true
            default: break
            }
            i += 1
        }
        return plus && equals
    }

    /// The replacements found in the percent-decoded form of `buf` (`+` as a space),
    /// mapped back to offsets of `buf`; empty when decoding changes nothing. `decodings`
    /// is how often `buf` was decoded already; at `maxPercentDecodings` the whole of
    /// `buf` is redacted instead of decoded again.
    func decodedReplacements(in buf: UnsafeBufferPointer<UInt8>, decodings: Int = 0) -> [Replacement] {
        // decoded[k] came from buf[origin[k]..<origin[k + 1]].
        var decoded: [UInt8] = []
        var origin: [Int] = []
        decoded.reserveCapacity(buf.count)
        origin.reserveCapacity(buf.count + 1)
        var changed = false
        var i = 0
        while i < buf.count {
            origin.append(i)
            let b = buf[i]
            if b == UInt8(ascii: "%"), i + 2 < buf.count, let h = ByteClass.hexValue(buf[i + 1]),
               let l = ByteClass.hexValue(buf[i + 2]) {
                decoded.append(h << 4 | l)
                i += 3
                changed = true
            } else if b == UInt8(ascii: "+") {
                decoded.append(0x20)
                i += 1
                changed = true
            } else {
                decoded.append(b)
                i += 1
            }
        }
        origin.append(buf.count)
        guard changed else { return [] }
        guard decodings < Self.maxPercentDecodings else {
            return [Replacement(start: 0, end: buf.count, token: Array("[redacted]".utf8))]
        }
        return decoded.withUnsafeBufferPointer { replacements(in: $0, decodings: decodings + 1) }.map { r in
            Replacement(start: origin[r.start], end: origin[r.end], token: r.token)
        }
    }

    /// `a` ∪ `b` (each sorted and disjoint) as one sorted, disjoint list: overlapping
    /// replacements merge into one covering both, with the first one's token.
    static func merged(_ a: [Replacement], _ b: [Replacement]) -> [Replacement] {
        guard !b.isEmpty else { return a }
        guard !a.isEmpty else { return b }
        var out: [Replacement] = []
        out.reserveCapacity(a.count + b.count)
        for r in (a + b).sorted(by: { $0.start < $1.start || ($0.start == $1.start && $0.end > $1.end) }) {
            if let last = out.last, r.start < last.end {
                out[out.count - 1].end = max(last.end, r.end)
            } else {
                out.append(r)
            }
        }
        return out
    }
}
