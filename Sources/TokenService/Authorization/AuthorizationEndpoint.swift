import GatewayAudit
import GatewayHTTP
import GatewayPosix
import GatewayStore

/// The authorization endpoint and its pages (RFC 6749 §4.1, RFC 7636), under
/// `/oauth/authorize`:
///
/// | request | what happens |
/// |---|---|
/// | `GET /oauth/authorize?…` | `AuthorizationRequest.validate`; then the login page, or the consent page when the session is already logged in |
/// | `POST /oauth/authorize/login` | `csrf_token`, `request`, `email`, `password` → 303 to the consent page with a new session id |
/// | `GET /oauth/authorize/consent?request=…` | the consent page (the login page when not logged in) |
/// | `POST /oauth/authorize/consent` | `csrf_token`, `request`, `decision=approve|deny` → 302 to the client with `code` (+ `state`, `iss`) or `error=access_denied` |
///
/// A user may only authorize applications of their own organisation (else
/// `access_denied`). Codes are 256-bit random, stored as SHA-256, bound to client,
/// redirect URI, user, scopes and challenge, and live `authorizationCodeTTLSeconds`
/// (60 s). Every page carries `HTMLPage`'s security headers; every form a CSRF token.
/// Store work and bcrypt run on the pool (busy → 503 page).
public struct AuthorizationEndpoint: HTTPResponder {
    public static let path = "/oauth/authorize"

    let configuration: TokenServiceConfiguration
    let store: any DataStore
    let web: WebAccess
    let scopes: ScopeCatalog
    let pool: WorkerPool
    let clock: StoreClock

    public init(configuration: TokenServiceConfiguration, store: any DataStore, web: WebAccess, pool: WorkerPool,
                clock: StoreClock = .system) {
        self.configuration = configuration
        self.store = store
        self.web = web
        self.scopes = ScopeCatalog(descriptions: configuration.scopeDescriptions)
        self.pool = pool
        self.clock = clock
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let method = request.head.method
        let work: @Sendable () -> HTTPServerResponse
        switch request.head.path {
        case Self.path:
            guard method == "GET" || method == "HEAD" else { return done(WebPages.methodNotAllowed("GET, HEAD")) }
            work = { [self] in start(request) }
        case Self.path + "/login":
            guard method == "POST" else { return done(WebPages.methodNotAllowed("POST")) }
            work = { [self] in logIn(request) }
        case Self.path + "/consent":
            if method == "GET" || method == "HEAD" {
                work = { [self] in consentPage(request) }
            } else if method == "POST" {
                work = { [self] in decide(request) }
            } else {
                return done(WebPages.methodNotAllowed("GET, HEAD, POST"))
            }
        default:
            return done(WebPages.error(404, title: "Not found", "There is no page here."))
        }
        if !pool.submit({ done(work()) }) {
            done(WebPages.error(503, title: "Busy", "The service is busy; try again in a moment.",
                                headers: ["Retry-After": "1"]))
        }
    }

    /// `GET /oauth/authorize`: validate, remember the request in the session, show the
    /// next page. Blocking.
    func start(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let validation: AuthorizationRequest.Validation
        do {
            validation = try AuthorizationRequest.validate(query: request.head.query, issuer: configuration.issuer,
                                                           now: web.sessions.now) { id in
                guard let client = try store.clients.get(id), let org = try store.orgs.get(client.orgID) else { return nil }
                return (client, org)
            }
        } catch {
            return unavailable()
        }
        switch validation {
        case .errorPage(let message):
            return WebPages.error(400, title: "Cannot authorize this application", message)
        case .redirect(let location):
            return HTMLPage.redirect(location, status: 302)
        case .valid(let pending):
            let (id, session, setCookie) = web.currentOrNew(request)
            guard let requestID = web.sessions.addPending(pending, to: id) else { return unavailable() }
            var headers = HTTPHeaders()
            if let setCookie { headers.add(name: "Set-Cookie", value: setCookie) }
            let user: UserRecord?
            do { user = try web.user(of: (id, session)) } catch { return unavailable() }
            guard let user else { return loginPage(pending, requestID: requestID, csrf: session.csrfToken, headers: headers) }
            return consentOrRefusal(pending, requestID: requestID, user: user, csrf: session.csrfToken, headers: headers)
        }
    }

    func unavailable() -> HTTPServerResponse {
        WebPages.error(503, title: "Temporarily unavailable", "The service cannot reach its store; try again shortly.",
                       headers: ["Retry-After": "1"])
    }

    /// The `form-action` sources an authorization page needs: its client's redirect origin.
    func formActions(_ pending: PendingAuthorization) -> [String] {
        FormActionSource.of(pending.redirectURI).map { [$0] } ?? []
    }
}
