import GatewayAuth
import GatewayPosix
import GatewayRateLimit
import GatewayStore

/// Keeps the gateway's in-memory views in step with the shared store, so a
/// change made by any process (the CLI, another gateway, the management API)
/// takes effect here within one poll interval (default 250 ms, well inside the
/// one second the contract allows):
///
/// - the revocation feed → `RevocationSet` (revoked clients, tokens, disabled users);
/// - the client directory → per-client rate limits (and the debug-log switch).
///
/// Polls run on the control thread; every read is one indexed query.
final class StoreFeeds {
    private let store: any DataStore
    private let revocations: RevocationSet
    private let rates: ClientRateTable
    private let onClientEntry: (ClientDirectoryEntry) -> Void
    private var revocationCursor: Int64 = 0
    private var directoryCursor: Int64 = 0
    private var failures = 0

    init(store: any DataStore, revocations: RevocationSet, rates: ClientRateTable,
         onClientEntry: @escaping (ClientDirectoryEntry) -> Void = { _ in }) {
        self.store = store
        self.revocations = revocations
        self.rates = rates
        self.onClientEntry = onClientEntry
    }

    /// Loads the full state once, at start.
    func start() throws {
        let snapshot = try store.revocations.snapshot()
        revocations.replace(with: GatewayAuth.RevocationSnapshot(
            revokedClients: snapshot.clientIDs,
            revokedTokens: snapshot.tokenJTIs.mapValues { $0.seconds },
            disabledSubjects: snapshot.disabledUserIDs))
        revocationCursor = snapshot.cursor
        try pollDirectory()
    }

    /// One poll of both feeds. Errors are reported once per run of failures and retried.
    func poll() {
        do {
            try pollRevocations()
            try pollDirectory()
            if failures > 0 { Diagnostics.warn("store feeds recovered after \(failures) failed poll(s)") }
            failures = 0
        } catch {
            if failures == 0 { Diagnostics.warn("store feeds cannot be read, retrying: \(error)") }
            failures += 1
        }
    }

    private func pollRevocations() throws {
        while true {
            let entries = try store.revocations.entries(after: revocationCursor, limit: 1000)
            guard !entries.isEmpty else { return }
            var delta = RevocationDelta()
            for entry in entries {
                switch entry.kind {
                case .client: delta.revokedClients.insert(entry.subject)
                case .token: delta.revokedTokens[entry.subject] = entry.expiresAt?.seconds ?? Int64.max
                case .user: delta.disabledSubjects.insert(entry.subject)
                case .tokenFamily: break  // its access tokens arrive as their own `token` rows
                }
                revocationCursor = max(revocationCursor, entry.seq)
            }
            revocations.apply(delta)
            if entries.count < 1000 { return }
        }
    }

    private func pollDirectory() throws {
        while true {
            let page = try store.clientDirectory.changes(after: directoryCursor, limit: 1000)
            for entry in page.entries {
                rates.setRate(entry.status == .active ? entry.rpm : nil, forClient: entry.clientID)
                onClientEntry(entry)
            }
            directoryCursor = page.cursor
            if page.entries.count < 1000 { return }
        }
    }
}
