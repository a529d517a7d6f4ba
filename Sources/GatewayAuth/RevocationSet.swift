import Synchronization

/// The revocation state every token check consults, cached or not, so a
/// revoked client's tokens fail on the next request after the feed poller
/// (every ≤ 500 ms) publishes the change.
///
/// Holds one immutable `RevocationSnapshot`; writers build the next snapshot
/// aside and swap it in atomically, so readers never wait for a rebuild and
/// never see half of an update. Writers are serialised among themselves.
public final class RevocationSet: Sendable {
    /// The published snapshot, boxed so a reader takes one reference.
    private final class Box: Sendable {
        let snapshot: RevocationSnapshot
        init(_ snapshot: RevocationSnapshot) { self.snapshot = snapshot }
    }

    private let current: Mutex<Box>
    private let writer = Mutex<Void>(())

    public init(_ snapshot: RevocationSnapshot = RevocationSnapshot()) {
        current = Mutex(Box(snapshot))
    }

    /// The state now.
    public var snapshot: RevocationSnapshot {
        load().snapshot
    }

    /// Publishes `snapshot` as the whole state (a full reload from the store).
    public func replace(with snapshot: RevocationSnapshot) {
        writer.withLock { _ in publish(snapshot) }
    }

    /// Publishes the current state with `delta` applied.
    public func apply(_ delta: RevocationDelta) {
        guard !delta.isEmpty else { return }
        writer.withLock { _ in publish(load().snapshot.applying(delta)) }
    }

    /// Drops revoked token ids whose tokens expired before `cutoff` (pass now
    /// minus the verifier's leeway); they can no longer pass the `exp` check.
    public func prune(expiredBefore cutoff: Int64) {
        writer.withLock { _ in
            let snapshot = load().snapshot
            guard snapshot.revokedTokens.values.contains(where: { $0 < cutoff }) else { return }
            publish(snapshot.pruning(expiredBefore: cutoff))
        }
    }

    /// Why `token` is refused now, or nil.
    public func refusal(for token: VerifiedToken) -> TokenVerificationError? {
        load().snapshot.refusal(for: token)
    }

    private func load() -> Box {
        current.withLock { $0 }
    }

    private func publish(_ snapshot: RevocationSnapshot) {
        let box = Box(snapshot)
        let previous = current.withLock { published -> Box in
            let previous = published
            published = box
            return previous
        }
        withExtendedLifetime(previous) {}  // a large old snapshot is freed outside the lock
    }
}
