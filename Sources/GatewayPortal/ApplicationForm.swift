import GatewayHTTP
import TokenService

/// The registration form: name, type (confidential or public), scopes as check boxes
/// (the org's policy, each with its words) and redirect URIs (one per line), re-shown
/// with the user's values and a message when the registration is refused.
struct ApplicationForm {
    /// What the user typed.
    struct Values: Equatable {
        var name: String
        var isPublic: Bool
        var scopes: [String]
        var redirectURIs: [String]

        static let empty = Values(name: "", isPublic: false, scopes: [], redirectURIs: [])

        init(name: String, isPublic: Bool, scopes: [String], redirectURIs: [String]) {
            self.name = name
            self.isPublic = isPublic
            self.scopes = scopes
            self.redirectURIs = redirectURIs
        }

        /// From a posted form: `name`, `type=public|confidential`, repeated `scope`,
        /// `redirect_uris` (lines).
        init(_ form: URLEncodedForm) {
            name = (form.values("name").first ?? "").trimmingASCIIWhitespace().description
            isPublic = form.values("type").first == "public"
            scopes = form.values("scope")
            redirectURIs = (form.values("redirect_uris").first ?? "")
                .split(whereSeparator: { $0 == "\n" || $0 == "\r" })
                .map { $0.trimmingASCIIWhitespace().description }
                .filter { !$0.isEmpty }
        }

        var request: ClientRequest {
            ClientRequest(name: name, scopes: scopes, redirectURIs: redirectURIs, isPublic: isPublic)
        }
    }

    var values: Values
    var policy: [String]
    var scopes: ScopeCatalog

    func page(csrf: String, status: Int = 200, message: String? = nil) -> HTTPServerResponse {
        var body = "<h1>Register an application</h1>"
        if let message { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(message))</p>" }
        body += "<form method=\"post\" action=\"\(DeveloperPortal.basePath)/apps\">" + HTML.hidden("csrf_token", csrf)
            + "<label for=\"name\">Name</label><input id=\"name\" name=\"name\" type=\"text\" maxlength=\"100\" required "
            + "value=\"\(HTML.escape(values.name))\">"
            + "<label>Type</label>"
            + "<label class=\"check\"><input type=\"radio\" name=\"type\" value=\"confidential\"\(values.isPublic ? "" : " checked")> "
            + "Confidential — a server that can keep a secret (client credentials, or authorization code with PKCE)</label>"
            + "<label class=\"check\"><input type=\"radio\" name=\"type\" value=\"public\"\(values.isPublic ? " checked" : "")> "
            + "Public — a browser or mobile app without a secret (authorization code with PKCE only)</label>"
            + "<label>Scopes</label>"
        for scope in policy {
            let checked = values.scopes.contains(scope) ? " checked" : ""
            body += "<label class=\"check\"><input type=\"checkbox\" name=\"scope\" value=\"\(HTML.escape(scope))\"\(checked)> "
                + "<span><code>\(HTML.escape(scope))</code> — \(HTML.escape(scopes.describe(scope)))</span></label>"
        }
        body += "<label for=\"redirect_uris\">Redirect URIs <span class=\"muted\">(one per line; required for public "
            + "applications and for the authorization code grant)</span></label>"
            + "<textarea id=\"redirect_uris\" name=\"redirect_uris\" rows=\"3\">"
            + HTML.escape(values.redirectURIs.joined(separator: "\n")) + "</textarea>"
            + "<button type=\"submit\">Register</button></form>"
            + "<p><a href=\"\(DeveloperPortal.basePath)\">Cancel</a></p>"
        return HTMLPage(status: status, title: "Register an application", body: body).response()
    }

    /// A refusal in the form's words.
    static func explain(_ error: ClientRequest.Invalid) -> String {
        let field = ["name": "Name", "scopes": "Scopes", "redirect_uris": "Redirect URIs"][error.field] ?? error.field
        if error.field == "scopes" && error.problem.hasPrefix("must list 1–") { return "Choose at least one scope." }
        return "\(field): \(error.problem)"
    }
}
