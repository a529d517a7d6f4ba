import Foundation

/// A few threads that run slow work off the event loops: bcrypt, store writes, audit
/// appends, token signing.
///
/// `submit` queues a closure and returns at once; a worker thread runs it. Results go
/// back to where they are needed by the closure itself — typically
/// `loop.execute { … }`, or an `HTTPResponder`'s `done`, which hops to the connection's
/// loop. The queue is bounded: when `queueCapacity` closures already wait, `submit`
/// returns `false` and runs nothing, so an endpoint can answer `503` with `Retry-After`
/// instead of queueing without limit while an attacker (or a burst) outpaces the workers.
///
/// Defaults: 2 threads, 1024 waiting closures. Closures run in submission order (FIFO)
/// but concurrently across threads. `shutdown()` lets queued work finish, then joins.
/// Thread-safe: every method may be called from any thread.
public final class WorkerPool: Sendable {
    /// The number of threads.
    public let threadCount: Int
    /// The most closures that may wait (not yet running) at once.
    public let queueCapacity: Int

    private let state: LockedState

    /// The queue and its condition variable. All fields are touched only with
    /// `condition` locked, which is why the class is `@unchecked Sendable`.
    private final class LockedState: @unchecked Sendable {
        let condition = NSCondition()
        var queue: [(@Sendable () -> Void)?] = []
        var head = 0
        var running = 0
        var stopping = false
        var exited = 0

        var waiting: Int { queue.count - head }
    }

    /// Starts `threads` worker threads (at least 1) named `<namePrefix>-<i>`.
    public init(threads: Int = 2, queueCapacity: Int = 1024, namePrefix: String = "worker") {
        self.threadCount = max(1, threads)
        self.queueCapacity = max(1, queueCapacity)
        let state = LockedState()
        self.state = state
        for index in 0..<threadCount {
            let thread = Thread { WorkerPool.work(state) }
            thread.name = "\(namePrefix)-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues `work`. Returns `false` (and drops `work`) when the queue is full or the
    /// pool is shutting down.
    @discardableResult
    public func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        state.condition.lock()
        defer { state.condition.unlock() }
        guard !state.stopping, state.waiting < queueCapacity else { return false }
        state.queue.append(work)
        state.condition.signal()
        return true
    }

    /// Closures waiting for a thread (not counting those running).
    public var pendingCount: Int {
        state.condition.lock()
        defer { state.condition.unlock() }
        return state.waiting
    }

    /// Closures running right now.
    public var runningCount: Int {
        state.condition.lock()
        defer { state.condition.unlock() }
        return state.running
    }

    /// Refuses new work, lets every queued closure run, then waits for the threads to exit.
    /// Calling it again does nothing more. Must not be called from a worker thread.
    public func shutdown() {
        state.condition.lock()
        state.stopping = true
        state.condition.broadcast()
        while state.exited < threadCount { state.condition.wait() }
        state.condition.unlock()
    }

    private static func work(_ state: LockedState) {
        while true {
            state.condition.lock()
            while state.waiting == 0 && !state.stopping { state.condition.wait() }
            if state.waiting == 0 {
                state.exited += 1
                state.condition.broadcast()
                state.condition.unlock()
                return
            }
            let job = state.queue[state.head]
            state.queue[state.head] = nil
            state.head += 1
            if state.head > 256 && state.head * 2 > state.queue.count {
                state.queue.removeFirst(state.head)
                state.head = 0
            }
            state.running += 1
            state.condition.unlock()
            job?()
            state.condition.lock()
            state.running -= 1
            state.condition.unlock()
        }
    }
}
