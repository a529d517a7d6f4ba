/// The 64-bit hash of a client id used for both the shard choice and the
/// slot in that shard's table: computed once per request.
///
/// It reads the UTF-8 bytes eight at a time and mixes with multiply and
/// xor-shift, seeded per table (a random seed at start-up), so colliding keys
/// cannot be precomputed. It is not a cryptographic hash; keys are client ids
/// the gateway issued, and its only job is to spread them. Never 0 (0 marks an
/// empty slot).
enum KeyHash {
    private static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let k1: UInt64 = 0xBF58_476D_1CE4_E5B9
    private static let k2: UInt64 = 0x94D0_49BB_1331_11EB

    @inline(__always)
    static func hash(_ key: String, seed: UInt64) -> UInt64 {
        var key = key
        let h = key.withUTF8 { bytes -> UInt64 in hash(UnsafeRawBufferPointer(bytes), seed: seed) }
        return h == 0 ? 1 : h
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* k0)
        var offset = 0
        while offset + 8 <= bytes.count {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            h = mix(h ^ tail)
        }
        return finalize(h)
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        let y = x &* k1
        return y ^ (y >> 31)
    }

    @inline(__always)
    private static func finalize(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* k1
        z = (z ^ (z >> 27)) &* k2
        return z ^ (z >> 31)
    }
}
