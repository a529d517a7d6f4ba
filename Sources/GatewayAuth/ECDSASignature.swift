/// Converts ECDSA P-256 signatures between OpenSSL's DER `ECDSA-Sig-Value`
/// (RFC 3279 §2.2.3) and the JOSE form, the 64-byte `r || s` of RFC 7518 §3.4.
enum ECDSASignature {
    /// Bytes of each of `r` and `s` in the JOSE form for P-256.
    static let componentSize = 32

    /// The DER encoding of a 64-byte JOSE signature, or nil when `raw` has another length.
    static func der(fromRaw raw: UnsafeRawBufferPointer) -> [UInt8]? {
        guard raw.count == 2 * componentSize else { return nil }
        let r = integer(UnsafeRawBufferPointer(rebasing: raw[0..<componentSize]))
        let s = integer(UnsafeRawBufferPointer(rebasing: raw[componentSize...]))
        var out: [UInt8] = [0x30, UInt8(r.count + s.count)]
        out.reserveCapacity(2 + r.count + s.count)
        out.append(contentsOf: r)
        out.append(contentsOf: s)
        return out
    }

    /// A DER INTEGER for the unsigned big-endian `bytes`: leading zeros dropped,
    /// one zero added back when the high bit is set.
    private static func integer(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var start = 0
        while start < bytes.count - 1, bytes[start] == 0 { start += 1 }
        let pad = bytes[start] & 0x80 != 0
        var out: [UInt8] = [0x02, UInt8(bytes.count - start + (pad ? 1 : 0))]
        if pad { out.append(0) }
        out.append(contentsOf: bytes[start...])
        return out
    }

    /// The 64-byte JOSE form of a DER signature, or nil when `der` is not a
    /// well-formed `SEQUENCE { INTEGER r, INTEGER s }` with 32-byte values.
    static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        guard der.count >= 8, der[0] == 0x30, Int(der[1]) == der.count - 2, der[1] < 0x80 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(2 * componentSize)
        var index = 2
        for _ in 0..<2 {
            guard index + 2 <= der.count, der[index] == 0x02 else { return nil }
            let length = Int(der[index + 1])
            index += 2
            guard length > 0, length < 0x80, index + length <= der.count else { return nil }
            var value = der[index..<index + length]
            index += length
            while value.count > componentSize, value.first == 0 { value = value.dropFirst() }
            guard value.count <= componentSize else { return nil }
            out.append(contentsOf: repeatElement(0, count: componentSize - value.count))
            out.append(contentsOf: value)
        }
        return index == der.count ? out : nil
    }
}
