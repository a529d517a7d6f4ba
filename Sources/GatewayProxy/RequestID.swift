import CGatewayLinux
import Glibc

/// Request ids: a caller's `X-Request-Id` is kept when it is sane (1–128
/// characters of `A-Z a-z 0-9 . _ - :`), otherwise the gateway makes one:
/// 16 hex digits of per-process randomness, the loop number and a counter —
/// unique within the process lifetime, cheap, and not guessable across restarts.
public struct RequestIDGenerator {
    private let prefix: [UInt8]
    private var counter: UInt64 = 0

    public init(loopIndex: Int) {
        var random: UInt64 = 0
        withUnsafeMutableBytes(of: &random) { _ = cgl_random_bytes($0.baseAddress, 8) }
        var p = Array(String(random, radix: 16).utf8)
        while p.count < 16 { p.insert(UInt8(ascii: "0"), at: 0) }
        p.append(UInt8(ascii: "-"))
        p.append(contentsOf: Array(String(loopIndex, radix: 16).utf8))
        p.append(UInt8(ascii: "-"))
        prefix = p
    }

    /// The next id, built in place (one allocation).
    public mutating func next() -> String {
        counter &+= 1
        let value = counter
        let digits = max(1, (UInt64.bitWidth - value.leadingZeroBitCount + 3) / 4)
        return String(unsafeUninitializedCapacity: prefix.count + digits) { out in
            for (i, byte) in prefix.enumerated() { out[i] = byte }
            let hex: StaticString = "0123456789abcdef"
            for d in 0..<digits {
                let nibble = Int((value >> UInt64(4 * (digits - 1 - d))) & 0xF)
                out[prefix.count + d] = hex.utf8Start[nibble]
            }
            return prefix.count + digits
        }
    }

    /// Whether a caller-supplied id may be kept.
    public static func isSane(_ id: String) -> Bool {
        let u = id.utf8
        guard !u.isEmpty, u.count <= 128 else { return false }
        return u.allSatisfy { c in
            (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ":")
        }
    }
}
