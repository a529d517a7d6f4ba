import GatewayHTTP

/// Hop-by-hop header rules for the proxy (RFC 9110 §7.6.1).
enum HopByHop {
    static func removing(from headers: HTTPHeaders) -> HTTPHeaders {
        headers.removingHopByHop()
    }
}
