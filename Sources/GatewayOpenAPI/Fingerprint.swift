/// A short, stable fingerprint of a text (FNV-1a, 64 bits, 16 hex digits):
/// enough to tell configurations and cached SDKs apart, not a security hash.
public enum Fingerprint {
    public static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
