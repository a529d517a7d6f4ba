#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A tiny threaded TCP server on 127.0.0.1 for tests: a stand-in upstream or
/// a scripted peer for a client under test.
///
/// It listens on an ephemeral port and runs `handler` on a thread of its own
/// for every accepted connection; the connection is closed when the handler
/// returns or throws. `stop()` (also run on deinit) stops accepting.
public final class TestTCPServer: Sendable {
    public let port: Int
    private let listenFD: Int32
    /// Shared with the accept thread, which must not keep the server alive.
    private final class Flag: Sendable { let stopped = Atomic(false) }
    private let flag = Flag()

    /// - Parameters:
    ///   - timeout: receive/send timeout of every accepted connection.
    ///   - handler: serves one connection; runs on its own thread.
    public init(timeout: Duration = .seconds(5),
                handler: @escaping @Sendable (TestServerConnection) throws -> Void) throws(TestHTTPClientError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(fd, address, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, address, &length) == 0
            }
        }
        guard bound else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw .io("bind/listen on 127.0.0.1: \(message)")
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))

        let flag = self.flag
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    break   // stop() shut the socket down
                }
                if flag.stopped.load(ordering: .acquiring) {
                    Glibc.close(client)
                    break
                }
                Thread.detachNewThread {
                    let connection = TestServerConnection(socket: TestSocket(fd: client, timeout: timeout))
                    try? handler(connection)
                    connection.close()
                }
            }
            Glibc.close(fd)
        }
    }

    /// Stops accepting connections; connections being served continue.
    public func stop() {
        if !flag.stopped.exchange(true, ordering: .acquiringAndReleasing) {
            shutdown(listenFD, Int32(SHUT_RDWR))
        }
    }

    deinit { stop() }
}
