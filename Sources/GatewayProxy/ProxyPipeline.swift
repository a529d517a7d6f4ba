import GatewayHTTP

/// Everything a request needs that comes from configuration: the route table,
/// the filters in order, the local endpoints and the limits. Immutable; a
/// reload builds a new one and each event loop switches to it between requests.
public final class ProxyPipeline: Sendable {
    public let config: GatewayConfig
    public let routes: RouteTable
    public let filters: [ProxyFilter]
    public let localRoutes: [LocalRoute]

    public init(config: GatewayConfig, filters: [ProxyFilter], localRoutes: [LocalRoute]) {
        self.config = config
        self.routes = RouteTable(config: config)
        self.filters = filters
        self.localRoutes = localRoutes
    }

    func localRoute(for path: Substring) -> LocalRoute? {
        localRoutes.first { $0.matches(path) }
    }
}
