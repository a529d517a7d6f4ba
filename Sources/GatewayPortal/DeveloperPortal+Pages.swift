import GatewayHTTP
import GatewayStore
import TokenService

/// The read-only pages: dashboard, one application, the revoke confirmation.
extension DeveloperPortal {
    /// `GET /portal` for a signed-in user.
    func dashboard(_ context: PortalContext) -> HTTPServerResponse {
        let clients: [ClientRecord], org: OrgRecord?
        do {
            clients = try service.store.clients.list(orgID: context.user.orgID)
            org = try service.store.orgs.get(context.user.orgID)
        } catch {
            return unavailable()
        }
        let orgName = org?.name ?? context.user.orgID
        var body = "<h1>\(HTML.escape(orgName)) — applications</h1>"
            + "<div>Signed in as <strong>\(HTML.escape(context.user.email))</strong>. "
            + "<form class=\"inline\" method=\"post\" action=\"\(Self.basePath)/logout\">"
            + HTML.hidden("csrf_token", context.csrf) + "<button type=\"submit\" class=\"secondary\">Sign out</button></form></div>"
        if clients.isEmpty {
            body += "<p class=\"muted\">Your organisation has no applications yet.</p>"
        } else {
            body += "<table><thead><tr><th>Name</th><th>Client id</th><th>Type</th><th>Status</th></tr></thead><tbody>"
            for client in clients {
                body += "<tr><td><a href=\"\(Self.basePath)/apps/\(HTML.escape(client.clientID))\">"
                    + "\(HTML.escape(client.name))</a></td><td><code>\(HTML.escape(client.clientID))</code></td>"
                    + "<td>\(client.isPublic ? "public" : "confidential")</td><td>\(client.status.rawValue)</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "<p><a href=\"\(Self.basePath)/apps/new\">Register a new application</a></p>" + documentation()
        return HTMLPage(title: "Applications", body: body).response()
    }

    /// The documents, SDK commands and the quickstart.
    func documentation() -> String {
        let base = service.configuration.endpointURL("")
        var body = "<h2>Documentation</h2><ul><li><a href=\"/openapi.json\">OpenAPI 3.1 document</a> (every version)</li>"
        for version in settings.versions {
            let escaped = HTML.escape(version)
            body += "<li><a href=\"/\(escaped)/openapi.json\">\(escaped) OpenAPI document</a></li>"
        }
        body += "<li><a href=\"/changelog\">Changelog</a> (also as <a href=\"/changelog.atom\">Atom</a>)</li>"
            + "<li><a href=\"/.well-known/oauth-authorization-server\">OAuth server metadata</a></li></ul>"
            + "<h2>SDKs</h2><p>Generate a client library from the OpenAPI document with the gateway's command line:</p>"
            + "<pre>portcullis sdk --lang typescript --out ./sdk-typescript\nportcullis sdk --lang python --out ./sdk-python\n"
            + "portcullis sdk --lang go --out ./sdk-go</pre>"
        let scope = settings.sampleCall?.scope ?? "SCOPE"
        let call = settings.sampleCall?.path ?? "/VERSION/OPERATION"
        let quickstart = "CLIENT_ID=your-client-id\nCLIENT_SECRET=your-client-secret\n"
            + "TOKEN=$(curl -s -u \"$CLIENT_ID:$CLIENT_SECRET\" -d grant_type=client_credentials -d scope=\(scope) "
            + "\(base)/oauth/token | sed -n 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/p')\n"
            + "curl -s -H \"Authorization: Bearer $TOKEN\" \(base)\(call)"
        body += "<h2>Quickstart (client credentials)</h2><p>With a confidential application's id and secret:</p>"
            + "<pre>\(HTML.escape(quickstart))</pre>"
            + "<p class=\"muted\">Applications acting for a user use the authorization code grant with PKCE at "
            + "<code>\(HTML.escape(base))/oauth/authorize</code>; see the metadata document.</p>"
        return body
    }

    /// `GET /portal/apps/{id}`.
    func appPage(_ id: String, _ context: PortalContext) -> HTTPServerResponse {
        let client: ClientRecord
        switch owned(id, context) {
        case .success(let value): client = value
        case .failure(let refusal): return refusal.response
        }
        var body = "<h1>\(HTML.escape(client.name))</h1>" + details(client)
        if client.status == .active {
            if !client.isPublic {
                body += "<form method=\"post\" action=\"\(Self.basePath)/apps/\(HTML.escape(client.clientID))/rotate-secret\">"
                    + HTML.hidden("csrf_token", context.csrf)
                    + "<button type=\"submit\">Rotate secret</button> <span class=\"muted\">The current secret stops "
                    + "working at once; the new one is shown once.</span></form>"
            }
            body += "<p><a href=\"\(Self.basePath)/apps/\(HTML.escape(client.clientID))/revoke\">Revoke this application…</a></p>"
        }
        body += "<p><a href=\"\(Self.basePath)\">Back to applications</a></p>"
        return HTMLPage(title: client.name, body: body).response()
    }

    /// `GET /portal/apps/{id}/revoke`: the confirmation.
    func confirmRevoke(_ id: String, _ context: PortalContext) -> HTTPServerResponse {
        let client: ClientRecord
        switch owned(id, context) {
        case .success(let value): client = value
        case .failure(let refusal): return refusal.response
        }
        guard client.status == .active else { return appPage(id, context) }
        let body = "<h1>Revoke \(HTML.escape(client.name))?</h1>"
            + "<p class=\"error\">This cannot be undone. Every token of <code>\(HTML.escape(client.clientID))</code> "
            + "stops working within a second, and it can get no new ones.</p>"
            + "<form method=\"post\" action=\"\(Self.basePath)/apps/\(HTML.escape(client.clientID))/revoke\">"
            + HTML.hidden("csrf_token", context.csrf) + HTML.hidden("confirm", "yes")
            + "<button type=\"submit\" class=\"danger\">Revoke permanently</button></form>"
            + "<p><a href=\"\(Self.basePath)/apps/\(HTML.escape(client.clientID))\">Keep it</a></p>"
        return HTMLPage(title: "Revoke application", body: body).response()
    }

    /// The facts of one application (never secret material).
    func details(_ client: ClientRecord) -> String {
        var body = "<table><tbody><tr><th>Client id</th><td><code>\(HTML.escape(client.clientID))</code></td></tr>"
            + "<tr><th>Type</th><td>\(client.isPublic ? "public (PKCE, no secret)" : "confidential (has a secret)")</td></tr>"
            + "<tr><th>Status</th><td>\(client.status.rawValue)</td></tr><tr><th>Scopes</th><td><ul class=\"scopes\">"
        for scope in client.scopes {
            body += "<li><code>\(HTML.escape(scope))</code> — \(HTML.escape(scopes.describe(scope)))</li>"
        }
        body += "</ul></td></tr><tr><th>Redirect URIs</th><td>"
        body += client.redirectURIs.isEmpty ? "<span class=\"muted\">none</span>"
            : client.redirectURIs.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: "<br>")
        body += "</td></tr><tr><th>Created</th><td>\(client.createdAt.iso8601)</td></tr>"
        if let revokedAt = client.revokedAt { body += "<tr><th>Revoked</th><td>\(revokedAt.iso8601)</td></tr>" }
        return body + "</tbody></table>"
    }

    /// The client `id` when it belongs to the user's org; else the 404 page.
    func owned(_ id: String, _ context: PortalContext) -> Result<ClientRecord, Refusal> {
        do {
            guard let client = try service.store.clients.get(id), client.orgID == context.user.orgID else {
                return .failure(Refusal(response: WebPages.error(404, title: "Not found",
                    "Your organisation has no application \(id).")))
            }
            return .success(client)
        } catch {
            return .failure(Refusal(response: unavailable()))
        }
    }
}
