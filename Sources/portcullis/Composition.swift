import GatewayHTTP
import GatewayProxy
import Synchronization

/// Builds the pipeline (filters in order, local endpoints) from a
/// configuration and owns the long-lived services behind it.
final class Composition: Sendable {
    let dataDirectory: String
    let metrics: GatewayMetrics
    private let ready = Atomic<Bool>(false)

    init(dataDirectory: String, metrics: GatewayMetrics) {
        self.dataDirectory = dataDirectory
        self.metrics = metrics
    }

    func pipeline(for config: GatewayConfig) -> ProxyPipeline {
        let filters: [ProxyFilter] = []
        let local = Gateway.builtInRoutes(metrics: metrics) { [self] in isReady }
        return ProxyPipeline(config: config, filters: filters, localRoutes: local)
    }

    var isReady: Bool { ready.load(ordering: .relaxed) }
    func markReady() { ready.store(true, ordering: .relaxed) }
    func markDraining() { ready.store(false, ordering: .relaxed) }
    func reopenLogs() {}
    func shutdown() {}
}
