import GatewayHTTP

/// Everything a request needs that comes from configuration: the route table,
/// the filters in order, the local endpoints and the limits. Immutable; a
/// reload builds a new one and each event loop switches to it between requests.
public final class ProxyPipeline: Sendable {
    public let config: GatewayConfig
    public let routes: RouteTable
    public let filters: [ProxyFilter]
    public let localRoutes: [LocalRoute]
    private let exactLocal: [String: LocalRoute]
    private let prefixLocal: [(prefix: String, route: LocalRoute)]

    public init(config: GatewayConfig, filters: [ProxyFilter], localRoutes: [LocalRoute]) {
        self.config = config
        self.routes = RouteTable(config: config)
        self.filters = filters
        self.localRoutes = localRoutes
        var exact: [String: LocalRoute] = [:]
        var prefixes: [(String, LocalRoute)] = []
        for route in localRoutes {
            switch route.match {
            case .exact(let path): if exact[path] == nil { exact[path] = route }
            case .prefix(let path): prefixes.append((path, route))
            }
        }
        exactLocal = exact
        prefixLocal = prefixes
    }

    /// The local endpoint for `path`: exact paths first (one hash lookup), then
    /// prefixes in the order given, compared on bytes.
    func localRoute(for path: Substring) -> LocalRoute? {
        if let route = exactLocal[String(path)] { return route }
        for (prefix, route) in prefixLocal where LocalRoute.hasPathPrefix(path, prefix) { return route }
        return nil
    }
}
