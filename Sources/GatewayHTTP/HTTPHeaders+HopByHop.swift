extension HTTPHeaders {
    /// Fields that describe one connection, not the message, and so are never
    /// forwarded by the gateway (RFC 9110 §7.6.1, RFC 9112 §7.4 and §9.6):
    /// `Connection`, `Keep-Alive`, `Proxy-Connection` (a common non-standard
    /// relative of `Connection`), `TE`, `Trailer`, `Transfer-Encoding`,
    /// `Upgrade`, `Proxy-Authenticate`, `Proxy-Authorization` (credentials for
    /// the gateway as a proxy, never for the upstream) and `HTTP2-Settings`
    /// (only meaningful with `Upgrade`). Names are lower-case.
    public static let hopByHopFieldNames: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "proxy-authenticate", "proxy-authorization", "http2-settings",
    ]

    /// Whether `name` is one of `hopByHopFieldNames` (ASCII case-insensitive).
    public static func isHopByHop(_ name: some StringProtocol) -> Bool {
        // Most fields are not hop-by-hop: rule them out by length first.
        switch name.utf8.count {
        case 2, 7, 10, 14, 16, 17, 18, 19: break
        default: return false
        }
        return hopByHopFieldNames.contains { name.equalsIgnoringASCIICase($0) }
    }

    /// `isHopByHop` on a field name given as bytes (case-insensitive).
    public static func isHopByHop(nameBytes name: UnsafeRawBufferPointer) -> Bool {
        switch name.count {
        case 2, 7, 10, 14, 16, 17, 18, 19: break
        default: return false
        }
        for candidate in hopByHopFieldNames where candidate.utf8.count == name.count {
            var candidate = candidate
            if candidate.withUTF8({ ASCIICase.equal(name, UnsafeRawBufferPointer($0)) }) { return true }
        }
        return false
    }

    /// Removes every hop-by-hop field: those in `hopByHopFieldNames` and every
    /// field named in a `Connection` field (RFC 9110 §7.6.1).
    ///
    /// Apply it before adding the gateway's own fields: a client could
    /// otherwise name them in `Connection` and have them removed.
    public mutating func removeHopByHop() {
        guard !isEmpty else { return }
        let named = tokens(name: "Connection")
        guard fields.contains(where: { Self.isHopByHop($0.name) }) || !named.isEmpty else { return }
        removeAll { field in
            Self.isHopByHop(field.name) || named.contains { field.name.equalsIgnoringASCIICase($0) }
        }
    }

    /// A copy without hop-by-hop fields; see `removeHopByHop()`.
    public func removingHopByHop() -> HTTPHeaders {
        var copy = self
        copy.removeHopByHop()
        return copy
    }
}
