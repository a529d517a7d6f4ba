import CCurl
import CGatewayLinux
import GatewayPosix
import Glibc

/// One connection to an upstream: opened by libcurl (`CurlConnector`), its
/// bytes moved by `curl_easy_send` / `curl_easy_recv` (so TLS is libcurl's
/// too), watched by the loop's epoll, and carrying one `UpstreamExchange` at a
/// time; between exchanges it waits in its client's idle pool.
///
/// It owns two buffers, kept across exchanges: `out`, the bytes being sent,
/// which stay at one address until all are sent (a TLS write that would block
/// must be retried with the same bytes), and `input`, received bytes the
/// response parser has not consumed yet.
final class UpstreamConnection: Selectable {
    enum State { case connecting, busy, idle, closed }

    enum ReceiveStep {
        /// `count` bytes arrived; `filled`: they filled the free space (more may wait).
        case bytes(count: Int, filled: Bool)
        case wouldBlock
        /// The upstream closed the connection.
        case closed
        case failed(String)
    }

    unowned let client: UpstreamHTTPClient
    let origin: UpstreamOrigin
    let easy: UnsafeMutableRawPointer
    private(set) var fd: Int32 = -1
    var state: State = .connecting
    /// The exchange on the connection (while connecting: the one waiting for it).
    var exchange: UpstreamExchange?
    /// Exchanges completed on it.
    var served = 0
    /// When it last went idle (monotonic nanoseconds).
    var idleSince: Int64 = 0
    private var events: UInt32 = 0

    private(set) var out: UnsafeMutableRawPointer
    private(set) var outCapacity: Int
    var outStart = 0
    var outEnd = 0

    private(set) var input: UnsafeMutableRawPointer
    private(set) var inputCapacity: Int
    var inputStart = 0
    var inputEnd = 0
    /// Largest the input buffer grows to hold one incomplete head.
    private let maxInput: Int

    init(client: UpstreamHTTPClient, origin: UpstreamOrigin, easy: UnsafeMutableRawPointer, maxHeadBytes: Int) {
        self.client = client
        self.origin = origin
        self.easy = easy
        outCapacity = 4096
        out = .allocate(byteCount: outCapacity, alignment: 16)
        inputCapacity = 16 * 1024
        input = .allocate(byteCount: inputCapacity, alignment: 16)
        maxInput = max(inputCapacity, maxHeadBytes + 4096)
    }

    deinit {
        out.deallocate()
        input.deallocate()
    }

    // MARK: Life cycle

    /// libcurl has connected (and for https, finished the handshake).
    func connected(fd: Int32) {
        guard state == .connecting else { return }
        guard let exchange else {
            // Its exchange gave up meanwhile. Not kept: until a first
            // `curl_easy_send` attaches it, libcurl itself may close a
            // connection it finds readable while pruning, under the pool's feet.
            close()
            return
        }
        self.fd = fd
        client.connector.handOver(fd)
        events = CGL_EPOLLIN
        do {
            try client.loop.register(fd: fd, events: events, handler: self)
        } catch {
            connectFailed(.protocolError("cannot watch the upstream connection: \(error)"))
            return
        }
        state = .busy
        exchange.connectionReady(self)
    }

    func connectFailed(_ failure: UpstreamFailure) {
        guard state == .connecting else { return }
        let waiting = exchange
        close()
        waiting?.connectionFailed(failure)
    }

    /// Closes the connection (libcurl closes the socket) and forgets its exchange.
    func close() {
        guard state != .closed else { return }
        state = .closed
        exchange = nil
        if fd >= 0 { client.loop.unregister(fd: fd) }
        client.connector.close(easy)
        fd = -1
    }

    func ready(events: UInt32) {
        switch state {
        case .idle:
            // Readable while idle: the upstream closed it (or sent what nobody asked for).
            client.discardIdle(self)
        case .busy:
            guard let exchange else { return }
            if events & CGL_EPOLLOUT != 0 { exchange.writable() }
            if events & (CGL_EPOLLIN | CGL_EPOLLERR | CGL_EPOLLHUP) != 0, self.exchange === exchange, state == .busy {
                exchange.readable()
            }
        case .connecting, .closed:
            break
        }
    }

    // MARK: Interest

    func wantWrite(_ on: Bool) { setEvents(on ? events | CGL_EPOLLOUT : events & ~CGL_EPOLLOUT) }
    func wantRead(_ on: Bool) { setEvents(on ? events | CGL_EPOLLIN : events & ~CGL_EPOLLIN) }

    private func setEvents(_ wanted: UInt32) {
        guard wanted != events, fd >= 0 else { return }
        events = wanted
        client.loop.modify(fd: fd, events: wanted)
    }

    // MARK: Sending

    /// Room for `count` bytes at `out + outEnd`; only while nothing is pending
    /// may the buffer move.
    func reserveOut(_ count: Int) {
        if outStart == outEnd {
            outStart = 0
            outEnd = 0
        }
        guard outEnd + count > outCapacity else { return }
        precondition(outStart == outEnd, "UpstreamConnection: the send buffer may not move while bytes are pending")
        out.deallocate()
        outCapacity = max(count, outCapacity * 2)
        out = .allocate(byteCount: outCapacity, alignment: 16)
    }

    /// Free bytes after the pending ones (the buffer starts over when nothing is pending).
    func roomToAppend() -> Int {
        if outStart == outEnd {
            outStart = 0
            outEnd = 0
        }
        return outCapacity - outEnd
    }

    /// Sends what `out` holds. Returns the bytes sent and nil when all went,
    /// or the bytes sent and what stopped it: `""` when the socket is full
    /// (wait for writability), else the error.
    func send() -> (sent: Int, stopped: String?) {
        var total = 0
        while outStart < outEnd {
            var n = 0
            let rc = curl_easy_send(easy, out + outStart, outEnd - outStart, &n)
            if rc == CURLE_OK {
                outStart += n
                total += n
                continue
            }
            if rc == CURLE_AGAIN { return (total, "") }
            return (total, String(cString: curl_easy_strerror(rc)))
        }
        outStart = 0
        outEnd = 0
        return (total, nil)
    }

    var hasPendingOutput: Bool { outStart < outEnd }

    // MARK: Receiving

    /// Reads into the free space after the unconsumed input.
    func receive() -> ReceiveStep {
        if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        } else if inputEnd == inputCapacity {
            if inputStart > 0 {
                memmove(input, input + inputStart, inputEnd - inputStart)   // the two ranges may overlap
                inputEnd -= inputStart
                inputStart = 0
            } else if inputCapacity < maxInput {
                let grown = UnsafeMutableRawPointer.allocate(byteCount: min(inputCapacity * 2, maxInput), alignment: 16)
                grown.copyMemory(from: input, byteCount: inputEnd)
                input.deallocate()
                input = grown
                inputCapacity = min(inputCapacity * 2, maxInput)
            } else {
                return .failed("the upstream's response head does not fit in \(maxInput) bytes")
            }
        }
        let room = inputCapacity - inputEnd
        var n = 0
        let rc = curl_easy_recv(easy, input + inputEnd, room, &n)
        if rc == CURLE_OK {
            if n == 0 { return .closed }
            inputEnd += n
            return .bytes(count: n, filled: n == room)
        }
        if rc == CURLE_AGAIN { return .wouldBlock }
        return .failed(String(cString: curl_easy_strerror(rc)))
    }

    /// The unconsumed input.
    var unconsumed: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: input + inputStart, count: inputEnd - inputStart)
    }

    var hasUnconsumedInput: Bool { inputStart < inputEnd }
}
