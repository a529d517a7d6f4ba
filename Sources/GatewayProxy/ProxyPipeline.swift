import GatewayHTTP

/// Everything a request needs that comes from configuration: the route table,
/// the filters in order, the local endpoints and the limits. Immutable; a
/// reload builds a new one and each event loop switches to it between requests.
public final class ProxyPipeline: Sendable {
    public let config: GatewayConfig
    public let routes: RouteTable
    public let filters: [ProxyFilter]
    public let localRoutes: [LocalRoute]
    /// Cross-origin access, when `cors` is configured.
    public let cors: CORSPolicy?
    /// Proxies whose `X-Forwarded-For` is believed, when `trusted_proxies` lists any.
    public let trustedProxies: TrustedProxies?
    private let exactLocal: SmallByteMap<LocalRoute>
    private let prefixLocal: [(prefix: [UInt8], route: LocalRoute)]

    public init(config: GatewayConfig, filters: [ProxyFilter], localRoutes: [LocalRoute]) {
        self.config = config
        self.routes = RouteTable(config: config)
        self.filters = filters
        self.localRoutes = localRoutes
        cors = config.cors.map(CORSPolicy.init)
        trustedProxies = config.trustedProxies.isEmpty ? nil : TrustedProxies(config.trustedProxies)
        var exact = SmallByteMap<LocalRoute>()
        var prefixes: [([UInt8], LocalRoute)] = []
        for route in localRoutes {
            switch route.match {
            case .exact(let path): if exact[path] == nil { exact[path] = route }
            case .prefix(let path): prefixes.append((Array(path.utf8), route))
            }
        }
        exactLocal = exact
        prefixLocal = prefixes
    }

    /// The local endpoint for `path`: exact paths first, then prefixes in the
    /// order given; compared on bytes, without allocating.
    func localRoute(for path: Substring) -> LocalRoute? {
        withContiguousUTF8(path) { bytes in
            if let route = exactLocal.value(for: bytes) { return route }
            for (prefix, route) in prefixLocal where LocalRoute.hasPathPrefix(bytes, prefix) { return route }
            return nil
        }
    }
}
