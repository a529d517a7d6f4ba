/// One browser session as the server keeps it (the browser holds only a random id).
///
/// Before login it carries just a CSRF token and pending authorization requests; after
/// login, the user. The CSRF token is 256 random bits, compared in constant time with the
/// `csrf_token` of every form post; it changes when the session id does (at login).
public struct WebSession: Sendable, Equatable {
    public internal(set) var csrfToken: String
    /// The logged-in user, nil before login.
    public internal(set) var userID: String?
    /// Monotonic seconds.
    public let startedAt: Int64
    public internal(set) var lastSeenAt: Int64
    /// Authorization requests waiting for login and consent, by request id, oldest first.
    public internal(set) var pending: [(id: String, request: PendingAuthorization)]

    init(csrfToken: String, startedAt: Int64) {
        self.csrfToken = csrfToken
        self.startedAt = startedAt
        self.lastSeenAt = startedAt
        self.pending = []
    }

    /// The pending request with this id.
    public func pendingRequest(_ id: String) -> PendingAuthorization? {
        pending.first { $0.id == id }?.request
    }

    /// Whether `presented` is this session's CSRF token (constant time).
    public func acceptsCSRF(_ presented: String?) -> Bool {
        guard let presented else { return false }
        return ConstantTime.equals(presented, csrfToken)
    }

    public static func == (lhs: WebSession, rhs: WebSession) -> Bool {
        lhs.csrfToken == rhs.csrfToken && lhs.userID == rhs.userID && lhs.startedAt == rhs.startedAt
            && lhs.lastSeenAt == rhs.lastSeenAt && lhs.pending.map(\.id) == rhs.pending.map(\.id)
            && lhs.pending.map(\.request) == rhs.pending.map(\.request)
    }
}
