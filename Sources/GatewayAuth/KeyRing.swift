import Synchronization

/// The verification keys the gateway currently trusts, by `kid`.
///
/// The token service (or a JWKS poller) publishes into it; every token check
/// reads it. Changes are atomic: a reader sees the set before or after a
/// `replace`, never half of it. Removing or replacing a key bumps
/// `removalEpoch`, which makes cached verifications made under the old set be
/// checked again, so a removed key stops working at once, cached or not.
/// Adding keys does not disturb the cache.
public final class KeyRing: Sendable {
    private let state: Mutex<[String: VerificationKey]>
    private let epoch = Atomic<UInt64>(0)

    /// A ring holding `keys` (for duplicate kids the last one wins).
    public init(_ keys: [VerificationKey] = []) {
        state = Mutex(Dictionary(keys.map { ($0.kid, $0) }, uniquingKeysWith: { $1 }))
    }

    /// The key named `kid`, if it is in the ring.
    public func key(for kid: String) -> VerificationKey? {
        state.withLock { $0[kid] }
    }

    /// Every key, ordered by kid.
    public var keys: [VerificationKey] {
        state.withLock { Array($0.values) }.sorted { $0.kid < $1.kid }
    }

    /// Makes `keys` the whole ring (for duplicate kids the last one wins).
    public func replace(with keys: [VerificationKey]) {
        let next = Dictionary(keys.map { ($0.kid, $0) }, uniquingKeysWith: { $1 })
        state.withLock { current in
            let dropsAny = current.contains { kid, key in next[kid] !== key }
            current = next
            if dropsAny { epoch.add(1, ordering: .releasing) }
        }
    }

    /// Adds `key`, replacing any key with the same kid.
    public func publish(_ key: VerificationKey) {
        state.withLock { current in
            let previous = current.updateValue(key, forKey: key.kid)
            if previous != nil, previous !== key { epoch.add(1, ordering: .releasing) }
        }
    }

    /// Removes the key named `kid`; tokens it signed fail from now on.
    public func remove(kid: String) {
        state.withLock { current in
            if current.removeValue(forKey: kid) != nil { epoch.add(1, ordering: .releasing) }
        }
    }

    /// Counts removals and replacements since the ring was made.
    package var removalEpoch: UInt64 {
        epoch.load(ordering: .acquiring)
    }
}
