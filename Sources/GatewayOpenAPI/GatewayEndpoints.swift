import GatewayHTTP

/// The table of endpoints the gateway serves itself (CONTRACT §4), in the
/// order the document lists them. Shapes live here and in
/// `GatewayEndpointSchemas`; whoever changes an endpoint changes its row.
enum GatewayEndpoints {
    /// Tags of the built-in endpoints, with their descriptions, in document order.
    static let tags: [(String, String)] = [
        ("oauth", "OAuth 2.0 authorization server: tokens (RFC 6749, RFC 7636), introspection (RFC 7662), revocation (RFC 7009)."),
        ("api-clients", "Self-service management of API clients of the caller's organisation."),
        ("discovery", "Metadata, keys, this document and the changelog of API versions."),
        ("operations", "Health, readiness and metrics for operators."),
    ]

    /// Scopes the built-in endpoints use, with their descriptions.
    static let scopeDescriptions: [(String, String)] = [
        ("clients:read", "Read the organisation's API clients"),
        ("clients:write", "Create, revoke and rotate the organisation's API clients"),
    ]

    /// Every built-in endpoint. `versions` are the API versions whose own
    /// document (`/{version}/openapi.json`) is served.
    static func all(versions: [String]) -> [GatewayEndpoint] {
        oauth + clients + discovery(versions: versions) + operations
    }

    typealias E = GatewayEndpoint

    /// Answers every local endpoint may give besides its own: a body over the endpoint's limit.
    static let tooLarge = E.problem(413)

    static let oauth: [GatewayEndpoint] = [
        E(method: "POST", path: "/oauth/token", operationID: "issueToken", tag: "oauth",
          summary: "Issue an access token",
          description: "Three grants. `client_credentials` (RFC 6749 §4.4) for confidential clients, which authenticate with HTTP Basic (`client_secret_basic`) or with `client_id`/`client_secret` in the body (`client_secret_post`), never both; without `scope` the token carries every scope granted to the client that its organisation's policy allows; no refresh token. `authorization_code` (RFC 6749 §4.1 with PKCE S256, RFC 7636): `code`, `code_verifier` and the same `redirect_uri`; public clients send only `client_id`; answers carry a refresh token. `refresh_token` (RFC 6749 §6): the refresh token is rotated on every use, and a reused one revokes its whole family (`invalid_grant`). After 10 failed authentications of a client id (20 of an address) within 60 s, requests get 429 `slow_down` until the window ends.",
          auth: .client, body: E.form("TokenRequest"),
          responses: [("200", E.json("The access token.", Schema.ref("TokenResponse"), headers: E.noStore)),
                      E.oauthError(400, "The request is invalid: `invalid_request` (content type, malformed or repeated parameter, two authentication methods), `unsupported_grant_type`, `invalid_scope`, `unauthorized_client` (a public client)."),
                      E.oauthError(401, "Client authentication failed (`invalid_client`)."),
                      tooLarge,
                      E.oauthError(429, "Too many failed authentications (`slow_down`)."),
                      E.oauthError(503, "The token service is busy or cannot reach its store (`temporarily_unavailable`).")]),
        E(method: "GET", path: "/oauth/authorize", operationID: "authorize", tag: "oauth",
          summary: "Start an authorization-code grant",
          description: "Checks `client_id`, `redirect_uri` (exact match) and the PKCE parameters before showing the login and consent page, then redirects to `redirect_uri` with `code` and `state`.",
          auth: .none,
          parameters: [
              E.queryParameter("response_type", "Must be `code`.", required: true,
                               schema: Schema.string(enumeration: ["code"])),
              E.queryParameter("client_id", "The client asking for authorization.", required: true),
              E.queryParameter("redirect_uri", "One of the client's registered redirect URIs, exactly.", required: true,
                               schema: Schema.string(format: "uri")),
              E.queryParameter("scope", "Space-separated scopes asked for."),
              E.queryParameter("state", "Opaque value returned unchanged with the code."),
              E.queryParameter("code_challenge", "BASE64URL(SHA-256(code_verifier)) (RFC 7636).", required: true),
              E.queryParameter("code_challenge_method", "Must be `S256`; `plain` is refused.", required: true,
                               schema: Schema.string(enumeration: ["S256"])),
          ],
          responses: [("200", SharedComponents.response("The login or consent page.", contentType: "text/html",
                                                         schema: Schema.string())),
                      ("302", SharedComponents.response("Back to `redirect_uri` with `code` and `state` (or `error`).",
                                                         headers: ["Location"])),
                      ("400", SharedComponents.response("Unknown client, unregistered redirect URI or bad PKCE parameters: shown, never redirected.",
                                                         contentType: "text/html", schema: Schema.string()))]),
        introspection(path: "/oauth/introspect", operationID: "introspectToken"),
        introspection(path: "/v1/token/introspect", operationID: "introspectTokenV1"),
        E(method: "POST", path: "/oauth/revoke", operationID: "revokeToken", tag: "oauth",
          summary: "Revoke a token",
          description: "RFC 7009. The caller authenticates as a confidential client and may revoke only its own tokens. The answer is `200 {}` whether the token was valid, unknown, expired, already revoked or another client's; an unknown `token_type_hint` is ignored.",
          auth: .client, body: E.form("RevocationRequest"),
          responses: [("200", E.json("The token is revoked (or was never valid): always an empty object.",
                                     Schema.object([], description: "Always empty.", additional: false),
                                     headers: E.noStore)),
                      E.oauthError(400, "The request is invalid (`invalid_request`: content type, malformed or repeated parameter, no `token`)."),
                      E.oauthError(401, "Client authentication failed (`invalid_client`)."),
                      tooLarge,
                      E.oauthError(429, "Too many failed authentications (`slow_down`)."),
                      E.oauthError(503, "The token service is busy or cannot reach its store (`temporarily_unavailable`).")]),
    ]

    static func introspection(path: String, operationID: String) -> GatewayEndpoint {
        E(method: "POST", path: path, operationID: operationID, tag: "oauth", summary: "Introspect a token",
          description: "RFC 7662. The caller authenticates as a confidential client. A token that is unknown, malformed, expired or revoked, whose client is revoked, or that belongs to another organisation than the caller's is answered `{\"active\": false}` and nothing else.",
          auth: .client, body: E.form("IntrospectionRequest"),
          responses: [("200", E.json("The token's state.", Schema.ref("IntrospectionResponse"), headers: E.noStore)),
                      E.oauthError(400, "The request is invalid (`invalid_request`: content type, malformed or repeated parameter, no `token`)."),
                      E.oauthError(401, "Client authentication failed (`invalid_client`)."),
                      tooLarge,
                      E.oauthError(429, "Too many failed authentications (`slow_down`)."),
                      E.oauthError(503, "The token service is busy or cannot reach its store (`temporarily_unavailable`).")])
    }

    /// Answers of every management operation: the bearer token's refusals
    /// (400 for two `Authorization` headers or a token in the query) and a busy store.
    static let managementErrors = [E.problem(400), E.problem(401), E.problem(403)]

    static let clients: [GatewayEndpoint] = [
        E(method: "POST", path: "/v1/api-clients", operationID: "createApiClient", tag: "api-clients",
          summary: "Create an API client",
          description: "Idempotent on `external_id`: the same `external_id` and body again answers 200 with the same `client_id` and no secret; the same `external_id` with a different body answers 409. The secret is shown once. A scope outside the organisation's policy is 400 with `\"error\": \"invalid_scope\"`; other refusals name the member in `field`.",
          auth: .bearer([clientsWrite]), body: E.jsonBody("ClientRegistrationRequest"),
          responses: [("201", E.json("The client was created; keep the secret, it is never shown again.",
                                     Schema.ref("ClientWithSecret"), headers: ["Location", "Cache-Control", "X-Request-Id"])),
                      ("200", E.json("A client with this `external_id` and body exists already.",
                                     Schema.ref("RegisteredClient"), headers: withCacheControl)),
                      ] + managementErrors + [E.problem(409), tooLarge, E.problem(415), E.problem(503)]),
        E(method: "GET", path: "/v1/api-clients", operationID: "listApiClients", tag: "api-clients",
          summary: "List API clients", description: "The organisation's clients, without secret material.",
          auth: .bearerAnyOf([clientsRead, clientsWrite]),
          responses: [("200", E.json("The clients.", Schema.ref("RegisteredClientList"), headers: withCacheControl)),
                      ] + managementErrors + [E.problem(503)]),
        E(method: "GET", path: "/v1/api-clients/{client_id}", operationID: "getApiClient", tag: "api-clients",
          summary: "Show an API client",
          description: "One client, without secret material. Another organisation's client is 404.",
          auth: .bearerAnyOf([clientsRead, clientsWrite]), parameters: [clientID],
          responses: [("200", E.json("The client.", Schema.ref("RegisteredClient"), headers: withCacheControl)),
                      ] + managementErrors + [E.problem(404), E.problem(503)]),
        E(method: "POST", path: "/v1/api-clients/{client_id}/revoke", operationID: "revokeApiClient",
          tag: "api-clients", summary: "Revoke an API client",
          description: "ACTIVE → REVOKED, for good; its tokens stop working within a second. Revoking a revoked client changes nothing and answers 200.",
          auth: .bearer([clientsWrite]), parameters: [clientID],
          body: E.jsonBody("ClientRevocationRequest", required: false),
          responses: [("200", E.json("The revoked client.", Schema.ref("RegisteredClient"), headers: withCacheControl)),
                      ] + managementErrors + [E.problem(404), tooLarge, E.problem(415), E.problem(503)]),
        E(method: "POST", path: "/v1/api-clients/{client_id}/rotate-secret", operationID: "rotateApiClientSecret",
          tag: "api-clients", summary: "Rotate an API client's secret",
          description: "The new secret is shown once; the old one stops working at once. A revoked client is 409.",
          auth: .bearer([clientsWrite]), parameters: [clientID],
          responses: [("200", E.json("The new credentials.", Schema.ref("ClientWithSecret"), headers: withCacheControl)),
                      ] + managementErrors + [E.problem(404), E.problem(409), E.problem(503)]),
    ]

    static let clientsRead = "clients:read"
    static let clientsWrite = "clients:write"
    /// `Cache-Control` (`no-store` on the management API, a max-age on the metadata) and the request id.
    static let withCacheControl = ["Cache-Control", "X-Request-Id"]
    static let clientID = E.pathParameter("client_id", "The client's id.")

    static func discovery(versions: [String]) -> [GatewayEndpoint] {
        [
            E(method: "GET", path: "/.well-known/oauth-authorization-server", operationID: "getAuthorizationServerMetadata",
              tag: "discovery", summary: "Authorization server metadata",
              description: "RFC 8414. `issuer` is exactly the configured issuer; every endpoint URL is the issuer plus the endpoint's path. Cacheable for an hour.",
              auth: .none,
              responses: [("200", E.json("The metadata.", Schema.ref("AuthorizationServerMetadata"), headers: withCacheControl))]),
            E(method: "GET", path: "/.well-known/jwks.json", operationID: "getJsonWebKeySet", tag: "discovery",
              summary: "Token signing keys",
              description: "RFC 7517: every key that may still verify a live token (the active key, and retired keys until the tokens they signed have expired). Cacheable for a minute.",
              auth: .none, responses: [("200", E.json("The key set.", Schema.ref("JsonWebKeySet"), headers: withCacheControl))]),
            openAPI(path: "/openapi.json", operationID: "getOpenApiDocument", summary: "This OpenAPI document"),
        ] + versions.map { version in
            openAPI(path: "/\(version)/openapi.json", operationID: "getOpenApiDocument" + Naming.pascal(version),
                    summary: "The OpenAPI document of \(version)")
        } + [
            E(method: "GET", path: "/changelog", operationID: "getChangelog", tag: "discovery",
              summary: "Deprecations and sunsets", description: "One entry per deprecated API version.", auth: .none,
              responses: [("200", E.json("The changelog.", Schema.ref("Changelog"), headers: documentHeaders)), notModified]),
            E(method: "GET", path: "/changelog.atom", operationID: "getChangelogFeed", tag: "discovery",
              summary: "Deprecations and sunsets as an Atom feed", description: "The changelog as Atom 1.0 (RFC 4287).",
              auth: .none,
              responses: [("200", E.json("The feed.", Schema.string(), headers: documentHeaders,
                                         contentType: "application/atom+xml")), notModified]),
        ]
    }

    static func openAPI(path: String, operationID: String, summary: String) -> GatewayEndpoint {
        E(method: "GET", path: path, operationID: operationID, tag: "discovery", summary: summary,
          description: "Generated from the gateway's configuration; OpenAPI 3.1.", auth: .none,
          responses: [("200", E.json("The document.", Schema.anyObject(), headers: documentHeaders)), notModified])
    }

    /// The documents' validators: a strong `ETag`, `Cache-Control: no-cache`.
    static let documentHeaders = ["ETag", "Cache-Control", "X-Request-Id"]

    /// The documents' answer to a matching `If-None-Match`.
    static let notModified = ("304", SharedComponents.response("The document is unchanged since the `ETag` sent in `If-None-Match`.",
                                                               headers: documentHeaders))

    static let operations: [GatewayEndpoint] = [
        E(method: "GET", path: "/healthz", operationID: "getHealth", tag: "operations", summary: "Liveness",
          description: "200 while the process runs.", auth: .none,
          responses: [("200", E.json("Alive.", Schema.ref("HealthStatus")))]),
        E(method: "GET", path: "/readyz", operationID: "getReadiness", tag: "operations", summary: "Readiness",
          description: "200 once started, 503 while starting or draining.", auth: .none,
          responses: [("200", E.json("Ready.", Schema.ref("HealthStatus"))),
                      ("503", E.json("Starting or draining.", Schema.ref("Problem"),
                                     contentType: ProblemDetails.contentType))]),
        E(method: "GET", path: "/metrics", operationID: "getMetrics", tag: "operations", summary: "Metrics",
          description: "Prometheus text exposition format.", auth: .none,
          responses: [("200", E.json("The metrics.", Schema.string(),
                                     contentType: "text/plain; version=0.0.4; charset=utf-8"))]),
    ]
}
