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

    public mutating func next() -> String {
        counter &+= 1
        var bytes = prefix
        bytes.append(contentsOf: Array(String(counter, radix: 16).utf8))
        return String(decoding: bytes, as: UTF8.self)
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
