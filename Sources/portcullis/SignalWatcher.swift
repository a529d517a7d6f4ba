import CGatewayLinux
import GatewayPosix
import Glibc

/// Delivers process signals to the main thread's control loop through a
/// signalfd. Call `blockSignals()` before any other thread starts, so that
/// every thread inherits the mask and only the signalfd sees them.
final class SignalWatcher: Selectable {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1]
    private let fd: Int32
    private let onSignal: (Int32) -> Void

    static func blockSignals() {
        signal(SIGPIPE, SIG_IGN)
        _ = handled.withUnsafeBufferPointer { cgl_block_signals($0.baseAddress, Int32($0.count)) }
    }

    init(loop: EventLoop, onSignal: @escaping (Int32) -> Void) throws(IOError) {
        fd = Self.handled.withUnsafeBufferPointer { cgl_signalfd($0.baseAddress, Int32($0.count)) }
        if fd < 0 { throw IOError("signalfd", errno: errno) }
        self.onSignal = onSignal
        try loop.register(fd: fd, events: CGL_EPOLLIN, handler: self)
    }

    func ready(events: UInt32) {
        while true {
            let signo = cgl_signalfd_read(fd)
            if signo < 0 { return }
            onSignal(signo)
        }
    }
}
