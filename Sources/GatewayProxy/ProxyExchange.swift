import CGatewayLinux
import GatewayHTTP
import GatewayPosix
import GatewayUpstream

/// One request from head to log line: the single pipeline driver. It owns the
/// order of the phases (docs/architecture.md) and the one error path (`fail(_:)`):
///
/// early filters → local endpoint or route match (404/405/410) → request
/// filters (authn, scopes, rate limit) → upstream request rewrite and filters
/// → upstream call → response rewrite and filters → body streamed back →
/// logging, exactly once.
final class ProxyExchange: UpstreamResponseHandler {
    enum Mode {
        /// Routing and filters not done yet.
        case starting
        /// Streaming to and from an upstream.
        case proxying
        /// Collecting the body for a gateway-local endpoint.
        case local(LocalRoute)
        /// Answered already (an error, or a local response); remaining body bytes are ignored.
        case answered
    }

    let context: ProxyContext
    let pipeline: ProxyPipeline
    unowned let connection: HTTPServerConnection
    let proxyLoop: ProxyLoop
    /// Told when the exchange is done (nil for a one-off answer).
    private weak var owner: ProxyConnectionHandler?

    var mode: Mode = .starting
    var call: UpstreamCall?
    var responseStarted = false
    var responsePaused = false
    var upstreamStart: Int64 = 0
    /// Answering an allowed cross-origin request: the upstream's `Access-Control-*` fields are dropped.
    var crossOrigin = false
    private var logged = false
    private var localBody: [UInt8] = []

    init(head: HTTPRequestHead, connection: HTTPServerConnection, proxyLoop: ProxyLoop,
         owner: ProxyConnectionHandler?) {
        var id = proxyLoop.requestIDs.next()
        if let given = head.headers.first(name: "X-Request-Id"), RequestIDGenerator.isSane(given) { id = given }
        let peer = connection.remoteAddress
        var client = peer, chain: String?
        if let trusted = proxyLoop.pipeline.trustedProxies, trusted.contains(peer) {
            let forwarded = head.headers.values(name: "X-Forwarded-For")
            if !forwarded.isEmpty {
                client = trusted.clientAddress(peer: peer, forwardedFor: forwarded)
                chain = forwarded.joined(separator: ", ") + ", " + peer
            }
        }
        self.context = ProxyContext(requestID: id, head: head, remoteAddress: client,
                                    startMonotonicNanos: cgl_monotonic_ns(), startUnixNanos: cgl_realtime_ns())
        if let chain { context.forwardedFor = chain }
        self.pipeline = proxyLoop.pipeline
        self.connection = connection
        self.proxyLoop = proxyLoop
        self.owner = owner
    }

    // MARK: Request side

    func start() {
        for filter in pipeline.filters {
            if let error = filter.earlyRequestFilter(context) { return fail(error) }
        }
        let head = context.head
        let path = head.path
        let local = pipeline.localRoute(for: path)
        if let cors = pipeline.cors, handleCrossOrigin(cors, origin: head.headers.first(name: "Origin"), local: local) {
            return
        }
        if let local {
            context.isLocal = true
            mode = .local(local)
            if case .contentLength(let n) = head.framing, n > local.maxBodyBytes {
                return fail(ProxyError(.payloadTooLarge, detail: "This endpoint accepts at most \(local.maxBodyBytes) bytes.",
                                       closeConnection: true))
            }
            if head.expectsContinue { connection.writeContinue() }
            return
        }
        let now = context.startUnixNanos / 1_000_000_000
        switch pipeline.routes.lookup(method: head.method, path: path, now: now) {
        case .notFound:
            identifyCaller()
            return fail(ProxyError(.notFound, detail: "No operation is declared for \(path)."))
        case .badPath(let why):
            return fail(ProxyError(.badRequest, detail: why))
        case .methodNotAllowed(let allow):
            identifyCaller()
            return fail(ProxyError(.methodNotAllowed, detail: "\(head.method) is not declared for \(path).",
                                   headers: ["Allow": allow.joined(separator: ", ")]))
        case .gone(let policy):
            context.retiredVersion = policy.version
            identifyCaller()
            addPolicyHeaders(policy)
            var extensions: [(String, String)] = []
            var detail = "Version \(policy.version) of \(policy.api) was retired"
            if let sunset = policy.sunset { detail += " on \(HTTPDate.isoDate(sunset))" }
            if let successor = policy.successor {
                detail += "; use /\(successor) instead."
                extensions.append(("successor_version", successor))
            } else {
                detail += "."
            }
            return fail(ProxyError(.gone, detail: detail, extensions: extensions))
        case .matched(let route, let policy):
            context.route = route
            context.debugLogging = route.operation.debugLog
            addPolicyHeaders(policy)
        }
        for filter in pipeline.filters {
            if let error = filter.requestFilter(context) { return fail(error) }
        }
        startUpstream()
    }

    /// CORS (`CORSPolicy`): answers a preflight, or adds the fields every answer to an
    /// allowed origin carries (and `Vary: Origin` to every answer when they depend on
    /// the origin, so a cache never hands one origin's answer to another). Endpoints
    /// that are not cross-origin (the portal, the authorization pages, health) are left
    /// alone. Returns whether the request was answered.
    private func handleCrossOrigin(_ cors: CORSPolicy, origin: String?, local: LocalRoute?) -> Bool {
        let head = context.head
        if let local, local.crossOriginMethods.isEmpty { return false }
        guard let origin else {
            if cors.variesByOrigin { context.responseHeaders.add(name: "Vary", value: "Origin") }
            return false
        }
        let allowOrigin = cors.allowOrigin(for: origin)
        guard head.method == "OPTIONS", let requested = head.headers.first(name: "Access-Control-Request-Method") else {
            guard let allowOrigin else {
                if cors.variesByOrigin { context.responseHeaders.add(name: "Vary", value: "Origin") }
                return false
            }
            for (name, value) in cors.responseFields(allowOrigin: allowOrigin) {
                context.responseHeaders.add(name: name, value: value)
            }
            crossOrigin = true
            return false
        }
        // A preflight: answered here, before authentication (browsers send no credentials with it).
        mode = .answered
        guard let allowOrigin else {
            fail(ProxyError(.forbidden, detail: "The origin \(origin) may not call this gateway from a browser; "
                                + "an administrator can list it under cors.allowed_origins."))
            return true
        }
        if let local {
            guard local.crossOriginMethods.contains(requested) else {
                fail(ProxyError(.forbidden, detail: "\(requested) is not allowed cross-origin on \(head.path)."))
                return true
            }
        } else {
            switch pipeline.routes.lookup(method: requested, path: head.path, now: context.startUnixNanos / 1_000_000_000) {
            case .matched, .gone: break
            case .notFound: fail(ProxyError(.notFound, detail: "No operation is declared for \(head.path).")); return true
            case .badPath(let why): fail(ProxyError(.badRequest, detail: why)); return true
            case .methodNotAllowed:
                fail(ProxyError(.forbidden, detail: "\(requested) is not declared for \(head.path)."))
                return true
            }
        }
        var answer = HTTPResponseHead(status: 204)
        for (name, value) in cors.preflightFields(allowOrigin: allowOrigin, method: requested) {
            answer.headers.add(name: name, value: value)
        }
        writeComplete(head: &answer, body: [])
        return true
    }

    /// Lets the filters name the caller of a request no operation answers (logs only).
    private func identifyCaller() {
        for filter in pipeline.filters { filter.identifyCaller(context) }
    }

    private func addPolicyHeaders(_ policy: RouteTable.VersionPolicy) {
        for (name, value) in policy.headers { context.responseHeaders.add(name: name, value: value) }
    }

    func requestBody(_ chunk: UnsafeRawBufferPointer) {
        context.bytesIn += chunk.count
        switch mode {
        case .proxying:
            for filter in pipeline.filters { filter.requestBodyFilter(context, chunk: chunk) }
            guard let call else { return }
            call.sendBody(chunk)
            if call.pendingRequestBodyBytes > 256 * 1024 { connection.pauseReading() }
        case .local(let route):
            if localBody.count + chunk.count > route.maxBodyBytes {
                return fail(ProxyError(.payloadTooLarge, detail: "This endpoint accepts at most \(route.maxBodyBytes) bytes.",
                                       closeConnection: true))
            }
            localBody.append(contentsOf: chunk)
        case .starting, .answered:
            break
        }
    }

    func requestEnd() {
        switch mode {
        case .proxying: call?.finishBody()
        case .local(let route): runLocal(route)
        case .starting, .answered: break
        }
    }

    func upstreamDidDrainRequestBody() {
        connection.resumeReading()
    }

    func parseFailed(_ error: HTTPParseError) {
        call?.cancel()
        call = nil
        if responseStarted {
            connection.close()
            return
        }
        mode = .starting
        fail(ProxyError(Self.kind(for: error), detail: error.reason, closeConnection: true))
    }

    static func kind(for error: HTTPParseError) -> ProxyError.Kind {
        switch error.status {
        case 413: .payloadTooLarge
        case 414: .uriTooLong
        case 431: .headersTooLarge
        default: .badRequest
        }
    }

    /// Answers a request whose head could not be parsed (no exchange exists yet).
    static func answerUnparsable(_ error: HTTPParseError, connection: HTTPServerConnection, proxyLoop: ProxyLoop) {
        let head = HTTPRequestHead(method: "-", target: "-", version: .http1_1)
        let exchange = ProxyExchange(head: head, connection: connection, proxyLoop: proxyLoop, owner: nil)
        exchange.fail(ProxyError(kind(for: error), detail: error.reason, closeConnection: true))
    }

    // MARK: Local endpoints

    private func runLocal(_ route: LocalRoute) {
        mode = .answered
        let request = HTTPServerRequest(head: context.head, body: localBody, remoteAddress: context.remoteAddress,
                                        requestID: context.requestID)
        localBody = []
        let loop = proxyLoop.loop
        let bound = LoopBound(value: self)
        route.responder.respond(to: request) { response in
            if loop.inEventLoop {
                bound.value.writeLocal(response)
            } else {
                loop.execute { bound.value.writeLocal(response) }
            }
        }
    }

    private func writeLocal(_ response: HTTPServerResponse) {
        guard !logged, !connection.isClosed else { return }
        var head = HTTPResponseHead(status: response.status, headers: response.headers)
        writeComplete(head: &head, body: response.body)
    }

    // MARK: Finishing

    /// The one error path: every gateway-made failure is answered here.
    func fail(_ error: ProxyError) {
        context.error = error
        if error.source == .upstream { proxyLoop.metrics.recordUpstreamFailure(error.kind) }
        call?.cancel()
        call = nil
        mode = .answered
        guard !responseStarted, !connection.isClosed else {
            connection.close()
            finish()
            return
        }
        var head = HTTPResponseHead(status: error.status, headers: error.headers)
        head.headers.replaceOrAdd(name: "Content-Type", value: ProblemDetails.contentType)
        if error.closeConnection { connection.closeAfterResponse = true }
        writeComplete(head: &head, body: error.problem.json)
    }

    /// Writes a whole response the gateway made (an error or a local answer).
    private func writeComplete(head: inout HTTPResponseHead, body: [UInt8]) {
        for field in context.responseHeaders { head.headers.add(name: field.name, value: field.value) }
        head.headers.replaceOrAdd(name: "X-Request-Id", value: context.requestID)
        for filter in pipeline.filters { filter.responseFilter(context, head: &head) }
        context.status = head.status
        responseStarted = true
        let framing: ResponseFraming = HTTPStatus.forbidsBody(head.status) ? .none : .contentLength(body.count)
        connection.writeResponseHead(head, framing: framing)
        if framing != .none {
            body.withUnsafeBytes { bytes in
                for filter in pipeline.filters { filter.responseBodyFilter(context, chunk: bytes) }
            }
            connection.writeBody(body)
            if context.head.method != "HEAD" { context.bytesOut += body.count }  // HEAD: the connection drops it
        }
        connection.endResponse()
        finish()
    }

    /// Logs once and releases the exchange.
    func finish() {
        guard !logged else { return }
        logged = true
        context.endMonotonicNanos = cgl_monotonic_ns()
        if context.status == 0 { context.status = 499 }
        for filter in pipeline.filters { filter.logging(context) }
        proxyLoop.metrics.record(status: context.status, totalNanos: context.totalNanos)
        owner?.exchangeDone(self)
    }

    func downstreamClosed() {
        call?.cancel()
        call = nil
        if !logged {
            if !responseStarted { context.status = 499 }
            finish()
        }
    }
}
