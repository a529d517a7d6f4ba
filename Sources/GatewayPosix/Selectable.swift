/// Something registered with an event loop's epoll instance: a listening socket,
/// a connection, an upstream socket, a timer or wake-up descriptor.
///
/// `ready` is always called on the owning loop's thread.
public protocol Selectable: AnyObject {
    func ready(events: UInt32)
}

/// Readiness bits as epoll reports them.
public struct IOEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
}

/// Work an object asks its event loop to run once the current batch of events
/// is handled (`EventLoop.runSoon(_:)`), without allocating a closure.
public protocol DeferredTask: AnyObject {
    func runDeferred()
}
