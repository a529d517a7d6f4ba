/// Base64url without padding (RFC 4648 §5, RFC 7515 §2), the encoding of every
/// JOSE part and JWK member.
///
/// Decoding is strict: only the 64 URL-safe characters are accepted, no padding,
/// no whitespace, no length that leaves 6 stray bits, and the unused low bits of
/// the last character must be zero, so every byte string has exactly one encoding.
public enum Base64URL {
    @usableFromInline
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps an ASCII byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    @usableFromInline
    static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()

    /// Encodes `bytes` without padding.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` to `out` (no padding).
    public static func encode<C: Collection>(_ bytes: C, into out: inout [UInt8]) where C.Element == UInt8 {
        out.reserveCapacity(out.count + (bytes.count * 4 + 2) / 3)
        alphabet.withUnsafeBufferPointer { table in
            var it = bytes.makeIterator()
            while let b0 = it.next() {
                let b1 = it.next(), b2 = b1 == nil ? nil : it.next()
                let n = UInt32(b0) << 16 | UInt32(b1 ?? 0) << 8 | UInt32(b2 ?? 0)
                out.append(table[Int(n >> 18 & 63)])
                out.append(table[Int(n >> 12 & 63)])
                if b1 != nil { out.append(table[Int(n >> 6 & 63)]) }
                if b2 != nil { out.append(table[Int(n & 63)]) }
            }
        }
    }

    /// Decodes `text`, or returns nil when it is not canonical unpadded base64url.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        if let fast = text.utf8.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0)) }) {
            return fast
        }
        return Array(text.utf8).withUnsafeBytes { decode($0) }
    }

    /// Decodes the ASCII bytes in `input`, or returns nil when they are not canonical
    /// unpadded base64url.
    public static func decode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        let count = input.count
        let remainder = count % 4
        if remainder == 1 { return nil }
        let outputCount = count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
        var ok = true
        let out = [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
            ok = decodeTable.withUnsafeBufferPointer { table in
                var i = 0, o = 0
                while i + 4 <= count {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { return false }
                    let n = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    buffer[o] = UInt8(truncatingIfNeeded: n >> 16)
                    buffer[o + 1] = UInt8(truncatingIfNeeded: n >> 8)
                    buffer[o + 2] = UInt8(truncatingIfNeeded: n)
                    i += 4
                    o += 3
                }
                if remainder >= 2 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = remainder == 3 ? table[Int(input[i + 2])] : 0
                    // The bits past the last whole byte must be zero (canonical form).
                    if (a | b | c) & 0xC0 != 0 { return false }
                    if remainder == 2 ? b & 0x0F != 0 : c & 0x03 != 0 { return false }
                    buffer[o] = a << 2 | b >> 4
                    if remainder == 3 { buffer[o + 1] = b << 4 | c >> 2 }
                }
                return true
            }
            initialized = ok ? outputCount : 0
        }
        return ok ? out : nil
    }
}
