import GatewayHTTP
import GatewayPosix
import GatewayUpstream

/// The running proxy: event loops, one listener and one upstream client (its
/// libcurl multi handle included) per loop, and the pipeline they serve with.
public final class Gateway: Sendable {
    public let group: EventLoopGroup
    public let server: HTTPServer
    public let metrics: GatewayMetrics
    private let proxyLoops: LoopTable

    /// Per-loop proxy state, looked up by loop. Immutable after init; each
    /// `ProxyLoop` is only used on its own loop.
    private struct LoopTable: @unchecked Sendable {
        var byLoop: [ObjectIdentifier: ProxyLoop]
    }

    /// Starts the loops and binds the listeners. Throws when the address cannot be bound.
    public init(pipeline: ProxyPipeline, metrics: GatewayMetrics = GatewayMetrics()) throws(IOError) {
        let config = pipeline.config
        let group = try EventLoopGroup(count: config.workers ?? EventLoopGroup.defaultCount)
        var table: [ObjectIdentifier: ProxyLoop] = [:]
        var counters: [UpstreamCounters] = []
        for (index, loop) in group.loops.enumerated() {
            let client = UpstreamHTTPClient(loop: loop)
            counters.append(client.counters)
            table[ObjectIdentifier(loop)] = ProxyLoop(loop: loop, index: index, transport: client,
                                                      pipeline: pipeline, metrics: metrics.makeShard())
        }
        metrics.addCollector { [counters] in Self.upstreamMetrics(counters) }
        let loops = LoopTable(byLoop: table)
        var serverConfig = HTTPServerConfiguration()
        serverConfig.parserLimits.maxBodyBytes = config.maxBodyBytes
        serverConfig.headerTimeoutNanos = Int64(config.headerTimeoutSeconds) * 1_000_000_000
        serverConfig.idleTimeoutNanos = Int64(config.idleTimeoutSeconds) * 1_000_000_000
        do {
            server = try HTTPServer(address: config.listen, group: group, configuration: serverConfig) { connection in
                ProxyConnectionHandler(proxyLoop: loops.byLoop[ObjectIdentifier(connection.loop)]!)
            }
        } catch {
            group.shutdown()
            throw error
        }
        self.group = group
        self.metrics = metrics
        self.proxyLoops = loops
    }

    public var port: Int { server.port }

    /// The upstream clients' connection counters, summed over the loops.
    static func upstreamMetrics(_ counters: [UpstreamCounters]) -> String {
        func sum(_ pick: (UpstreamCounters) -> Int) -> Int { counters.reduce(0) { $0 + pick($1) } }
        return """
        # HELP portcullis_upstream_connections_opened_total Upstream connections opened.
        # TYPE portcullis_upstream_connections_opened_total counter
        portcullis_upstream_connections_opened_total \(sum(\.connectionsOpened))
        # HELP portcullis_upstream_connections_reused_total Upstream calls that took an idle connection.
        # TYPE portcullis_upstream_connections_reused_total counter
        portcullis_upstream_connections_reused_total \(sum(\.connectionsReused))
        # HELP portcullis_upstream_retries_total Requests sent again after a reused connection closed under them.
        # TYPE portcullis_upstream_retries_total counter
        portcullis_upstream_retries_total \(sum(\.retries))
        # HELP portcullis_upstream_idle_connections Upstream connections waiting to be reused.
        # TYPE portcullis_upstream_idle_connections gauge
        portcullis_upstream_idle_connections \(sum(\.idleConnections))

        """
    }

    /// Switches every loop to `pipeline`. Requests already in flight finish
    /// with the pipeline they started with.
    public func reload(_ pipeline: ProxyPipeline) {
        for (_, proxyLoop) in proxyLoops.byLoop {
            let bound = LoopBound(value: proxyLoop)
            proxyLoop.loop.execute { bound.value.pipeline = pipeline }
        }
    }

    /// Stops accepting and waits for in-flight requests, at most `timeoutNanos`;
    /// then closes what is left and stops the loops.
    public func drainAndStop(timeoutNanos: Int64 = 30_000_000_000) {
        let done = DispatchSemaphoreLite()
        server.beginDrain { done.signal() }
        if !done.wait(timeoutNanos: timeoutNanos) {
            server.closeAll()
            _ = done.wait(timeoutNanos: 1_000_000_000)
        }
        group.shutdown()
    }

    /// The gateway's own health and metrics endpoints: `GET` and `HEAD`;
    /// other methods get 405 with `Allow`.
    public static func builtInRoutes(metrics: GatewayMetrics, ready: @escaping @Sendable () -> Bool) -> [LocalRoute] {
        [
            LocalRoute(.exact("/healthz"), responder: readOnly { _ in
                HTTPServerResponse(status: 200, contentType: "application/json", body: "{\"status\":\"ok\"}")
            }),
            LocalRoute(.exact("/readyz"), responder: readOnly { _ in
                ready() ? HTTPServerResponse(status: 200, contentType: "application/json", body: "{\"status\":\"ready\"}")
                    : ProblemDetails(status: 503, detail: "The gateway is starting or draining.").response()
            }),
            LocalRoute(.exact("/metrics"), responder: readOnly { _ in
                HTTPServerResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                   body: metrics.render())
            }),
        ]
    }

    /// A responder answering `GET` and `HEAD` with `body`, anything else with 405.
    private static func readOnly(_ body: @escaping @Sendable (HTTPServerRequest) -> HTTPServerResponse) -> ClosureResponder {
        ClosureResponder { request in
            guard request.head.method == "GET" || request.head.method == "HEAD" else {
                return ProblemDetails(status: 405, detail: "Use GET.").response(headers: ["Allow": "GET, HEAD"])
            }
            return body(request)
        }
    }
}
