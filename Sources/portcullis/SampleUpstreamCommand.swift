import GatewayHTTP
import GatewayPosix
import Glibc
import SampleUpstream

/// `portcullis sample-upstream --listen HOST:PORT [--version V] [--workers N]`:
/// the sample ledger service (both `v1` and `v2` shapes, or only `V`).
enum SampleUpstreamCommand {
    static func run(_ args: inout Arguments) throws -> Int32 {
        let listenText = try args.required("--listen")
        guard let address = SocketAddress(parsing: listenText) else {
            throw UsageError("--listen must be host:port, e.g. 127.0.0.1:9001")
        }
        let only = args.value("--version")
        let workers = try args.int("--workers", in: 1...64) ?? 1
        _ = args.value("--data")
        try args.finish()

        SignalWatcher.blockSignals()
        let group = try EventLoopGroup(count: workers, namePrefix: "sample")
        let service = OnlyVersion(version: only, inner: SampleLedgerService())
        let server = try HTTPServer(address: address, group: group) { _ in
            BufferedResponderHandler(responder: service)
        }
        Diagnostics.warn("sample ledger service listening on \(SocketAddress(host: address.host, port: server.port))")
        let control = try EventLoop(name: "control")
        var running = true
        let watcher = try SignalWatcher(loop: control) { signo in
            if signo == SIGTERM || signo == SIGINT { running = false }
        }
        while running { control.runOnce(timeoutMillis: 1000) }
        _ = watcher
        let done = DispatchSemaphoreLite()
        server.beginDrain { done.signal() }
        _ = done.wait(timeoutNanos: 5_000_000_000)
        group.shutdown()
        return 0
    }

    /// Serves only one version prefix when asked to.
    struct OnlyVersion: HTTPResponder {
        let version: String?
        let inner: SampleLedgerService
        func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
            if let version, !request.head.path.hasPrefix("/\(version)/") {
                done(ProblemDetails(status: 404, detail: "This instance serves /\(version) only.").response())
                return
            }
            inner.respond(to: request, done)
        }
    }
}
