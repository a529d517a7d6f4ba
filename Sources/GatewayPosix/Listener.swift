import CGatewayLinux
import Glibc

/// A listening TCP socket registered with one event loop. Each loop has its
/// own listener on the same address (`SO_REUSEPORT`), so the kernel spreads
/// connections across loops without a shared accept lock.
public final class Listener: Selectable {
    public let fd: Int32
    public let loop: EventLoop
    /// The port actually bound (useful when asked for port 0).
    public let port: Int
    private let onAccept: (Int32, String) -> Void
    private var closed = false

    /// Binds and listens. `onAccept` receives each new non-blocking socket and
    /// the peer's numeric address, on the loop's thread.
    public init(address: SocketAddress, loop: EventLoop, backlog: Int32 = 1024,
                onAccept: @escaping (Int32, String) -> Void) throws(IOError) {
        let fd = cgl_listen_tcp(address.host, Int32(address.port), backlog, 1)
        if fd < 0 { throw IOError("listen on \(address)", errno: errno) }
        self.fd = fd
        self.loop = loop
        self.port = Int(cgl_local_port(fd))
        self.onAccept = onAccept
    }

    /// Whether something accepts TCP connections at `address` right now.
    public static func isAcceptingConnections(at address: SocketAddress) -> Bool {
        let fd = cgl_connect_tcp_nonblock(address.host, Int32(address.port))
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pfd, 1, 200) == 1 else { return false }
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        return err == 0
    }

    /// Starts accepting; call on the loop's thread.
    public func start() throws(IOError) {
        try loop.register(fd: fd, events: CGL_EPOLLIN, handler: self)
    }

    public func ready(events: UInt32) {
        var addressBuffer = [CChar](repeating: 0, count: 64)
        while !closed {
            let client = cgl_accept4(fd, nil, nil)
            if client < 0 {
                let err = errno
                if err == EINTR || err == ECONNABORTED { continue }
                // EAGAIN: drained. EMFILE/ENFILE: try again on the next readiness.
                return
            }
            _ = cgl_set_nodelay(client)
            let peer: String
            if cgl_peer_address(client, &addressBuffer, Int32(addressBuffer.count)) == 0 {
                peer = addressBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            } else {
                peer = "unknown"
            }
            onAccept(client, peer)
        }
    }

    /// Stops accepting and closes the socket; pending connections in the
    /// backlog are refused by the kernel.
    public func close() {
        guard !closed else { return }
        closed = true
        loop.unregister(fd: fd)
        Glibc.close(fd)
    }
}
