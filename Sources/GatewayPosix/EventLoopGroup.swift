import Foundation
import Synchronization

/// A fixed set of event loops, each running on its own thread.
///
/// Default size: the number of cores. Loops are handed out round-robin by
/// `next()`; `loops` gives every one (to start a listener on each).
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let counter = Atomic<Int>(0)
    private let finished = Mutex<Int>(0)
    private let threadsDone = NSCondition()

    /// One loop per online core.
    public static var defaultCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    public init(count: Int = EventLoopGroup.defaultCount, namePrefix: String = "loop") throws(IOError) {
        var loops: [EventLoop] = []
        for i in 0..<max(1, count) { loops.append(try EventLoop(name: "\(namePrefix)-\(i)")) }
        self.loops = loops
        for loop in loops {
            let thread = Thread { [self] in
                loop.run()
                finished.withLock { $0 += 1 }
                threadsDone.lock()
                threadsDone.broadcast()
                threadsDone.unlock()
            }
            thread.name = loop.name
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    public func next() -> EventLoop {
        loops[counter.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Stops every loop and waits for their threads to finish.
    public func shutdown() {
        for loop in loops { loop.stop() }
        threadsDone.lock()
        while finished.withLock({ $0 }) < loops.count { threadsDone.wait() }
        threadsDone.unlock()
    }
}
