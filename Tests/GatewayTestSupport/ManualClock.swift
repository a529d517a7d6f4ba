import Synchronization

/// A clock for state-machine tests: it reads whatever nanosecond value the
/// test sets and moves only when told to. Thread-safe.
///
/// Modules that take a clock as a closure or protocol can wrap it:
/// `let clock = ManualClock(); TokenBucket(now: { clock.nanoseconds })`.
public final class ManualClock: Sendable {
    private let value: Atomic<UInt64>

    /// Starts at `nanoseconds` (default 0).
    public init(nanoseconds: UInt64 = 0) {
        value = Atomic(nanoseconds)
    }

    /// The current reading; settable.
    public var nanoseconds: UInt64 {
        get { value.load(ordering: .acquiring) }
        set { value.store(newValue, ordering: .releasing) }
    }

    /// The current reading.
    public func now() -> UInt64 { nanoseconds }

    /// Moves the clock forward by `nanoseconds`.
    public func advance(nanoseconds delta: UInt64) {
        value.add(delta, ordering: .acquiringAndReleasing)
    }

    /// Moves the clock forward by `duration` (which must not be negative).
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        precondition(seconds >= 0 && attoseconds >= 0, "ManualClock: cannot move backwards")
        advance(nanoseconds: UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
    }
}
