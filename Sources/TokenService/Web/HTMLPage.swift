import GatewayHTTP

/// A server-rendered page of the authorization flow or the portal, with the headers every
/// such page carries:
///
/// - `Content-Security-Policy: default-src 'none'; style-src 'sha256-…'; form-action
///   'self'; frame-ancestors 'none'; base-uri 'none'` — no script, image, font or frame
///   may load, the one inline stylesheet is allowed by its hash, forms post only here
///   (plus, on authorization pages, the origin of the client's redirect URI: browsers
///   apply `form-action` to the redirect that follows a form post);
/// - `X-Frame-Options: DENY` (clickjacking, for browsers without CSP 2),
///   `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
///   `Cross-Origin-Opener-Policy: same-origin`;
/// - `Cache-Control: no-store` and `Pragma: no-cache` (pages hold CSRF tokens and, once,
///   secrets).
/// Pages work without JavaScript and load nothing from elsewhere.
public struct HTMLPage: Sendable {
    public var status: Int
    public var title: String
    /// The content of `<main>`, already escaped where needed (`HTML.escape`).
    public var body: String
    /// Extra `form-action` sources (see `FormActionSource`).
    public var formActionSources: [String]
    /// Extra headers (`Set-Cookie`, `Retry-After`, …).
    public var headers: HTTPHeaders

    public init(status: Int = 200, title: String, body: String, formActionSources: [String] = [],
                headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.title = title
        self.body = body
        self.formActionSources = formActionSources
        self.headers = headers
    }

    public func response() -> HTTPServerResponse {
        var fields = Self.securityHeaders(formActionSources: formActionSources)
        for field in headers { fields.add(name: field.name, value: field.value) }
        fields.replaceOrAdd(name: "Content-Type", value: "text/html; charset=utf-8")
        let document = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"referrer\" content=\"no-referrer\">"
            + "<title>" + HTML.escape(title) + " · Portcullis</title><style>" + Self.stylesheet + "</style></head>"
            + "<body><header><span class=\"brand\">Portcullis</span></header><main>" + body
            + "</main></body></html>\n"
        return HTTPServerResponse(status: status, headers: fields, body: Array(document.utf8))
    }

    /// A redirect (303 after a form post, 302 back to a client) with the same headers.
    public static func redirect(_ location: String, status: Int = 303, headers: HTTPHeaders = HTTPHeaders(),
                                formActionSources: [String] = []) -> HTTPServerResponse {
        var fields = securityHeaders(formActionSources: formActionSources)
        for field in headers { fields.add(name: field.name, value: field.value) }
        fields.replaceOrAdd(name: "Location", value: location)
        return HTTPServerResponse(status: status, headers: fields)
    }

    /// The headers of every page and redirect.
    public static func securityHeaders(formActionSources: [String] = []) -> HTTPHeaders {
        let formAction = (["'self'"] + formActionSources).joined(separator: " ")
        return HTTPHeaders([
            ("Content-Security-Policy", "default-src 'none'; style-src \(styleSource); form-action \(formAction); "
                + "frame-ancestors 'none'; base-uri 'none'"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cache-Control", "no-store"),
            ("Pragma", "no-cache"),
        ])
    }

    /// The CSP source allowing exactly `stylesheet`.
    public static let styleSource = "'sha256-" + StandardBase64.encode(SHA256Hash.digest(stylesheet)) + "'"

    /// The one stylesheet, inline.
    public static let stylesheet = """
        :root{color-scheme:light;--ink:#1d2330;--muted:#5b6474;--line:#d8dde6;--accent:#1f5fbf;--bad:#a4262c;--bg:#f6f7f9}\
        *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}\
        header{background:var(--ink);color:#fff;padding:.6rem 1.2rem}.brand{font-weight:700;letter-spacing:.04em}\
        main{max-width:46rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border:1px solid var(--line);border-radius:8px}\
        h1{font-size:1.4rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}\
        label{display:block;font-weight:600;margin:.8rem 0 .2rem}\
        input:not([type=checkbox],[type=radio],[type=hidden],[type=submit]),textarea{width:100%;padding:.5rem;border:1px solid var(--line);border-radius:4px;font:inherit}\
        button{font:inherit;padding:.5rem 1rem;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;margin:.8rem .5rem 0 0}\
        button.secondary{background:#fff;color:var(--accent)}button.danger{background:var(--bad);border-color:var(--bad)}\
        .error{color:var(--bad);font-weight:600}.muted{color:var(--muted)}.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}\
        .secret{font-family:ui-monospace,monospace;background:var(--bg);border:1px solid var(--line);padding:.5rem;word-break:break-all}\
        pre{background:var(--bg);border:1px solid var(--line);padding:.6rem;overflow-x:auto;font-size:.85rem}\
        table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem;border-bottom:1px solid var(--line)}\
        ul.scopes li{margin:.3rem 0}code{font-family:ui-monospace,monospace}form.inline{display:inline}
        """
}
