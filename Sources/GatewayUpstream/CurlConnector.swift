import CCurl
import CGatewayLinux
import GatewayPosix
import Glibc

/// Opens upstream connections with libcurl, on the loop's own epoll and
/// timers: one multi handle per event loop, `CURLOPT_CONNECT_ONLY` transfers
/// driven through `CURLMOPT_SOCKETFUNCTION` / `CURLMOPT_TIMERFUNCTION` →
/// epoll / loop timers → `curl_multi_socket_action`. libcurl resolves the
/// name, connects (with its connect timeout and Happy Eyeballs), and for
/// `https` does the TLS handshake and certificate checks; the connection then
/// stays libcurl's (`curl_easy_send`/`curl_easy_recv` move its bytes) until
/// `close` hands the easy handle back, which closes it.
final class CurlConnector: DeferredTask {
    let loop: EventLoop
    let multi: UnsafeMutableRawPointer
    private var sockets: [Int32: CurlSocket] = [:]
    private var timer: EventLoop.TimerID?
    /// When `timer` fires, and when libcurl wants to be called (nil: it does not).
    private var timerDeadline: Int64 = 0
    private var curlDeadline: Int64?
    private var timeoutQueued = false
    private var deferredScheduled = false
    private var pendingRemovals: [UnsafeMutableRawPointer] = []
    private var spareHandles: [UnsafeMutableRawPointer] = []
    /// Depth of calls into libcurl; removing a handle is deferred while it is non-zero.
    private var curlDepth = 0
    /// Easy handles kept for later connections.
    private let spareLimit = 64
    /// libcurl's built-in bundle of trusted authorities, for origins without their own.
    private let defaultCAFile: String?

    init(loop: EventLoop) {
        self.loop = loop
        CurlGlobal.initialize()
        multi = curl_multi_init()
        defaultCAFile = Self.builtInCAFile()
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_multi_setopt_socketcb(multi, curlSocketCallback)
        _ = ccurl_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me)
        _ = ccurl_multi_setopt_timercb(multi, curlTimerCallback)
        _ = ccurl_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me)
    }

    deinit {
        curl_multi_cleanup(multi)
        for easy in spareHandles { curl_easy_cleanup(easy) }
    }

    /// Starts connecting `connection` (its `easy` set up by `makeHandle`); it
    /// hears `connected(fd:)` or `connectFailed(_:)`, always later, never from
    /// inside this call. Retained until then.
    func connect(_ connection: UpstreamConnection) {
        let easy = connection.easy
        _ = ccurl_easy_setopt_ptr(easy, CURLOPT_PRIVATE, Unmanaged.passRetained(connection).toOpaque())
        curlDepth += 1
        let rc = curl_multi_add_handle(multi, easy)
        curlDepth -= 1
        if rc != CURLM_OK {
            loop.runSoon {
                _ = ccurl_easy_setopt_ptr(easy, CURLOPT_PRIVATE, nil)
                Unmanaged.passUnretained(connection).release()
                connection.connectFailed(.protocolError("libcurl refused the connection attempt (\(rc.rawValue))"))
            }
        }
    }

    /// An easy handle set up to connect to `origin` within `timeoutMillis`.
    func makeHandle(for origin: UpstreamOrigin, timeoutMillis: Int) -> UnsafeMutableRawPointer {
        let easy: UnsafeMutableRawPointer
        if let spare = spareHandles.popLast() {
            easy = spare
        } else {
            easy = curl_easy_init()!
            _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECT_ONLY, 1)
            _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
            _ = ccurl_easy_setopt_str(easy, CURLOPT_NOPROXY, "*")
            _ = ccurl_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
            // ALPN offers http/1.1 only: the gateway speaks HTTP/1.1 on the connection.
            _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
            // libcurl must never judge an in-use connection too old (its default is 118 s idle).
            _ = ccurl_easy_setopt_long(easy, CURLOPT_MAXAGE_CONN, Int(Int32.max))
            _ = ccurl_easy_setopt_closesocketcb(easy, curlCloseSocketCallback)
            _ = ccurl_easy_setopt_ptr(easy, CURLOPT_CLOSESOCKETDATA, Unmanaged.passUnretained(self).toOpaque())
        }
        _ = ccurl_easy_setopt_str(easy, CURLOPT_URL, origin.connectURL)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, timeoutMillis)
        // Set every time: a pooled handle may have served an origin with its own authorities.
        if let caFile = origin.caFile ?? defaultCAFile {
            _ = ccurl_easy_setopt_str(easy, CURLOPT_CAINFO, caFile)
        }
        return easy
    }

    /// The CA bundle a fresh easy handle uses (NULL in `CURLOPT_CAINFO` would
    /// remove it, not restore it).
    private static func builtInCAFile() -> String? {
        guard let easy = curl_easy_init() else { return nil }
        defer { curl_easy_cleanup(easy) }
        var pointer: UnsafeMutableRawPointer?
        guard ccurl_easy_getinfo_ptr(easy, CURLINFO_CAINFO, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer.assumingMemoryBound(to: CChar.self))
    }

    /// Closes a connection libcurl opened (or gives up an attempt), keeping the
    /// handle for later: libcurl closes the socket through `closeSocket`.
    func close(_ easy: UnsafeMutableRawPointer) {
        if curlDepth > 0 {
            pendingRemovals.append(easy)
            scheduleDeferred()
            return
        }
        var privatePointer: UnsafeMutableRawPointer?
        _ = ccurl_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &privatePointer)
        if let privatePointer {
            // Still connecting: the connector's reference goes.
            _ = ccurl_easy_setopt_ptr(easy, CURLOPT_PRIVATE, nil)
            Unmanaged<UpstreamConnection>.fromOpaque(privatePointer).release()
        }
        curlDepth += 1
        _ = curl_multi_remove_handle(multi, easy)
        curlDepth -= 1
        if spareHandles.count < spareLimit { spareHandles.append(easy) } else { curl_easy_cleanup(easy) }
    }

    // MARK: libcurl's callbacks

    /// libcurl asks the loop to watch `fd` (or to stop). A connected socket is
    /// left by libcurl once its connect-only transfer is done; its connection
    /// registers it again for its own reads and writes.
    func socketCallback(fd: Int32, what: Int32) {
        if what == CURL_POLL_REMOVE { return handOver(fd) }
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= CGL_EPOLLIN }
        if what & CURL_POLL_OUT != 0 { events |= CGL_EPOLLOUT }
        if let socket = sockets[fd], loop.handler(for: fd) === socket {
            if socket.events != events {
                socket.events = events
                loop.modify(fd: fd, events: events)
            }
            return
        }
        let socket = CurlSocket(fd: fd, connector: self, events: events)
        sockets[fd] = socket
        do {
            try loop.register(fd: fd, events: events, handler: socket)
        } catch {
            sockets[fd] = nil
        }
    }

    /// Stops watching `fd` for libcurl (its connect-only transfer is done and the
    /// connection takes the socket over). libcurl asks for that itself before it
    /// reports the transfer done; this makes the hand-over independent of it.
    func handOver(_ fd: Int32) {
        if let socket = sockets.removeValue(forKey: fd), loop.handler(for: fd) === socket { loop.unregister(fd: fd) }
    }

    /// libcurl closes one of its sockets (`CURLOPT_CLOSESOCKETFUNCTION`): whoever
    /// watches it stops first.
    func closeSocket(_ fd: Int32) {
        sockets[fd] = nil
        loop.unregister(fd: fd)
        _ = Glibc.close(fd)
    }

    /// libcurl's timer callback. The loop timer is only replaced when libcurl's
    /// deadline comes earlier; a timer that fires before the current deadline
    /// re-arms itself without calling libcurl.
    func timerCallback(timeoutMillis: Int) {
        if timeoutMillis < 0 {
            curlDeadline = nil
            return
        }
        if timeoutMillis == 0 {
            guard !timeoutQueued else { return }
            timeoutQueued = true
            scheduleDeferred()
            return
        }
        let deadline = cgl_monotonic_ns() + Int64(timeoutMillis) * 1_000_000
        curlDeadline = deadline
        if timer != nil, timerDeadline <= deadline { return }
        armTimer(at: deadline)
    }

    private func armTimer(at deadline: Int64) {
        if let timer { loop.cancel(timer) }
        timerDeadline = deadline
        timer = loop.schedule(afterNanos: deadline - cgl_monotonic_ns()) { [weak self] in
            guard let self else { return }
            self.timer = nil
            guard let wanted = self.curlDeadline else { return }
            if wanted > cgl_monotonic_ns() {
                self.armTimer(at: wanted)
                return
            }
            self.curlDeadline = nil
            self.socketAction(fd: ccurl_socket_timeout(), mask: 0)
        }
    }

    private func scheduleDeferred() {
        guard !deferredScheduled else { return }
        deferredScheduled = true
        loop.runSoon(self)
    }

    /// Deferred work: handles to remove (asked for inside a libcurl call) and
    /// libcurl's zero timeout.
    func runDeferred() {
        deferredScheduled = false
        while let easy = pendingRemovals.popLast() { close(easy) }
        if timeoutQueued {
            timeoutQueued = false
            socketAction(fd: ccurl_socket_timeout(), mask: 0)
        }
    }

    func socketAction(fd: Int32, mask: Int32) {
        var running: Int32 = 0
        curlDepth += 1
        _ = curl_multi_socket_action(multi, fd, mask, &running)
        curlDepth -= 1
        collectCompleted()
    }

    /// Hands each finished connection attempt to its connection.
    private func collectCompleted() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            var privatePointer: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &privatePointer)
            guard let privatePointer else { continue }
            _ = ccurl_easy_setopt_ptr(easy, CURLOPT_PRIVATE, nil)
            let connection = Unmanaged<UpstreamConnection>.fromOpaque(privatePointer).takeRetainedValue()
            var fd: curl_socket_t = -1
            if result == CURLE_OK, ccurl_easy_getinfo_socket(easy, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK, fd >= 0 {
                connection.connected(fd: fd)
            } else {
                connection.connectFailed(Self.failure(for: result == CURLE_OK ? CURLE_COULDNT_CONNECT : result))
            }
        }
    }

    static func failure(for code: CURLcode) -> UpstreamFailure {
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .unavailable(text)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(text)
        default:
            return .protocolError(text)
        }
    }
}

/// A socket libcurl asked the loop to watch while it connects.
final class CurlSocket: Selectable {
    let fd: Int32
    unowned let connector: CurlConnector
    var events: UInt32

    init(fd: Int32, connector: CurlConnector, events: UInt32) {
        self.fd = fd
        self.connector = connector
        self.events = events
    }

    func ready(events: UInt32) {
        var mask: Int32 = 0
        if events & CGL_EPOLLIN != 0 { mask |= CURL_CSELECT_IN }
        if events & CGL_EPOLLOUT != 0 { mask |= CURL_CSELECT_OUT }
        if events & (CGL_EPOLLERR | CGL_EPOLLHUP) != 0 { mask |= CURL_CSELECT_ERR }
        connector.socketAction(fd: fd, mask: mask)
    }
}

private let curlSocketCallback: ccurl_socket_cb = { _, fd, what, userp, _ in
    guard let userp else { return 0 }
    Unmanaged<CurlConnector>.fromOpaque(userp).takeUnretainedValue().socketCallback(fd: fd, what: what)
    return 0
}

private let curlCloseSocketCallback: ccurl_closesocket_cb = { clientp, fd in
    guard let clientp else { return Glibc.close(fd) }
    Unmanaged<CurlConnector>.fromOpaque(clientp).takeUnretainedValue().closeSocket(fd)
    return 0
}

private let curlTimerCallback: ccurl_timer_cb = { _, timeoutMillis, userp in
    guard let userp else { return 0 }
    Unmanaged<CurlConnector>.fromOpaque(userp).takeUnretainedValue().timerCallback(timeoutMillis: timeoutMillis)
    return 0
}

/// `curl_global_init`, exactly once per process, before any thread uses libcurl.
public enum CurlGlobal {
    private static let once: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    public static func initialize() { _ = once }
}
