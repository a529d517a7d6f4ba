import GatewayHTTP
import GatewayStore

/// What the authorization pages and the portal share to know who is at the browser:
/// the session table, the session cookie, and the login check.
///
/// `current` reads the cookie; `user(of:)` re-reads the session's user from the store on
/// every request, so a user disabled anywhere (CLI, another process) loses their
/// sessions at once. `logIn` is the one login path: form checks, CSRF, throttle, bcrypt,
/// then a new session id (no fixation). Blocking where noted: run on a worker thread.
public final class WebAccess: Sendable {
    public let sessions: WebSessionStore
    public let cookie: SessionCookie
    public let login: UserLogin
    public let store: any DataStore

    public init(sessions: WebSessionStore, cookie: SessionCookie, login: UserLogin, store: any DataStore) {
        self.sessions = sessions
        self.cookie = cookie
        self.login = login
        self.store = store
    }

    /// The live session the request's cookie names.
    public func current(_ request: HTTPServerRequest) -> (id: String, session: WebSession)? {
        guard let id = cookie.value(in: request.head.headers), let session = sessions.session(id) else { return nil }
        return (id, session)
    }

    /// The live session, or a new one with the `Set-Cookie` that hands it out.
    public func currentOrNew(_ request: HTTPServerRequest) -> (id: String, session: WebSession, setCookie: String?) {
        if let (id, session) = current(request) { return (id, session, nil) }
        let (id, session) = sessions.start()
        return (id, session, cookie.set(id))
    }

    /// The session's user when logged in and still active; ends the session of a
    /// disabled or deleted user. Blocking (one store read).
    public func user(of session: (id: String, session: WebSession)) throws -> UserRecord? {
        guard let userID = session.session.userID else { return nil }
        guard let user = try store.users.get(id: userID), user.status == .active else {
            sessions.end(session.id)
            return nil
        }
        return user
    }

    /// The outcome of a posted login form.
    public enum LoginResult: Sendable {
        case loggedIn(id: String, session: WebSession, user: UserRecord)
        /// Wrong e-mail or password (or a disabled account): one message for all.
        case failed(email: String)
        case throttled(retryAfterSeconds: Int)
        case unavailable
        /// No live session or a missing/wrong CSRF token (403).
        case forbidden
    }

    /// Checks a posted login form (`csrf_token`, `email`, `password`) against the
    /// session it came with and logs the user in. Blocking (bcrypt, store).
    public func logIn(_ request: HTTPServerRequest, form: URLEncodedForm) -> LoginResult {
        guard let (id, session) = current(request), session.acceptsCSRF(form["csrf_token"]) else { return .forbidden }
        let email = form["email"] ?? "", password = form["password"] ?? ""
        switch login.authenticate(email: email, password: password, address: request.remoteAddress) {
        case .success(let user):
            guard let (fresh, session) = sessions.logIn(id, userID: user.id) else { return .forbidden }
            return .loggedIn(id: fresh, session: session, user: user)
        case .failed: return .failed(email: email)
        case .throttled(let seconds): return .throttled(retryAfterSeconds: seconds)
        case .unavailable: return .unavailable
        }
    }
}
