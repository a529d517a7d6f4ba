import CCurl
import CGatewayLinux
import GatewayPosix
import Glibc

/// The upstream transport: one libcurl multi handle per event loop, driven by
/// the loop's own epoll and timers (`CURLMOPT_SOCKETFUNCTION` and
/// `CURLMOPT_TIMERFUNCTION` → epoll / timerfd → `curl_multi_socket_action`).
/// Never blocks; never uses a thread per request. Easy handles are pooled and
/// connections to upstreams are kept alive and reused by the multi handle.
public final class CurlMultiTransport: UpstreamTransport, DeferredTask {
    public let loop: EventLoop
    let multi: UnsafeMutableRawPointer
    private var sockets: [Int32: CurlSocket] = [:]
    private var timer: EventLoop.TimerID?
    /// When `timer` fires, and when libcurl wants to be called (nil: it does not).
    private var timerDeadline: Int64 = 0
    private var curlDeadline: Int64?
    private var timeoutQueued = false
    private var pendingRecycles: [CurlEasyHandle] = []
    private var deferredScheduled = false
    private var idleHandles: [CurlEasyHandle] = []
    /// Depth of calls into libcurl; work that libcurl forbids inside its
    /// callbacks (removing a handle) is deferred while it is non-zero.
    var curlDepth = 0

    /// Tunables with their defaults.
    public struct Options: Sendable {
        /// Idle upstream connections kept open per loop (`CURLMOPT_MAXCONNECTS`).
        public var maxIdleConnections = 256
        /// Easy handles kept for reuse.
        public var pooledHandles = 256
        public init() {}
    }
    private let options: Options

    public init(loop: EventLoop, options: Options = .init()) {
        self.loop = loop
        self.options = options
        CurlGlobal.initialize()
        multi = curl_multi_init()
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_multi_setopt_socketcb(multi, curlSocketCallback)
        _ = ccurl_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me)
        _ = ccurl_multi_setopt_timercb(multi, curlTimerCallback)
        _ = ccurl_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, options.maxIdleConnections)
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    public func start(_ request: UpstreamRequest, handler: UpstreamResponseHandler) -> UpstreamCall {
        let handle = idleHandles.popLast()
            ?? CurlEasyHandle(closeSocket: curlCloseSocketCallback, context: Unmanaged.passUnretained(self).toOpaque())
        let transfer = CurlTransfer(transport: self, handle: handle, handler: handler)
        guard transfer.configure(request) else {
            transfer.release()
            idleHandles.append(handle)
            loop.runSoon { handler.upstreamDidFail(.unavailable("the upstream URL \(request.url) is not valid")) }
            return transfer
        }
        curlDepth += 1
        let rc = curl_multi_add_handle(multi, handle.easy)
        curlDepth -= 1
        if rc != CURLM_OK {
            transfer.release()
            loop.runSoon { handler.upstreamDidFail(.protocolError("cannot start transfer: \(rc)")) }
        }
        return transfer
    }

    // MARK: libcurl callbacks

    /// libcurl's socket callback. `CURL_POLL_REMOVE` on a TCP connection usually
    /// means the connection went back to libcurl's cache, and the next transfer
    /// takes it again: the socket stays registered, for reading only ("parked"),
    /// so that reuse costs no `epoll_ctl` at all. A parked socket is dropped when
    /// libcurl closes it (`closeSocket`, libcurl's close callback) or when it turns
    /// readable while parked (the upstream closed it; libcurl finds it dead on its
    /// next reuse). Other sockets (a resolver's socket pair, which libcurl closes
    /// without the callback) are unregistered at once, as libcurl asks.
    func socketCallback(fd: Int32, what: Int32) {
        if what == CURL_POLL_REMOVE {
            guard let socket = sockets[fd], loop.handler(for: fd) === socket else {
                sockets[fd] = nil
                return
            }
            guard socket.parkable else {
                sockets[fd] = nil
                loop.unregister(fd: fd)
                return
            }
            socket.parked = true
            if socket.events != CGL_EPOLLIN {
                socket.events = CGL_EPOLLIN
                loop.modify(fd: fd, events: CGL_EPOLLIN)
            }
            return
        }
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= CGL_EPOLLIN }
        if what & CURL_POLL_OUT != 0 { events |= CGL_EPOLLOUT }
        if let socket = sockets[fd], loop.handler(for: fd) === socket {
            socket.parked = false
            if socket.events != events {
                socket.events = events
                loop.modify(fd: fd, events: events)
            }
            return
        }
        let socket = CurlSocket(fd: fd, transport: self, events: events, parkable: Self.isTCP(fd))
        sockets[fd] = socket
        do {
            try loop.register(fd: fd, events: events, handler: socket)
        } catch {
            sockets[fd] = nil
        }
    }

    /// libcurl closes one of its sockets (`CURLOPT_CLOSESOCKETFUNCTION`): forget it first.
    func closeSocket(_ fd: Int32) {
        forget(fd)
        _ = Glibc.close(fd)
    }

    /// Stops watching `fd` for libcurl.
    func forget(_ fd: Int32) {
        if let socket = sockets.removeValue(forKey: fd), loop.handler(for: fd) === socket {
            loop.unregister(fd: fd)
        }
    }

    /// Whether `fd` is a TCP socket: libcurl closes those through `closeSocket`.
    private static func isTCP(_ fd: Int32) -> Bool {
        var domain: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) == 0 else { return false }
        return domain == AF_INET || domain == AF_INET6
    }

    /// libcurl's timer callback. libcurl moves its deadline on nearly every
    /// transfer (usually later: a new transfer's total timeout), so the loop timer
    /// is only replaced when the deadline comes earlier; a timer that fires before
    /// the current deadline re-arms itself without calling libcurl.
    func timerCallback(timeoutMillis: Int) {
        if timeoutMillis < 0 {
            curlDeadline = nil
            return
        }
        if timeoutMillis == 0 {
            // Run at once; the deadline libcurl set before stays armed (it reports
            // its next one after this run; a call at a stale deadline is harmless).
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
                self.armTimer(at: wanted)   // libcurl moved its deadline later meanwhile
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

    /// Deferred work: handles to detach (finished inside a libcurl callback) and
    /// libcurl's zero timeout (it asked to be called again at once).
    public func runDeferred() {
        deferredScheduled = false
        while let handle = pendingRecycles.popLast() { recycle(handle) }
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

    private func collectCompleted() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            var privatePointer: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &privatePointer)
            guard let privatePointer else { continue }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(privatePointer).takeUnretainedValue()
            transfer.complete(result)
        }
    }

    /// Detaches a finished or cancelled transfer's handle and keeps it for reuse.
    func recycle(_ handle: CurlEasyHandle) {
        if curlDepth > 0 {
            // Not inside a libcurl callback: after the current batch of events.
            pendingRecycles.append(handle)
            scheduleDeferred()
            return
        }
        curlDepth += 1
        _ = curl_multi_remove_handle(multi, handle.easy)
        curlDepth -= 1
        if idleHandles.count < options.pooledHandles { idleHandles.append(handle) }
    }

    /// Un-pauses a transfer (outside libcurl callbacks).
    func setPause(_ easy: UnsafeMutableRawPointer, bitmask: Int32) {
        curlDepth += 1
        _ = curl_easy_pause(easy, bitmask)
        curlDepth -= 1
        collectCompleted()
    }
}

/// One socket libcurl asked the loop to watch.
final class CurlSocket: Selectable {
    let fd: Int32
    unowned let transport: CurlMultiTransport
    var events: UInt32
    /// A TCP connection: kept registered while libcurl does not watch it.
    let parkable: Bool
    /// libcurl does not watch it now (an idle connection in its cache).
    var parked = false

    init(fd: Int32, transport: CurlMultiTransport, events: UInt32, parkable: Bool) {
        self.fd = fd
        self.transport = transport
        self.events = events
        self.parkable = parkable
    }

    func ready(events: UInt32) {
        if parked {
            // An idle connection turned readable: the upstream closed it (or sent
            // what nobody asked for). libcurl finds it dead when it next tries it.
            transport.forget(fd)
            return
        }
        var mask: Int32 = 0
        if events & CGL_EPOLLIN != 0 { mask |= CURL_CSELECT_IN }
        if events & CGL_EPOLLOUT != 0 { mask |= CURL_CSELECT_OUT }
        if events & (CGL_EPOLLERR | CGL_EPOLLHUP) != 0 { mask |= CURL_CSELECT_ERR }
        transport.socketAction(fd: fd, mask: mask)
    }
}

private let curlSocketCallback: ccurl_socket_cb = { _, fd, what, userp, _ in
    guard let userp else { return 0 }
    Unmanaged<CurlMultiTransport>.fromOpaque(userp).takeUnretainedValue().socketCallback(fd: fd, what: what)
    return 0
}

private let curlCloseSocketCallback: ccurl_closesocket_cb = { clientp, fd in
    guard let clientp else { return Glibc.close(fd) }
    Unmanaged<CurlMultiTransport>.fromOpaque(clientp).takeUnretainedValue().closeSocket(fd)
    return 0
}

private let curlTimerCallback: ccurl_timer_cb = { _, timeoutMillis, userp in
    guard let userp else { return 0 }
    Unmanaged<CurlMultiTransport>.fromOpaque(userp).takeUnretainedValue()
        .timerCallback(timeoutMillis: timeoutMillis)
    return 0
}

/// `curl_global_init`, exactly once per process, before any thread uses libcurl.
public enum CurlGlobal {
    private static let once: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    public static func initialize() { _ = once }
}
