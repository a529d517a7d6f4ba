import GatewayHTTP
import Glibc
import Synchronization

/// An HTTP/1.1 server: one `SO_REUSEPORT` listener per event loop, connections
/// served on the loop that accepted them, a once-a-second timeout sweep, and
/// a graceful drain.
public final class HTTPServer: Sendable {
    /// What the server needs to build a per-connection delegate.
    public typealias DelegateFactory = @Sendable (HTTPServerConnection) -> HTTPServerConnectionDelegate

    public let address: SocketAddress
    /// The bound port (differs from `address.port` when that was 0).
    public let port: Int
    private let group: EventLoopGroup
    private let states: [LoopState]

    /// Per-loop state, confined to that loop.
    private final class LoopState: @unchecked Sendable {
        let loop: EventLoop
        var listener: Listener?
        var connections: [ObjectIdentifier: HTTPServerConnection] = [:]
        var draining = false
        var onDrained: (@Sendable () -> Void)?
        init(loop: EventLoop) { self.loop = loop }
    }

    /// Binds one listener per loop; throws if the address cannot be bound.
    public init(address: SocketAddress, group: EventLoopGroup, configuration: HTTPServerConfiguration = .init(),
                makeDelegate: @escaping DelegateFactory) throws(IOError) {
        self.address = address
        self.group = group
        // SO_REUSEPORT would let this process silently share a port another
        // server (an earlier instance, say) still listens on: refuse instead.
        if address.port != 0, Listener.isAcceptingConnections(at: address) {
            throw IOError("listen on \(address) (another process is already listening there)", errno: EADDRINUSE)
        }
        var states: [LoopState] = []
        var boundPort = address.port
        for loop in group.loops {
            let state = LoopState(loop: loop)
            // With port 0 every loop must share the port the first one got.
            let bindAddress = SocketAddress(host: address.host, port: boundPort)
            let listener = try Listener(address: bindAddress, loop: loop) { fd, peer in
                HTTPServer.accept(fd: fd, peer: peer, state: state, configuration: configuration,
                                  makeDelegate: makeDelegate)
            }
            boundPort = listener.port
            state.listener = listener
            states.append(state)
        }
        self.port = boundPort
        self.states = states
        for state in states {
            let loop = state.loop
            loop.execute {
                do {
                    try state.listener?.start()
                } catch {
                    Diagnostics.warn("\(loop.name) cannot accept: \(error)")
                }
                HTTPServer.scheduleSweep(state)
            }
        }
    }

    private static func accept(fd: Int32, peer: String, state: LoopState, configuration: HTTPServerConfiguration,
                               makeDelegate: DelegateFactory) {
        if state.draining {
            Glibc.close(fd)
            return
        }
        let connection = HTTPServerConnection(fd: fd, remoteAddress: peer, loop: state.loop, config: configuration)
        connection.delegate = makeDelegate(connection)
        let key = ObjectIdentifier(connection)
        connection.onClose = { [unowned state] _ in
            state.connections[key] = nil
            HTTPServer.checkDrained(state)
        }
        do {
            try connection.start()
            state.connections[key] = connection
        } catch {
            Glibc.close(fd)
        }
    }

    private static func scheduleSweep(_ state: LoopState) {
        state.loop.schedule(afterNanos: 1_000_000_000) { [weak state] in
            guard let state else { return }
            let now = state.loop.now
            for connection in Array(state.connections.values) { connection.checkTimeouts(now: now) }
            scheduleSweep(state)
        }
    }

    /// Stops accepting, closes idle connections, lets in-flight requests finish
    /// (their connections close after the response), and calls `onDrained`
    /// once every connection of every loop is gone.
    public func beginDrain(onDrained: @escaping @Sendable () -> Void) {
        let remaining = Countdown(states.count)
        for state in states {
            state.loop.execute {
                state.draining = true
                state.listener?.close()
                state.onDrained = {
                    if remaining.decrement() { onDrained() }
                }
                for connection in Array(state.connections.values) {
                    if connection.isBusy {
                        connection.closeAfterResponse = true
                    } else {
                        connection.close()
                    }
                }
                HTTPServer.checkDrained(state)
            }
        }
    }

    private static func checkDrained(_ state: LoopState) {
        guard state.draining, state.connections.isEmpty, let done = state.onDrained else { return }
        state.onDrained = nil
        done()
    }

    /// Closes every connection at once (after a drain deadline).
    public func closeAll() {
        for state in states {
            state.loop.execute {
                state.listener?.close()
                for connection in Array(state.connections.values) { connection.close() }
            }
        }
    }
}

/// A thread-safe countdown that reports when it reaches zero.
final class Countdown: Sendable {
    private let value: Atomic<Int>
    init(_ count: Int) { value = Atomic(count) }
    /// Returns true for the call that brings the count to zero.
    func decrement() -> Bool { value.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 }
}
