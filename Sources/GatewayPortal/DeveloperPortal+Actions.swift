import GatewayHTTP
import GatewayStore
import TokenService

/// Registering, re-keying and revoking applications.
extension DeveloperPortal {
    /// `GET /portal/apps/new`.
    func newAppForm(_ context: PortalContext) -> HTTPServerResponse {
        do {
            guard let org = try service.store.orgs.get(context.user.orgID) else { return unavailable() }
            return ApplicationForm(values: .empty, policy: org.scopePolicy, scopes: scopes).page(csrf: context.csrf)
        } catch {
            return unavailable()
        }
    }

    /// `POST /portal/apps`: registers the application; the result page shows the secret once.
    func createApp(_ request: HTTPServerRequest, _ context: PortalContext) -> HTTPServerResponse {
        guard let form = checkedForm(request, context, allowDuplicates: true) else { return WebPages.forbidden() }
        let values = ApplicationForm.Values(form)
        let org: OrgRecord
        do {
            guard let found = try service.store.orgs.get(context.user.orgID) else { return unavailable() }
            org = found
        } catch {
            return unavailable()
        }
        let page = ApplicationForm(values: values, policy: org.scopePolicy, scopes: scopes)
        let creation: ClientAdministration.Creation
        do {
            creation = try service.administration.create(orgID: org.id, request: values.request,
                                                         audit: audit(context))
        } catch let error as ClientRequest.Invalid {
            return page.page(csrf: context.csrf, status: 400, message: ApplicationForm.explain(error))
        } catch StoreError.scopeOutsidePolicy(_, let outside) {
            return page.page(csrf: context.csrf, status: 400,
                             message: "Scopes \(outside.joined(separator: ", ")) are outside your organisation's policy.")
        } catch {
            return unavailable()
        }
        guard case .created(let client, let secret) = creation else {
            return page.page(csrf: context.csrf, status: 409, message: "That application already exists.")
        }
        return secretPage(client, secret: secret, heading: "Application registered")
    }

    /// `POST /portal/apps/{id}/rotate-secret`.
    func rotate(_ id: String, _ request: HTTPServerRequest, _ context: PortalContext) -> HTTPServerResponse {
        guard checkedForm(request, context) != nil else { return WebPages.forbidden() }
        switch owned(id, context) {
        case .success: break
        case .failure(let refusal): return refusal.response
        }
        do {
            let (client, secret) = try service.administration.rotateSecret(clientID: id, audit: audit(context))
            return secretPage(client, secret: secret, heading: "New secret")
        } catch StoreError.invalidState(let message) {
            return WebPages.error(409, title: "Cannot rotate the secret", message)
        } catch {
            return unavailable()
        }
    }

    /// `POST /portal/apps/{id}/revoke` (with `confirm=yes` from the confirmation page).
    func revoke(_ id: String, _ request: HTTPServerRequest, _ context: PortalContext) -> HTTPServerResponse {
        guard let form = checkedForm(request, context) else { return WebPages.forbidden() }
        guard form["confirm"] == "yes" else { return confirmRevoke(id, context) }
        switch owned(id, context) {
        case .success: break
        case .failure(let refusal): return refusal.response
        }
        do {
            _ = try service.administration.revoke(clientID: id, reason: "revoked_in_portal", audit: audit(context))
        } catch {
            return unavailable()
        }
        return HTMLPage.redirect(Self.basePath + "/apps/" + id)
    }

    /// The one page that ever shows a secret.
    func secretPage(_ client: ClientRecord, secret: String?, heading: String) -> HTTPServerResponse {
        var body = "<h1>\(HTML.escape(heading))</h1>"
        if let secret {
            body += "<p class=\"error\">Copy the secret now: it is shown only once and cannot be shown again.</p>"
                + "<label>Client id</label><div class=\"secret\">\(HTML.escape(client.clientID))</div>"
                + "<label>Client secret</label><div class=\"secret\">\(HTML.escape(secret))</div>"
        } else {
            body += "<p>This is a public application: it has no secret and uses the authorization code grant with "
                + "PKCE (S256), sending only its client id.</p>"
                + "<label>Client id</label><div class=\"secret\">\(HTML.escape(client.clientID))</div>"
        }
        body += details(client) + "<p><a href=\"\(Self.basePath)\">Back to applications</a></p>"
        return HTMLPage(title: heading, body: body).response()
    }

    func audit(_ context: PortalContext) -> AuditContext {
        AuditContext(actor: "user:" + context.user.id, requestID: context.requestID.isEmpty ? nil : context.requestID)
    }
}
