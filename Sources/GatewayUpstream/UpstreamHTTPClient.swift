import GatewayHTTP
import GatewayPosix

/// The upstream transport of one event loop: HTTP/1.1 exchanges framed by the
/// gateway (`UpstreamExchange`, `HTTPResponseParser`) over connections that
/// libcurl opens and carries (`CurlConnector`, `UpstreamConnection`), kept
/// alive and reused per origin. Never blocks; no thread per request.
///
/// Idle connections wait in a pool per origin, newest on top: a request takes
/// the most recently used one, which is the least likely to have been closed
/// by the upstream. An idle connection that turns readable (the upstream
/// closed it) is dropped at once; one idle longer than `maxIdleSeconds` is
/// closed rather than reused. Every exchange has a total deadline
/// (`UpstreamDeadlines`); libcurl enforces the connect timeout.
public final class UpstreamHTTPClient: UpstreamTransport {
    /// Tunables with their defaults.
    public struct Options: Sendable {
        /// Idle upstream connections kept open per loop, all origins together.
        public var maxIdleConnections = 256
        /// Idle connections older than this are closed instead of reused.
        public var maxIdleSeconds = 60
        /// Limits on an upstream's response heads (larger → 502).
        public var responseLimits = HTTPResponseParser.Limits()
        public init() {}
    }

    public let loop: EventLoop
    /// Connections opened and reused, retries, the idle pool's size.
    public let counters = UpstreamCounters()
    let options: Options
    let connector: CurlConnector
    let deadlines: UpstreamDeadlines
    /// Idle connections by origin id, oldest first.
    private var idle: [[UpstreamConnection]] = []
    private var idleCount = 0 {
        didSet { counters.setIdle(idleCount) }
    }
    private var sweepScheduled = false

    public init(loop: EventLoop, options: Options = .init()) {
        self.loop = loop
        self.options = options
        connector = CurlConnector(loop: loop)
        deadlines = UpstreamDeadlines(loop: loop)
    }

    public func start(_ request: UpstreamRequest, handler: UpstreamResponseHandler) -> UpstreamCall {
        let exchange = UpstreamExchange(client: self, request: request, handler: handler)
        if let problem = request.origin.problem {
            exchange.fail(.unavailable("the upstream URL \(request.origin.url) is not valid: it \(problem)"))
            return exchange
        }
        exchange.deadline = loop.now + Int64(request.totalTimeoutMillis) * 1_000_000
        deadlines.insert(exchange)
        if let connection = takeIdle(request.origin) {
            exchange.connectionReady(connection)
        } else {
            open(for: exchange)
        }
        exchange.started()
        return exchange
    }

    /// Starts a new connection for `exchange` (also when it retries).
    func open(for exchange: UpstreamExchange) {
        let origin = exchange.request.origin
        let easy = connector.makeHandle(for: origin, timeoutMillis: exchange.request.connectTimeoutMillis)
        let connection = UpstreamConnection(client: self, origin: origin, easy: easy,
                                            maxHeadBytes: options.responseLimits.maxHeadBytes)
        counters.countOpened()
        connection.exchange = exchange
        exchange.connectionPending(connection)
        connector.connect(connection)
    }

    // MARK: The idle pool

    private func takeIdle(_ origin: UpstreamOrigin) -> UpstreamConnection? {
        guard origin.id < idle.count, let connection = idle[origin.id].popLast() else { return nil }
        idleCount -= 1
        if loop.now - connection.idleSince > Int64(options.maxIdleSeconds) * 1_000_000_000 {
            // The newest is too old: so is every other one.
            connection.close()
            idleCount -= idle[origin.id].count
            for old in idle[origin.id] { old.close() }
            idle[origin.id].removeAll()
            return nil
        }
        connection.state = .busy
        counters.countReused()
        return connection
    }

    /// Takes back a connection whose exchange ended: idle for the next request
    /// when `reusable` and there is room, else closed.
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        connection.exchange = nil
        guard reusable, idleCount < options.maxIdleConnections, connection.state != .closed else {
            connection.close()
            return
        }
        connection.state = .idle
        connection.served += 1
        connection.idleSince = loop.now
        connection.wantWrite(false)
        connection.wantRead(true)
        let id = connection.origin.id
        if id >= idle.count { idle.append(contentsOf: repeatElement([], count: id + 1 - idle.count)) }
        idle[id].append(connection)
        idleCount += 1
        scheduleSweep()
    }

    /// An idle connection the upstream closed (or wrote to unasked).
    func discardIdle(_ connection: UpstreamConnection) {
        let id = connection.origin.id
        if id < idle.count, let index = idle[id].firstIndex(where: { $0 === connection }) {
            idle[id].remove(at: index)
            idleCount -= 1
        }
        connection.close()
    }

    /// Closes idle connections past `maxIdleSeconds`, every few seconds while any wait.
    private func scheduleSweep() {
        guard !sweepScheduled else { return }
        sweepScheduled = true
        let period = Int64(max(1, options.maxIdleSeconds / 4)) * 1_000_000_000
        loop.schedule(afterNanos: period) { [weak self] in
            guard let self else { return }
            self.sweepScheduled = false
            let limit = self.loop.now - Int64(self.options.maxIdleSeconds) * 1_000_000_000
            for id in self.idle.indices {
                while let oldest = self.idle[id].first, oldest.idleSince < limit {
                    self.idle[id].removeFirst()
                    self.idleCount -= 1
                    oldest.close()
                }
            }
            if self.idleCount > 0 { self.scheduleSweep() }
        }
    }
}
