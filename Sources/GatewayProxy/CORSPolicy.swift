import GatewayHTTP

/// Cross-origin resource sharing (the Fetch standard's CORS protocol) for browser
/// applications on the origins `routes.json` lists under `cors`.
///
/// - Only proxied operations and the local endpoints marked `crossOrigin` (the
///   OAuth token, introspection and revocation endpoints, the management API, the
///   metadata, JWKS, OpenAPI and changelog documents) take part. The portal and
///   the authorization pages are navigations with cookies: never cross-origin.
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`)
///   from an allowed origin, for a method the path answers, gets 204 with
///   `Access-Control-Allow-Origin`, `-Allow-Methods` (the requested method),
///   `-Allow-Headers` and `-Max-Age`; from any other origin, or for a method the
///   path does not answer, 403 problem+json saying which. No token is needed.
/// - Every other answer to an allowed origin (errors included, so a page can read
///   a 401 or a 429) carries `Access-Control-Allow-Origin`, `Vary: Origin` and
///   `Access-Control-Expose-Headers` listing the gateway's own fields; answers
///   without an allowed origin carry `Vary: Origin` (not with `*`, where nothing
///   varies), so no cache serves one origin's answer to another; the
///   upstream's `Access-Control-*` fields are dropped so the browser sees one
///   answer, the gateway's.
/// - Credentials (cookies) are never allowed: API calls carry bearer tokens.
public struct CORSPolicy: Sendable {
    /// Request fields every preflight allows.
    public static let defaultAllowedHeaders = ["Authorization", "Content-Type", "Accept", "X-Request-Id"]
    /// Response fields a page may read besides the CORS-safelisted ones.
    public static let exposedHeaders = "RateLimit, RateLimit-Policy, Retry-After, X-Request-Id, Deprecation, Sunset, "
        + "Link, Location, WWW-Authenticate"

    private let origins: Set<String>
    private let anyOrigin: Bool
    let allowHeaders: String
    let maxAge: String

    public init(_ settings: CORSSettings) {
        anyOrigin = settings.allowedOrigins.contains("*")
        origins = Set(settings.allowedOrigins.filter { $0 != "*" })
        allowHeaders = (Self.defaultAllowedHeaders + settings.allowedHeaders).joined(separator: ", ")
        maxAge = String(settings.maxAgeSeconds)
    }

    /// Whether answers differ by `Origin` (they do unless any origin is allowed):
    /// then every answer of a cross-origin endpoint carries `Vary: Origin`.
    public var variesByOrigin: Bool { !anyOrigin }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, or nil
    /// when that origin is not allowed.
    public func allowOrigin(for origin: String) -> String? {
        if anyOrigin { return "*" }
        return origins.contains(origin) ? origin : nil
    }

    /// The fields every answer to an allowed origin carries.
    public func responseFields(allowOrigin: String) -> [(String, String)] {
        variesByOrigin
            ? [("Access-Control-Allow-Origin", allowOrigin), ("Vary", "Origin"),
               ("Access-Control-Expose-Headers", Self.exposedHeaders)]
            : [("Access-Control-Allow-Origin", allowOrigin), ("Access-Control-Expose-Headers", Self.exposedHeaders)]
    }

    /// The fields of a successful preflight answer for `method`.
    public func preflightFields(allowOrigin: String, method: String) -> [(String, String)] {
        [("Access-Control-Allow-Origin", allowOrigin)] + (variesByOrigin ? [("Vary", "Origin")] : [])
            + [("Access-Control-Allow-Methods", method), ("Access-Control-Allow-Headers", allowHeaders),
               ("Access-Control-Max-Age", maxAge)]
    }

    /// Why `origin` cannot be listed, or nil: `*`, or `http(s)://host[:port]` as a
    /// browser serialises it (lower case, no default port, no path, query or fragment).
    public static func originProblem(_ origin: String) -> String? {
        if origin == "*" { return nil }
        let example = "must be an origin such as https://app.example.com (scheme, host and port only) or *"
        let scheme: String
        if origin.hasPrefix("https://") { scheme = "https" } else if origin.hasPrefix("http://") { scheme = "http" } else {
            return example
        }
        let authority = origin.dropFirst(scheme.count + 3)
        guard !authority.isEmpty, !authority.contains(where: { "/?#@ ".contains($0) }) else { return example }
        guard origin == origin.lowercased() else { return "must be in lower case, as browsers send it" }
        if (scheme == "https" && authority.hasSuffix(":443")) || (scheme == "http" && authority.hasSuffix(":80")) {
            return "must leave out the default port, as browsers do"
        }
        return nil
    }
}
