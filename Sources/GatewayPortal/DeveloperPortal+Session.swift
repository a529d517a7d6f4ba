import GatewayHTTP
import TokenService

/// Signing in and out of the portal.
extension DeveloperPortal {
    /// `POST /portal/login`. Blocking (bcrypt).
    func logIn(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let form = WebForm.parse(request) else { return WebPages.forbidden() }
        let web = service.web
        guard let (_, session) = web.current(request), session.acceptsCSRF(form["csrf_token"]) else {
            return WebPages.forbidden()
        }
        switch web.logIn(request, form: form) {
        case .loggedIn(let id, _, _):
            return HTMLPage.redirect(Self.basePath, headers: ["Set-Cookie": web.cookie.set(id)])
        case .failed(let email):
            return loginPage(csrf: session.csrfToken, status: 400, email: email, message: "The e-mail or password is wrong.")
        case .throttled(let seconds):
            let wait = seconds <= 60 ? "a minute" : "\((seconds + 59) / 60) minutes"
            return loginPage(csrf: session.csrfToken, status: 429,
                             message: "Too many failed sign-ins. Wait \(wait) and try again.",
                             headers: ["Retry-After": String(max(1, seconds))])
        case .unavailable:
            return unavailable()
        case .forbidden:
            return WebPages.forbidden()
        }
    }

    /// `POST /portal/logout`: ends the session.
    func logOut(_ request: HTTPServerRequest, _ context: PortalContext) -> HTTPServerResponse {
        guard checkedForm(request, context) != nil else { return WebPages.forbidden() }
        service.web.sessions.end(context.sessionID)
        return HTMLPage.redirect(Self.basePath, headers: ["Set-Cookie": service.web.cookie.clear()])
    }

    func loginPage(csrf: String, status: Int = 200, email: String = "", message: String? = nil,
                   headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        WebPages.login(status: status, action: Self.basePath + "/login", csrfToken: csrf, heading: "Developer portal",
                       intro: "Sign in with your organisation account to manage your API applications.",
                       email: email, message: message, headers: headers)
    }

    /// Whether a posted form carries the session's CSRF token.
    func checkedForm(_ request: HTTPServerRequest, _ context: PortalContext,
                     allowDuplicates: Bool = false) -> URLEncodedForm? {
        guard let form = WebForm.parse(request, allowDuplicates: allowDuplicates),
              let presented = form.values("csrf_token").first, form.values("csrf_token").count == 1,
              ConstantTime.equals(presented, context.csrf) else { return nil }
        return form
    }
}
