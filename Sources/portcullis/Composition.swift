import Dispatch
import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayLogging
import GatewayOpenAPI
import GatewayPortal
import GatewayPosix
import GatewayProxy
import GatewayRateLimit
import GatewayStore
import Synchronization
import TokenService

/// Builds the pipeline (filters in order, local endpoints) from a
/// configuration, and owns the long-lived state behind it, which survives
/// reloads: the store, the worker pool, the token verifier (key ring,
/// revocation set, verified-token cache) and the token service with its
/// poller, the rate-limit buckets, the log writers.
///
/// Issuer, audience, token TTL, signing algorithm, bcrypt cost and `logs.*`
/// are read once here: changing them takes a restart.
final class Composition: @unchecked Sendable {
    let dataDirectory: String
    let metrics: GatewayMetrics
    let store: SQLiteStore
    let audit: AuditLog
    let pool: WorkerPool
    let verifier: AccessTokenVerifier
    let tokenService: TokenService
    let rateLimiter = RateLimiter()
    let rates = ClientRateTable()
    let coalescer: RefusalCoalescer
    let accessLog: LogWriter
    let debugLog: LogWriter
    let debugClients = DebugLogSwitch()
    /// Serial queue for audit appends coming from event loops.
    private let auditQueue = DispatchQueue(label: "portcullis.audit")
    private let ready = Atomic<Bool>(false)
    private let refresher: BackgroundRefresher

    /// Opens the store and the logs, loads (or creates) the signing keys and the
    /// revocation state, and starts polling the store every 250 ms so changes made
    /// by any process (CLI, another gateway) take effect here within a second.
    init(config: GatewayConfig, dataDirectory: String, metrics: GatewayMetrics) throws {
        self.dataDirectory = dataDirectory
        self.metrics = metrics
        accessLog = try LogWriter(configuration: Self.logConfiguration(config, dataDirectory, "access.log"))
        debugLog = try LogWriter(configuration: Self.logConfiguration(config, dataDirectory, "debug.log"))
        store = try SQLiteStore.open(directory: dataDirectory)
        audit = AuditLog(store)
        pool = WorkerPool(threads: 2, namePrefix: "token-worker")
        verifier = AccessTokenVerifier(
            configuration: try AccessTokenVerifier.Configuration(issuer: config.issuer, audience: config.audience),
            keys: KeyRing())
        let scopes = config.apis.flatMap { $0.operations.flatMap(\.scopes) }
            + [ClientManagementEndpoint.readScope, ClientManagementEndpoint.writeScope]
        var settings = TokenServiceConfiguration(
            issuer: config.issuer, audience: config.audience, tokenTTLSeconds: Int64(config.tokenTTLSeconds),
            signingAlgorithm: JWSAlgorithm(rawValue: config.signingAlgorithm) ?? .rs256, bcryptCost: config.bcryptCost,
            realm: config.realm, scopesSupported: scopes, dataDirectory: dataDirectory)
        settings.scopeDescriptions = ScopeCatalog.descriptions(operations: config.apis.flatMap { api in
            api.operations.map { .init(method: $0.method, path: $0.path, summary: $0.summary, scopes: $0.scopes) }
        })
        tokenService = try TokenService(configuration: settings, store: store, verifier: verifier, pool: pool)
        let rates = self.rates, debugClients = self.debugClients
        let apply: @Sendable (String, Int?, Bool, Bool) -> Void = { clientID, rpm, debugLog, active in
            rates.setRate(active ? rpm : nil, forClient: clientID)
            if debugLog && active {
                debugClients.enable(clientID: clientID)
            } else {
                debugClients.disable(clientID: clientID)
            }
        }
        // Per-client rate and debug switch follow the store without a restart: from the
        // directory poll, and at once when a client authenticates here.
        tokenService.directoryFollower.onEntry = { entry in
            apply(entry.clientID, entry.rpm, entry.debugLog, entry.status == .active)
        }
        tokenService.authenticator.onClientLoaded = { client in
            apply(client.clientID, client.rpm, client.debugLog, client.status == .active)
        }
        try tokenService.start()
        let service = tokenService
        refresher = BackgroundRefresher(intervalMillis: 250) { try service.refresh() }
        let audit = self.audit, queue = auditQueue
        // The first refusal of a window is recorded at once; the running count of
        // later ones is added every second (at most one counter update per client
        // and second) and when the window ends.
        coalescer = RefusalCoalescer(configuration: .init(countReportIntervalNanos: 1_000_000_000)) { report in
            queue.async { Composition.record(report, in: audit) }
        }
        let access = accessLog, debug = debugLog
        metrics.addCollector { Composition.logMetrics(access: access.statistics(), debug: debug.statistics()) }
    }

    /// One pipeline per configuration; the state above is shared by all of them.
    func pipeline(for config: GatewayConfig) -> ProxyPipeline {
        let filters: [ProxyFilter] = [
            BearerAuthFilter(verifier: verifier, realm: config.realm),
            RateLimitFilter(limiter: rateLimiter, rates: rates, defaultRatePerMinute: config.defaultRPM,
                            publicRatePerMinute: config.publicRPM, coalescer: coalescer),
            DebugLogFilter(writer: debugLog, clients: debugClients, bodyCap: config.logs.debugBodyBytes),
            AccessLogFilter(writer: accessLog),
        ]
        let local = Gateway.builtInRoutes(metrics: metrics) { [self] in isReady }
            + OpenAPIRoutes.localRoutes(config: config)
            + tokenService.endpoints.map { endpoint in
                switch endpoint.match {
                case .exact(let path):
                    LocalRoute(.exact(path), maxBodyBytes: endpoint.maxBodyBytes,
                               crossOriginMethods: endpoint.crossOriginMethods, responder: endpoint.responder)
                case .prefix(let path):
                    LocalRoute(.prefix(path), maxBodyBytes: endpoint.maxBodyBytes,
                               crossOriginMethods: endpoint.crossOriginMethods, responder: endpoint.responder)
                }
            }
            + [LocalRoute(.prefix(DeveloperPortal.basePath), maxBodyBytes: DeveloperPortal.maxBodyBytes,
                          responder: DeveloperPortal(service: tokenService, settings: Self.portalSettings(config)))]
        return ProxyPipeline(config: config, filters: filters, localRoutes: local)
    }

    /// Housekeeping on the control loop: coalesced rate-limit events flushed every
    /// second (so the first refusal of a window is recorded within a second), idle
    /// buckets swept every 10 s.
    func startBackgroundWork(on control: EventLoop) {
        repeatEvery(1_000_000_000, on: control) { [coalescer] in coalescer.flush(now: control.now) }
        repeatEvery(10_000_000_000, on: control) { [rateLimiter] in _ = rateLimiter.sweep(now: control.now) }
    }

    private func repeatEvery(_ nanos: Int64, on loop: EventLoop, _ work: @escaping () -> Void) {
        loop.schedule(afterNanos: nanos) { [weak self] in
            work()
            self?.repeatEvery(nanos, on: loop, work)
        }
    }

    /// The portal's view of the configuration: versions, and the first scoped GET without
    /// path parameters (in its newest version) for the quickstart.
    private static func portalSettings(_ config: GatewayConfig) -> PortalSettings {
        var settings = PortalSettings(versions: Array(Set(config.apis.flatMap { $0.versions.map(\.version) })).sorted())
        for api in config.apis {
            for op in api.operations where op.method == "GET" && !op.isPublic && !op.scopes.isEmpty && !op.path.contains("{") {
                guard let version = api.versions.last(where: { op.versions?.contains($0.version) ?? true }) else { continue }
                settings.sampleCall = .init(path: "/" + version.version + op.path, scope: op.scopes[0])
                return settings
            }
        }
        return settings
    }

    private static func logConfiguration(_ config: GatewayConfig, _ dataDirectory: String,
                                         _ name: String) throws -> LogWriterConfiguration {
        var settings: LogWriterConfiguration
        if let dir = config.logs.directory {
            settings = try LogWriterConfiguration.inDataDirectory(dir, name: name)
            settings.path = dir + "/" + name
        } else {
            settings = try LogWriterConfiguration.inDataDirectory(dataDirectory, name: name)
        }
        settings.rotateBytes = Int64(config.logs.rotateBytes)
        settings.keepFiles = max(1, config.logs.keep)
        return settings
    }

    private static func logMetrics(access: LogWriter.Statistics, debug: LogWriter.Statistics) -> String {
        var out = "# HELP portcullis_log_lines_dropped_total Log lines dropped because the disk was full or too slow.\n"
        out += "# TYPE portcullis_log_lines_dropped_total counter\n"
        out += "portcullis_log_lines_dropped_total{log=\"access\"} \(access.droppedLines)\n"
        out += "portcullis_log_lines_dropped_total{log=\"debug\"} \(debug.droppedLines)\n"
        out += "# HELP portcullis_log_write_errors_total Failed writes to log files.\n"
        out += "# TYPE portcullis_log_write_errors_total counter\n"
        out += "portcullis_log_write_errors_total{log=\"access\"} \(access.writeErrors)\n"
        out += "portcullis_log_write_errors_total{log=\"debug\"} \(debug.writeErrors)\n"
        return out
    }

    private static func record(_ report: RefusalReport, in audit: AuditLog) {
        do {
            switch report {
            case .windowOpened(let clientID, let orgID, let start, let requestID):
                _ = try audit.recordRateLimitRefusals(clientID: clientID, orgID: orgID,
                                                      windowStart: Timestamp(milliseconds: start / 1_000_000),
                                                      windowSeconds: 60, count: 1, requestID: requestID)
            case .counted(let clientID, let orgID, let start, let additional):
                _ = try audit.recordRateLimitRefusals(clientID: clientID, orgID: orgID,
                                                      windowStart: Timestamp(milliseconds: start / 1_000_000),
                                                      windowSeconds: 60, count: additional)
            }
        } catch {
            Diagnostics.warn("cannot record a rate-limit event in the audit log: \(error)")
        }
    }

    var isReady: Bool { ready.load(ordering: .relaxed) }
    func markReady() { ready.store(true, ordering: .relaxed) }
    func markDraining() { ready.store(false, ordering: .relaxed) }

    /// SIGUSR1: reopen the log files (after an external logrotate moved them).
    func reopenLogs() {
        _ = accessLog.reopen()
        _ = debugLog.reopen()
    }

    /// Stops the poller, flushes coalesced events, lets queued work finish, flushes the logs.
    func shutdown() {
        refresher.stop()
        coalescer.flushAll()
        auditQueue.sync {}
        pool.shutdown()
        accessLog.flush()
        debugLog.flush()
    }
}
