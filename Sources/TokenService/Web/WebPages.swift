import GatewayHTTP

/// Pages both the authorization flow and the portal show: errors and the login form.
public enum WebPages {
    /// A page that explains a refusal and what to do next.
    public static func error(_ status: Int, title: String, _ message: String,
                             headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        HTMLPage(status: status, title: title,
                 body: "<h1>\(HTML.escape(title))</h1><p class=\"error\">\(HTML.escape(message))</p>",
                 headers: headers).response()
    }

    /// The answer to a form post without a valid CSRF token or session (403).
    public static func forbidden() -> HTTPServerResponse {
        error(403, title: "Request refused",
              "This form was not sent from a page of this session (missing or wrong CSRF token, or the session "
                + "expired). Go back, reload the page and try again.")
    }

    /// `405` with `Allow`.
    public static func methodNotAllowed(_ allow: String) -> HTTPServerResponse {
        error(405, title: "Method not allowed", "Use \(allow) here.", headers: ["Allow": allow])
    }

    /// The login form. `hidden` fields are posted back with it (besides the CSRF token).
    /// `intro` is HTML: escape any text put into it (`HTML.escape`); every other argument
    /// is escaped here.
    public static func login(status: Int = 200, action: String, csrfToken: String, hidden: [(String, String)] = [],
                             heading: String, intro: String, email: String = "", message: String? = nil,
                             formActionSources: [String] = [], headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        var body = "<h1>\(HTML.escape(heading))</h1><p>\(intro)</p>"
        if let message { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(message))</p>" }
        body += "<form method=\"post\" action=\"\(HTML.escape(action))\">" + HTML.hidden("csrf_token", csrfToken)
        for (name, value) in hidden { body += HTML.hidden(name, value) }
        body += "<label for=\"email\">E-mail</label><input id=\"email\" name=\"email\" type=\"email\" "
            + "autocomplete=\"username\" required value=\"\(HTML.escape(email))\">"
            + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" "
            + "autocomplete=\"current-password\" required>"
            + "<button type=\"submit\">Sign in</button></form>"
        return HTMLPage(status: status, title: heading, body: body, formActionSources: formActionSources,
                        headers: headers).response()
    }
}
