import CCurl
import CGatewayLinux
import GatewayPosix

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
        let handle = idleHandles.popLast() ?? CurlEasyHandle()
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

    func socketCallback(fd: Int32, what: Int32) {
        if what == CURL_POLL_REMOVE {
            if let socket = sockets.removeValue(forKey: fd), loop.handler(for: fd) === socket {
                loop.unregister(fd: fd)
            }
            return
        }
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
        let socket = CurlSocket(fd: fd, transport: self, events: events)
        sockets[fd] = socket
        do {
            try loop.register(fd: fd, events: events, handler: socket)
        } catch {
            sockets[fd] = nil
        }
    }

    func timerCallback(timeoutMillis: Int) {
        if let timer { loop.cancel(timer) }
        timer = nil
        if timeoutMillis < 0 { return }
        if timeoutMillis == 0 {
            guard !timeoutQueued else { return }
            timeoutQueued = true
            scheduleDeferred()
            return
        }
        timer = loop.schedule(afterNanos: Int64(timeoutMillis) * 1_000_000) { [weak self] in
            guard let self else { return }
            self.timer = nil
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

    init(fd: Int32, transport: CurlMultiTransport, events: UInt32) {
        self.fd = fd
        self.transport = transport
        self.events = events
    }

    func ready(events: UInt32) {
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
