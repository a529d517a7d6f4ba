import GatewayHTTP
import Glibc

/// The load balancers and proxies in front of the gateway whose `X-Forwarded-For`
/// is believed (`trusted_proxies`: addresses or CIDR ranges, IPv4 and IPv6).
///
/// Without it (the default) the caller is the TCP peer and a caller's
/// `X-Forwarded-For` is replaced. With it, a request whose peer is trusted is
/// attributed to the address its chain names: the chain is walked from the right
/// while the current hop is trusted (like nginx's `real_ip_recursive`), stopping
/// at the first untrusted address or at an entry that is not an address. That
/// client address is what the access log, the per-address rate limit of public
/// operations and the token service's throttles see, and the upstream receives
/// the caller's chain with the peer appended.
public struct TrustedProxies: Sendable {
    /// An address range: `bits` leading bits of `prefix` (4 or 16 bytes).
    struct Range: Sendable, Equatable {
        var prefix: [UInt8]
        var bits: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == prefix.count else { return false }
            var remaining = bits
            for i in prefix.indices where remaining > 0 {
                let take = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
                if address[i] & mask != prefix[i] & mask { return false }
                remaining -= take
            }
            return true
        }
    }

    let ranges: [Range]

    /// Compiles `entries` (already checked with `problem(_:)`; invalid ones are skipped).
    public init(_ entries: [String]) {
        ranges = entries.compactMap(Self.range)
    }

    /// Why `entry` is not an address or a CIDR range, or nil.
    public static func problem(_ entry: String) -> String? {
        range(entry) == nil ? "must be an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8" : nil
    }

    /// Whether `address` (text) lies in a trusted range.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.parse(address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The caller behind `peer`, given the request's `X-Forwarded-For` values in order.
    public func clientAddress(peer: String, forwardedFor values: [String]) -> String {
        var candidate = peer
        let hops = values.flatMap { $0.split(separator: ",") }.map { String($0.trimmingASCIIWhitespace()) }
        for hop in hops.reversed() {
            guard contains(candidate), Self.parse(hop) != nil else { break }
            candidate = hop
        }
        return candidate
    }

    static func range(_ entry: String) -> Range? {
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = parse(String(parts[0])) else { return nil }
        let maxBits = address.count * 8
        guard parts.count == 2 else { return Range(prefix: address, bits: maxBits) }
        guard let bits = Int(parts[1]), (0...maxBits).contains(bits) else { return nil }
        return Range(prefix: address, bits: bits)
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text, or nil.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
