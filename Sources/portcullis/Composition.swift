import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayPosix
import GatewayProxy
import GatewayStore
import Synchronization
import TokenService

/// Builds the pipeline (filters in order, local endpoints) from a
/// configuration and owns the long-lived services behind it: the store, the
/// worker pool, the token verifier and the token service with its poller.
final class Composition: Sendable {
    let dataDirectory: String
    let metrics: GatewayMetrics
    let store: SQLiteStore
    let pool: WorkerPool
    let verifier: AccessTokenVerifier
    let tokenService: TokenService
    private let ready = Atomic<Bool>(false)
    private let refresher: BackgroundRefresher

    /// Opens the store, loads (or creates) the signing keys and the revocation state, and
    /// starts polling the store every 250 ms. Issuer, audience, TTL, algorithm and bcrypt
    /// cost are read once here: changing them takes a restart.
    init(dataDirectory: String, metrics: GatewayMetrics, config: GatewayConfig) throws {
        self.dataDirectory = dataDirectory
        self.metrics = metrics
        store = try SQLiteStore.open(directory: dataDirectory)
        pool = WorkerPool(threads: 2, namePrefix: "token-worker")
        verifier = AccessTokenVerifier(
            configuration: try AccessTokenVerifier.Configuration(issuer: config.issuer, audience: config.audience),
            keys: KeyRing())
        let scopes = config.apis.flatMap { $0.operations.flatMap(\.scopes) }
            + [ClientManagementEndpoint.readScope, ClientManagementEndpoint.writeScope]
        let settings = TokenServiceConfiguration(
            issuer: config.issuer, audience: config.audience, tokenTTLSeconds: Int64(config.tokenTTLSeconds),
            signingAlgorithm: JWSAlgorithm(rawValue: config.signingAlgorithm) ?? .rs256, bcryptCost: config.bcryptCost,
            realm: config.realm, scopesSupported: scopes, dataDirectory: dataDirectory)
        tokenService = try TokenService(configuration: settings, store: store, verifier: verifier, pool: pool)
        try tokenService.start()
        let service = tokenService
        refresher = BackgroundRefresher(intervalMillis: 250) { try service.refresh() }
    }

    func pipeline(for config: GatewayConfig) -> ProxyPipeline {
        // The proxy's bearer check is `BearerAuthFilter(verifier: verifier, realm: config.realm)`,
        // sharing `verifier` (keys and revocations kept current by the token service's poller).
        let filters: [ProxyFilter] = []
        let local = Gateway.builtInRoutes(metrics: metrics) { [self] in isReady }
            + tokenService.endpoints.map { endpoint in
                switch endpoint.match {
                case .exact(let path):
                    LocalRoute(.exact(path), maxBodyBytes: endpoint.maxBodyBytes, responder: endpoint.responder)
                case .prefix(let path):
                    LocalRoute(.prefix(path), maxBodyBytes: endpoint.maxBodyBytes, responder: endpoint.responder)
                }
            }
        return ProxyPipeline(config: config, filters: filters, localRoutes: local)
    }

    var isReady: Bool { ready.load(ordering: .relaxed) }
    func markReady() { ready.store(true, ordering: .relaxed) }
    func markDraining() { ready.store(false, ordering: .relaxed) }
    func reopenLogs() {}

    /// Stops the poller, then lets queued token-service work finish.
    func shutdown() {
        refresher.stop()
        pool.shutdown()
    }
}
