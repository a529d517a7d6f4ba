import GatewayHTTP
import GatewayPosix
import GatewayStore
import TokenService

/// The self-serve developer portal under `/portal`: a user of an organisation signs in
/// (the same session as the authorization pages), sees the organisation's applications,
/// registers new ones, rotates secrets and revokes applications, and finds the API
/// documents, SDK instructions and a curl quickstart.
///
/// | request | page |
/// |---|---|
/// | `GET /portal` | the dashboard, or the login form |
/// | `POST /portal/login`, `POST /portal/logout` | sign in (303 to `/portal`, new session id) / out |
/// | `GET /portal/apps/new`, `POST /portal/apps` | the registration form / register (the secret is shown once) |
/// | `GET /portal/apps/{id}` | one application |
/// | `POST /portal/apps/{id}/rotate-secret` | a new secret, shown once |
/// | `GET /portal/apps/{id}/revoke`, `POST …/revoke` | confirmation / revoke |
///
/// Plain server-rendered HTML (`HTMLPage`: strict CSP with a hashed inline stylesheet,
/// no script, `X-Frame-Options: DENY`, `Cache-Control: no-store`); every form carries the
/// session's CSRF token (missing or wrong → 403 page). The rules live in `TokenService`
/// (`ClientAdministration`, `UserLogin`, `WebAccess`); the portal renders and calls them,
/// acting as `user:<id>` in the audit log. A user sees and manages only the applications of
/// their own organisation (another org's application is "not found"). Store work and
/// bcrypt run on the token service's worker pool.
public struct DeveloperPortal: HTTPResponder {
    public static let basePath = "/portal"
    /// Largest form body accepted.
    public static let maxBodyBytes = 32 * 1024

    let service: TokenService
    let settings: PortalSettings
    let scopes: ScopeCatalog

    public init(service: TokenService, settings: PortalSettings) {
        self.service = service
        self.settings = settings
        self.scopes = ScopeCatalog(descriptions: service.configuration.scopeDescriptions)
    }

    /// What a path and method ask for.
    enum Route: Equatable {
        case home, login, logout, newApp, createApp, app(String), rotate(String), confirmRevoke(String), revoke(String)
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let route: Route
        switch Self.route(method: request.head.method, path: request.head.path) {
        case .success(let value): route = value
        case .failure(let refusal): return done(refusal.response)
        }
        if !service.pool.submit({ [self] in done(handle(route, request)) }) {
            done(WebPages.error(503, title: "Busy", "The portal is busy; try again in a moment.",
                                headers: ["Retry-After": "1"]))
        }
    }

    struct Refusal: Error {
        var response: HTTPServerResponse
    }

    /// The route for `method` on `path`, or the 404/405 page.
    static func route(method: String, path: Substring) -> Result<Route, Refusal> {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2)
        // A page read with GET is also read with HEAD (same headers, no body: RFC 9110 §9.3.2).
        func only(_ allowed: String, _ route: Route) -> Result<Route, Refusal> {
            if method == allowed || (allowed == "GET" && method == "HEAD") { return .success(route) }
            return .failure(Refusal(response: WebPages.methodNotAllowed(allowed == "GET" ? "GET, HEAD" : allowed)))
        }
        switch Array(parts) {
        case [], [""]: return only("GET", .home)
        case ["login"]: return only("POST", .login)
        case ["logout"]: return only("POST", .logout)
        case ["apps"]: return only("POST", .createApp)
        case ["apps", "new"]: return only("GET", .newApp)
        case let segments where segments.count >= 2 && segments[0] == "apps" && isClientID(segments[1]):
            let id = String(segments[1])
            switch segments.count == 3 ? segments[2] : segments.count == 2 ? "" : "?" {
            case "": return only("GET", .app(id))
            case "rotate-secret": return only("POST", .rotate(id))
            case "revoke":
                if method == "GET" || method == "HEAD" { return .success(.confirmRevoke(id)) }
                if method != "POST" { return .failure(Refusal(response: WebPages.methodNotAllowed("GET, HEAD, POST"))) }
                return .success(.revoke(id))
            default: break
            }
        default: break
        }
        return .failure(Refusal(response: WebPages.error(404, title: "Not found", "There is no portal page here.")))
    }

    static func isClientID(_ text: Substring) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "~")
        }
    }

    /// Runs a route. Blocking (store, bcrypt).
    func handle(_ route: Route, _ request: HTTPServerRequest) -> HTTPServerResponse {
        let web = service.web
        if route == .login { return logIn(request) }
        let current: (id: String, session: WebSession)
        let user: UserRecord?
        var headers = HTTPHeaders()
        if route == .home {
            let (id, session, setCookie) = web.currentOrNew(request)
            if let setCookie { headers.add(name: "Set-Cookie", value: setCookie) }
            current = (id, session)
        } else {
            guard let found = web.current(request) else {
                return request.head.method == "POST" ? WebPages.forbidden() : signInFirst()
            }
            current = found
        }
        do { user = try web.user(of: current) } catch { return unavailable() }
        guard let user else {
            return route == .home ? loginPage(csrf: current.session.csrfToken, headers: headers) : signInFirst()
        }
        let context = PortalContext(user: user, sessionID: current.id, csrf: current.session.csrfToken,
                                    requestID: request.requestID)
        switch route {
        case .home, .login: return dashboard(context)
        case .logout: return logOut(request, context)
        case .newApp: return newAppForm(context)
        case .createApp: return createApp(request, context)
        case .app(let id): return appPage(id, context)
        case .rotate(let id): return rotate(id, request, context)
        case .confirmRevoke(let id): return confirmRevoke(id, context)
        case .revoke(let id): return revoke(id, request, context)
        }
    }

    func unavailable() -> HTTPServerResponse {
        WebPages.error(503, title: "Temporarily unavailable", "The portal cannot reach its store; try again shortly.",
                       headers: ["Retry-After": "1"])
    }

    func signInFirst() -> HTTPServerResponse {
        HTMLPage.redirect(Self.basePath)
    }
}

/// Who is using the portal in one request.
struct PortalContext {
    var user: UserRecord
    var sessionID: String
    var csrf: String
    var requestID: String
}
