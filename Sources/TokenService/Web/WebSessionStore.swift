import Synchronization

/// Server-side browser sessions for the authorization pages and the developer portal —
/// one session serves both.
///
/// The browser holds a 256-bit random id in a cookie (`SessionCookie`); the table is keyed
/// by its SHA-256, so the ids themselves are never kept. A session ends after
/// `idleSeconds` without use or `absoluteSeconds` after it began (defaults 15 min and
/// 8 h), at logout, and when its user is disabled (callers re-check the user on every
/// request). Logging in replaces the id and the CSRF token (no session fixation).
/// Pending authorization requests expire after `pendingSeconds` (10 min); a session keeps
/// at most `maxPending` (8), dropping the oldest.
///
/// Memory only: a restart logs everyone out, and in a cluster a browser must return to
/// the same process (or log in again). At most `capacity` sessions (20 000): when full,
/// expired ones are pruned, then the least recently used is dropped. Time is monotonic
/// seconds, injected for tests. Thread-safe.
public final class WebSessionStore: Sendable {
    public let idleSeconds: Int64
    public let absoluteSeconds: Int64
    public let pendingSeconds: Int64
    public let maxPending: Int
    public let capacity: Int
    private let clock: @Sendable () -> Int64
    private let table = Mutex<[String: WebSession]>([:])

    public init(idleSeconds: Int64 = 900, absoluteSeconds: Int64 = 8 * 3600, pendingSeconds: Int64 = 600,
                maxPending: Int = 8, capacity: Int = 20_000,
                now: @escaping @Sendable () -> Int64 = ClientAuthenticator.systemMonotonicSeconds) {
        self.idleSeconds = max(1, idleSeconds)
        self.absoluteSeconds = max(1, absoluteSeconds)
        self.pendingSeconds = max(1, pendingSeconds)
        self.maxPending = max(1, maxPending)
        self.capacity = max(1, capacity)
        self.clock = now
    }

    /// The store's clock now (monotonic seconds).
    public var now: Int64 { clock() }

    /// A new anonymous session: its id (for the cookie) and state.
    public func start() -> (id: String, session: WebSession) {
        let id = SecretGenerator.secret()
        let session = WebSession(csrfToken: SecretGenerator.secret(), startedAt: clock())
        table.withLock { table in
            makeRoom(&table)
            table[SHA256Hash.hex(id)] = session
        }
        return (id, session)
    }

    /// The live session with this id (marking it used), or nil.
    public func session(_ id: String) -> WebSession? {
        update(id) { _ in }
    }

    /// Applies `change` to the live session with this id and returns the result.
    @discardableResult
    public func update(_ id: String, _ change: (inout WebSession) -> Void) -> WebSession? {
        guard Self.isWellFormedID(id) else { return nil }
        let key = SHA256Hash.hex(id), now = clock()
        return table.withLock { table -> WebSession? in
            guard var session = table[key] else { return nil }
            guard isLive(session, now) else {
                table[key] = nil
                return nil
            }
            session.lastSeenAt = now
            session.pending.removeAll { now - $0.request.createdAt >= pendingSeconds }
            change(&session)
            table[key] = session
            return session
        }
    }

    /// Adds a pending authorization request; returns its id.
    public func addPending(_ request: PendingAuthorization, to id: String) -> String? {
        let requestID = SecretGenerator.identifier(prefix: "", byteCount: 16)
        let updated = update(id) { session in
            session.pending.append((requestID, request))
            if session.pending.count > maxPending { session.pending.removeFirst(session.pending.count - maxPending) }
        }
        return updated == nil ? nil : requestID
    }

    /// Drops a pending request (once it was answered).
    public func removePending(_ requestID: String, from id: String) {
        update(id) { session in session.pending.removeAll { $0.id == requestID } }
    }

    /// Logs `userID` in: the session moves to a new id with a new CSRF token (the old id
    /// stops working). Returns the new id and state, or nil when the session is gone.
    public func logIn(_ id: String, userID: String) -> (id: String, session: WebSession)? {
        guard Self.isWellFormedID(id) else { return nil }
        let fresh = SecretGenerator.secret(), now = clock()
        return table.withLock { table -> (String, WebSession)? in
            guard var session = table.removeValue(forKey: SHA256Hash.hex(id)), isLive(session, now) else { return nil }
            session.userID = userID
            session.csrfToken = SecretGenerator.secret()
            session.lastSeenAt = now
            table[SHA256Hash.hex(fresh)] = session
            return (fresh, session)
        }
    }

    /// Ends the session with this id.
    public func end(_ id: String) {
        guard Self.isWellFormedID(id) else { return }
        let key = SHA256Hash.hex(id)
        table.withLock { _ = $0.removeValue(forKey: key) }
    }

    /// Ends every session of `userID` (after the user was disabled in this process).
    public func endSessions(ofUser userID: String) {
        table.withLock { table in table = table.filter { $0.value.userID != userID } }
    }

    public var count: Int {
        table.withLock { $0.count }
    }

    /// Session ids are 43 base64url characters (256 bits).
    static func isWellFormedID(_ id: String) -> Bool {
        id.utf8.count == 43 && id.utf8.allSatisfy { PKCE.isUnreserved($0) && $0 != UInt8(ascii: "~") && $0 != UInt8(ascii: ".") }
    }

    private func isLive(_ session: WebSession, _ now: Int64) -> Bool {
        now - session.lastSeenAt < idleSeconds && now - session.startedAt < absoluteSeconds
    }

    private func makeRoom(_ table: inout [String: WebSession]) {
        guard table.count >= capacity else { return }
        let now = clock()
        table = table.filter { isLive($0.value, now) }
        while table.count >= capacity, let oldest = table.min(by: { $0.value.lastSeenAt < $1.value.lastSeenAt }) {
            table[oldest.key] = nil
        }
    }
}
