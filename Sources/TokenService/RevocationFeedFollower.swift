import GatewayAuth
import GatewayStore
import Synchronization

/// Keeps a `RevocationSet` (what the gateway's verifier consults on every request) in
/// step with the store's revocation feed.
///
/// `load()` publishes one consistent snapshot (revoked clients, unexpired revoked jtis,
/// disabled users) and remembers the feed cursor; `poll()` applies the rows appended since
/// (`client` → revoked client, `token` → revoked jti until its expiry, `user` → disabled
/// subject; `token_family` rows are informational) and prunes jtis whose tokens have
/// expired. Call `poll()` at least every 500 ms: a revocation by the CLI or another
/// process is then refused here within one poll. Blocking (store reads): call from a
/// background thread. Serialised internally; safe from any thread.
public final class RevocationFeedFollower: Sendable {
    public let feed: any RevocationFeed
    public let revocations: RevocationSet
    public let clock: StoreClock
    /// Rows read per query; more are read at once when a page comes back full.
    public let pageSize: Int

    private let cursor = Mutex<Int64?>(nil)

    public init(feed: any RevocationFeed, revocations: RevocationSet, clock: StoreClock = .system, pageSize: Int = 1000) {
        self.feed = feed
        self.revocations = revocations
        self.clock = clock
        self.pageSize = max(1, pageSize)
    }

    /// Replaces the set with the store's current state.
    public func load() throws {
        try cursor.withLock { cursor in
            let snapshot = try feed.snapshot()
            revocations.replace(with: GatewayAuth.RevocationSnapshot(
                revokedClients: snapshot.clientIDs,
                revokedTokens: snapshot.tokenJTIs.mapValues(\.seconds),
                disabledSubjects: snapshot.disabledUserIDs))
            cursor = snapshot.cursor
        }
    }

    /// Applies what the feed gained since the last `load()`/`poll()` (loading first if
    /// never loaded). Returns the number of rows applied.
    @discardableResult
    public func poll() throws -> Int {
        if cursor.withLock({ $0 }) == nil { try load() }
        let applied = try cursor.withLock { cursor -> Int in
            var position = cursor ?? 0
            var total = 0
            while true {
                let rows = try feed.entries(after: position, limit: pageSize)
                revocations.apply(Self.delta(rows))
                total += rows.count
                if let last = rows.last { position = last.seq }
                if rows.count < pageSize { break }
            }
            cursor = position
            return total
        }
        revocations.prune(expiredBefore: clock.now().seconds - TokenServiceConfiguration.verifierLeewaySeconds)
        return applied
    }

    /// The feed position applied so far (nil before the first load).
    public var position: Int64? {
        cursor.withLock { $0 }
    }

    /// The change `rows` make.
    public static func delta(_ rows: [RevocationEntry]) -> RevocationDelta {
        var delta = RevocationDelta()
        for row in rows {
            switch row.kind {
            case .client: delta.revokedClients.insert(row.subject)
            case .token: delta.revokedTokens[row.subject] = max(delta.revokedTokens[row.subject] ?? 0,
                                                                 row.expiresAt?.seconds ?? Int64.max / 2)
            case .user: delta.disabledSubjects.insert(row.subject)
            case .tokenFamily: break
            }
        }
        return delta
    }
}
