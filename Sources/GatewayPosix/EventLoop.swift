import CGatewayLinux
import Glibc
import Synchronization

/// One event loop: a thread with its own epoll instance, a timerfd for timers
/// and an eventfd for wake-ups from other threads.
///
/// Everything registered with a loop (connections, upstream sockets, timers)
/// is touched only on the loop's thread; that confinement is why the class is
/// `@unchecked Sendable`. The thread-safe entry points are `execute(_:)`,
/// `stop()` and `inEventLoop`.
public final class EventLoop: @unchecked Sendable {
    /// A handle to cancel a scheduled timer.
    public struct TimerID: Hashable, Sendable {
        let raw: UInt64
    }

    private struct Slot {
        var generation: UInt32 = 0
        var handler: Selectable?
    }

    /// A short name for logs (`loop-0`).
    public let name: String
    /// Monotonic time in nanoseconds, read once per loop iteration.
    public private(set) var now: Int64

    private let epfd: Int32
    private let wakeFD: Int32
    private let timerFD: Int32
    private var slots: [Slot] = []
    private var timers = TimerHeap()
    private var nextTimerID: UInt64 = 1
    private var armedDeadline: Int64 = .max
    private enum Deferred {
        case closure(() -> Void)
        case task(DeferredTask)
    }
    private var deferred: [Deferred] = []
    private var spareDeferred: [Deferred] = []
    private let tasks = Mutex<[@Sendable () -> Void]>([])
    private let wakePending = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)
    private let threadID = Atomic<UInt>(0)
    private var events: [cgl_epoll_event]

    private final class FDReader: Selectable {
        let fd: Int32
        let onReady: () -> Void
        init(fd: Int32, onReady: @escaping () -> Void) {
            self.fd = fd
            self.onReady = onReady
        }
        func ready(events: UInt32) { onReady() }
    }

    public init(name: String) throws(IOError) {
        self.name = name
        self.now = cgl_monotonic_ns()
        epfd = cgl_epoll_create()
        if epfd < 0 { throw IOError("epoll_create1", errno: errno) }
        wakeFD = cgl_eventfd()
        if wakeFD < 0 { throw IOError("eventfd", errno: errno) }
        timerFD = cgl_timerfd_create()
        if timerFD < 0 { throw IOError("timerfd_create", errno: errno) }
        events = Array(repeating: cgl_epoll_event(events: 0, data: 0), count: 128)
        let wake = wakeFD, timer = timerFD
        try register(fd: wakeFD, events: CGL_EPOLLIN, handler: FDReader(fd: wake) { [unowned self] in
            _ = cgl_eventfd_drain(wake)
            self.wakePending.store(false, ordering: .releasing)
        })
        try register(fd: timerFD, events: CGL_EPOLLIN, handler: FDReader(fd: timer) { [unowned self] in
            _ = cgl_timerfd_drain(timer)
            self.armedDeadline = .max
        })
    }

    deinit {
        close(epfd)
        close(wakeFD)
        close(timerFD)
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool { threadID.load(ordering: .relaxed) == UInt(pthread_self()) }

    // MARK: Registration (loop thread only)

    /// Registers `fd` for `events` (epoll bits). The loop keeps a strong
    /// reference to `handler` until `unregister(fd:)`.
    public func register(fd: Int32, events: UInt32, handler: Selectable) throws(IOError) {
        let index = Int(fd)
        if index >= slots.count { slots.append(contentsOf: repeatElement(Slot(), count: index + 64 - slots.count)) }
        slots[index].generation &+= 1
        slots[index].handler = handler
        if cgl_epoll_ctl(epfd, CGL_EPOLL_CTL_ADD, fd, events, key(fd)) != 0 {
            let err = errno
            slots[index].handler = nil
            throw IOError("epoll_ctl(ADD)", errno: err)
        }
    }

    /// Changes the events `fd` is registered for.
    public func modify(fd: Int32, events: UInt32) {
        _ = cgl_epoll_ctl(epfd, CGL_EPOLL_CTL_MOD, fd, events, key(fd))
    }

    /// Stops watching `fd`; call before closing it.
    public func unregister(fd: Int32) {
        let index = Int(fd)
        guard index < slots.count, slots[index].handler != nil else { return }
        _ = cgl_epoll_ctl(epfd, CGL_EPOLL_CTL_DEL, fd, 0, 0)
        slots[index].handler = nil
        slots[index].generation &+= 1
    }

    /// The handler registered for `fd`, if any.
    public func handler(for fd: Int32) -> Selectable? {
        Int(fd) < slots.count ? slots[Int(fd)].handler : nil
    }

    /// Whether `fd` is registered with this loop.
    public func isRegistered(fd: Int32) -> Bool {
        Int(fd) < slots.count && slots[Int(fd)].handler != nil
    }

    private func key(_ fd: Int32) -> UInt64 {
        UInt64(slots[Int(fd)].generation) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    // MARK: Timers (loop thread only)

    /// Runs `callback` on this loop once `nanos` have passed.
    @discardableResult
    public func schedule(afterNanos nanos: Int64, _ callback: @escaping () -> Void) -> TimerID {
        let id = nextTimerID
        nextTimerID += 1
        let deadline = cgl_monotonic_ns() + max(0, nanos)
        timers.insert(deadline: deadline, id: id, callback: callback)
        if deadline < armedDeadline { arm(deadline) }
        return TimerID(raw: id)
    }

    public func cancel(_ timer: TimerID) {
        timers.cancel(id: timer.raw)
    }

    /// Runs `task.runDeferred()` after the current batch of events, before the
    /// next wait, like `runSoon(_:)` but without allocating a closure: for work
    /// that happens on every request (flushing a connection, libcurl's zero timeout).
    public func runSoon(_ task: DeferredTask) {
        deferred.append(.task(task))
    }

    /// Runs `callback` on this loop after the current batch of events, before
    /// the next wait. Cheaper than a zero-length timer.
    public func runSoon(_ callback: @escaping () -> Void) {
        deferred.append(.closure(callback))
    }

    private func arm(_ deadline: Int64) {
        armedDeadline = deadline
        _ = cgl_timerfd_arm_ns(timerFD, max(1, deadline - cgl_monotonic_ns()))
    }

    // MARK: Cross-thread

    /// Runs `task` on the loop's thread. Safe from any thread.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        wake()
    }

    /// Asks `run()` to return after the current iteration. Safe from any thread.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    private func wake() {
        if inEventLoop { return }
        if wakePending.exchange(true, ordering: .acquiring) == false {
            _ = cgl_eventfd_write(wakeFD)
        }
    }

    // MARK: Running

    /// Runs the loop on the calling thread until `stop()`.
    public func run() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        defer { threadID.store(0, ordering: .relaxed) }
        while !stopRequested.load(ordering: .acquiring) {
            runOnce(timeoutMillis: -1)
        }
    }

    /// One iteration: wait for events (at most `timeoutMillis`, -1 = until one
    /// arrives), dispatch them, then run due timers, deferred work and tasks.
    public func runOnce(timeoutMillis: Int32) {
        if threadID.load(ordering: .relaxed) == 0 {
            threadID.store(UInt(pthread_self()), ordering: .relaxed)
        }
        let hasWork = !deferred.isEmpty || tasks.withLock { !$0.isEmpty }
        let n = events.withUnsafeMutableBufferPointer {
            cgl_epoll_wait(epfd, $0.baseAddress, Int32($0.count), hasWork ? 0 : timeoutMillis)
        }
        now = cgl_monotonic_ns()
        if n > 0 {
            for i in 0..<Int(n) {
                let ev = events[i]
                let fd = Int(UInt32(truncatingIfNeeded: ev.data))
                let generation = UInt32(truncatingIfNeeded: ev.data >> 32)
                guard fd < slots.count, slots[fd].generation == generation,
                      let handler = slots[fd].handler else { continue }
                handler.ready(events: ev.events)
            }
        }
        runTimers()
        runDeferred()
        runTasks()
    }

    private func runTimers() {
        guard !timers.isEmpty else { return }
        now = cgl_monotonic_ns()
        for callback in timers.popExpired(now: now) { callback() }
        if let next = timers.nextDeadline(), next < armedDeadline || armedDeadline == .max {
            arm(next)
        }
    }

    private func runDeferred() {
        while !deferred.isEmpty {
            // Swap in the spare array so entries added while running go to the next round.
            swap(&deferred, &spareDeferred)
            for entry in spareDeferred {
                switch entry {
                case .closure(let callback): callback()
                case .task(let task): task.runDeferred()
                }
            }
            spareDeferred.removeAll(keepingCapacity: true)
        }
    }

    private func runTasks() {
        let batch = tasks.withLock { pending -> [@Sendable () -> Void] in
            let b = pending
            pending.removeAll(keepingCapacity: true)
            return b
        }
        for task in batch { task() }
    }
}
