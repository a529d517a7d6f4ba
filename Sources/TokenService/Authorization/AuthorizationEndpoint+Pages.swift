import GatewayAudit
import GatewayHTTP
import GatewayStore

/// Login, consent and the decision.
extension AuthorizationEndpoint {
    /// `POST /oauth/authorize/login`. Blocking (bcrypt).
    func logIn(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let form = WebForm.parse(request) else { return WebPages.forbidden() }
        guard let (_, session) = web.current(request), session.acceptsCSRF(form["csrf_token"]) else {
            return WebPages.forbidden()
        }
        guard let requestID = form["request"], let pending = session.pendingRequest(requestID) else { return expired() }
        switch web.logIn(request, form: form) {
        case .loggedIn(let id, _, _):
            return HTMLPage.redirect(Self.path + "/consent?request=" + PercentEncoding.encodeComponent(requestID),
                                     headers: ["Set-Cookie": web.cookie.set(id)], formActionSources: formActions(pending))
        case .failed(let email):
            return loginPage(pending, requestID: requestID, csrf: session.csrfToken, status: 400, email: email,
                             message: "The e-mail or password is wrong.")
        case .throttled(let seconds):
            return loginPage(pending, requestID: requestID, csrf: session.csrfToken, status: 429,
                             message: "Too many failed sign-ins. Wait \(Self.minutes(seconds)) and try again.",
                             headers: ["Retry-After": String(max(1, seconds))])
        case .unavailable:
            return unavailable()
        case .forbidden:
            return WebPages.forbidden()
        }
    }

    /// `GET /oauth/authorize/consent?request=…`. Blocking (store read).
    func consentPage(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let current = web.current(request), let requestID = WebForm.query(request, "request"),
              let pending = current.session.pendingRequest(requestID) else { return expired() }
        let user: UserRecord?
        do { user = try web.user(of: current) } catch { return unavailable() }
        guard let user else { return loginPage(pending, requestID: requestID, csrf: current.session.csrfToken) }
        return consentOrRefusal(pending, requestID: requestID, user: user, csrf: current.session.csrfToken)
    }

    /// `POST /oauth/authorize/consent`: approve → code, deny → `access_denied`. Blocking.
    func decide(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let form = WebForm.parse(request), let current = web.current(request),
              current.session.acceptsCSRF(form["csrf_token"]) else { return WebPages.forbidden() }
        guard let requestID = form["request"], let pending = current.session.pendingRequest(requestID) else {
            return expired()
        }
        let user: UserRecord?
        do { user = try web.user(of: current) } catch { return unavailable() }
        guard let user else { return loginPage(pending, requestID: requestID, csrf: current.session.csrfToken) }
        guard user.orgID == pending.orgID else {
            web.sessions.removePending(requestID, from: current.id)
            return refuse(pending, user: user, reason: "user_in_other_org", requestID: request.requestID,
                          description: "the signed-in user does not belong to the application's organisation")
        }
        switch form["decision"] {
        case "deny":
            web.sessions.removePending(requestID, from: current.id)
            return refuse(pending, user: user, reason: "user_denied", requestID: request.requestID,
                          description: "the user denied the request")
        case "approve":
            return approve(pending, requestID: requestID, sessionID: current.id, user: user, httpRequestID: request.requestID)
        default:
            return WebPages.error(400, title: "Unknown choice", "Choose Allow or Deny on the consent page.")
        }
    }

    /// Stores a code and sends the browser back to the client with it.
    private func approve(_ pending: PendingAuthorization, requestID: String, sessionID: String, user: UserRecord,
                         httpRequestID: String) -> HTTPServerResponse {
        let code = SecretGenerator.secret()
        let ttl = min(max(1, configuration.authorizationCodeTTLSeconds), 60)
        let new = NewAuthorizationCode(codeHash: SHA256Hash.hex(code), clientID: pending.clientID, userID: user.id,
                                       redirectURI: pending.redirectURI, scopes: pending.scopes,
                                       codeChallenge: pending.codeChallenge,
                                       expiresAt: clock.now().adding(seconds: ttl))
        let audit = AuditContext(actor: "user:" + user.id, requestID: httpRequestID.isEmpty ? nil : httpRequestID)
        do {
            _ = try store.authorizationCodes.insert(new, audit: audit)
        } catch StoreError.invalidState, StoreError.notFound {
            web.sessions.removePending(requestID, from: sessionID)
            return WebPages.error(400, title: "Cannot authorize this application",
                                  "The application has been revoked since you started; nothing was granted.")
        } catch {
            return HTMLPage.redirect(pending.redirect([("error", AuthorizationRedirect.ErrorCode.serverError.rawValue),
                                                       ("error_description", "the grant could not be stored")],
                                                      issuer: configuration.issuer), status: 302)
        }
        web.sessions.removePending(requestID, from: sessionID)
        return HTMLPage.redirect(pending.redirect([("code", code)], issuer: configuration.issuer), status: 302)
    }

    /// Sends `access_denied` back to the client and records `api.authorization_denied`.
    private func refuse(_ pending: PendingAuthorization, user: UserRecord, reason: String, requestID: String,
                        description: String) -> HTTPServerResponse {
        let event = AuditEvent(type: .authorizationDenied, actor: "user:" + user.id, clientID: pending.clientID,
                               orgID: pending.orgID, reason: reason, requestID: requestID.isEmpty ? nil : requestID,
                               data: ["user_id": user.id, "scope": pending.scopes.joined(separator: " ")])
        do { _ = try AuditLog(store).append(event) } catch { return unavailable() }
        let location = AuthorizationRedirect.error(pending.redirectURI, .accessDenied, description, state: pending.state,
                                                   issuer: configuration.issuer)
        return HTMLPage.redirect(location, status: 302)
    }

    /// The consent page for a logged-in user; for a user of another org, the login page
    /// (only members of the application's org may authorize it).
    func consentOrRefusal(_ pending: PendingAuthorization, requestID: String, user: UserRecord, csrf: String,
                          headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        guard user.orgID == pending.orgID else {
            return loginPage(pending, requestID: requestID, csrf: csrf, message: "You are signed in as \(user.email), "
                + "who is not a member of \(pending.orgName). Sign in with an account of \(pending.orgName).",
                headers: headers)
        }
        var body = "<h1>Allow \(HTML.escape(pending.clientName)) to access your data?</h1>"
            + "<p><strong>\(HTML.escape(pending.clientName))</strong>, an application registered by "
            + "<strong>\(HTML.escape(pending.orgName))</strong>, asks to act for you, "
            + "<strong>\(HTML.escape(user.email))</strong>. If you allow it, it may:</p><ul class=\"scopes\">"
        for scope in pending.scopes {
            body += "<li>\(HTML.escape(scopes.describe(scope))) <span class=\"muted\">(<code>\(HTML.escape(scope))</code>)</span></li>"
        }
        body += "</ul><p class=\"muted\">You will be sent back to <code>\(HTML.escape(pending.redirectURI))</code>.</p>"
            + "<form method=\"post\" action=\"\(Self.path)/consent\">" + HTML.hidden("csrf_token", csrf)
            + HTML.hidden("request", requestID)
            + "<button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button>"
            + "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>"
        return HTMLPage(title: "Allow access", body: body, formActionSources: formActions(pending),
                        headers: headers).response()
    }

    /// The login page for a pending request.
    func loginPage(_ pending: PendingAuthorization, requestID: String, csrf: String, status: Int = 200,
                   email: String = "", message: String? = nil, headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        WebPages.login(status: status, action: Self.path + "/login", csrfToken: csrf, hidden: [("request", requestID)],
                       heading: "Sign in", intro: "Sign in to let <strong>\(HTML.escape(pending.clientName))</strong> "
                           + "(\(HTML.escape(pending.orgName))) act for you.",
                       email: email, message: message, formActionSources: formActions(pending), headers: headers)
    }

    private func expired() -> HTTPServerResponse {
        WebPages.error(400, title: "Sign-in request expired",
                       "This authorization request is no longer pending (it expired, was answered, or your session "
                        + "ended). Return to the application and start again.")
    }

    static func minutes(_ seconds: Int) -> String {
        seconds <= 60 ? "a minute" : "\((seconds + 59) / 60) minutes"
    }
}
