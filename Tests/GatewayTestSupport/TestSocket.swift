#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket for tests: connect or accept, send everything,
/// receive with a timeout. Not thread-safe; one owner at a time.
///
/// Every receive waits at most `timeout`, so a server that hangs fails the
/// test with `TestHTTPClientError.timeout` instead of hanging it. Sends use
/// `MSG_NOSIGNAL`, so writing to a closed peer throws instead of killing the
/// test process with SIGPIPE.
public final class TestSocket {
    public private(set) var fd: Int32
    public let timeout: Duration

    /// Adopts a connected socket.
    public init(fd: Int32, timeout: Duration) {
        self.fd = fd
        self.timeout = timeout
        var tv = timeval(tv_sec: Int(timeout.components.seconds),
                         tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        if tv.tv_sec == 0 && tv.tv_usec == 0 { tv.tv_usec = 1000 }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Connects to `host:port` (numeric address or a name such as `localhost`).
    public convenience init(host: String, port: Int, timeout: Duration) throws(TestHTTPClientError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else {
            throw .connect("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry {
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            if fd >= 0 {
                if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    self.init(fd: fd, timeout: timeout)
                    return
                }
                lastErrno = errno
                Glibc.close(fd)
            } else {
                lastErrno = errno
            }
            entry = info.pointee.ai_next
        }
        throw .connect("cannot connect to \(host):\(port): \(String(cString: strerror(lastErrno)))")
    }

    deinit { close() }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws(TestHTTPClientError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timeout("sending \(bytes.count - sent) bytes") }
                throw .io("send failed: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    /// Receives up to `maxBytes`; returns an empty array at end of stream.
    public func receive(maxBytes: Int = 65536) throws(TestHTTPClientError) -> [UInt8] {
        guard fd >= 0 else { throw .io("receive on a closed socket") }
        var buffer = [UInt8](repeating: 0, count: maxBytes)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, maxBytes, 0) }
            if n >= 0 { return Array(buffer[..<n]) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .timeout("no data from the peer within \(timeout)") }
            if errno == ECONNRESET { return [] }
            throw .io("recv failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Half-closes the connection: the peer reads end of stream.
    public func shutdownWrite() {
        if fd >= 0 { shutdown(fd, Int32(SHUT_WR)) }
    }

    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}
