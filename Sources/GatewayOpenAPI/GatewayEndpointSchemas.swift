import GatewayHTTP

/// `components.schemas` of the built-in endpoints (`GatewayEndpoints`).
/// Names avoid those the SDK generators use themselves (`ApiClient`,
/// `Configuration`, `<OperationId>Request`) and the `New<Other>` pattern
/// that clashes with generated Go constructors.
enum GatewayEndpointSchemas {
    typealias S = Schema

    static let all: [(String, JSONValue)] = [
        ("TokenRequest", S.object([
            ("grant_type", S.string("The grant: `client_credentials` (confidential clients), `authorization_code` (with `code`, `code_verifier` and `redirect_uri`; PKCE S256), or `refresh_token` (rotated on every use).",
                                    enumeration: ["client_credentials", "authorization_code", "refresh_token"])),
            ("client_id", S.string("The client, when not authenticating with HTTP Basic.")),
            ("client_secret", S.string("The client's secret, when not authenticating with HTTP Basic.", format: "password")),
            ("scope", S.string("Space-separated scopes; default: every scope granted to the client that its organisation's policy allows.",
                               example: "ledger:read ledger:write")),
            ("code", S.string("The authorization code (`authorization_code`).")),
            ("code_verifier", S.string("The PKCE verifier (`authorization_code`).")),
            ("redirect_uri", S.string("The redirect URI the code was issued for (`authorization_code`).", format: "uri")),
            ("refresh_token", S.string("The refresh token (`refresh_token`); it is rotated on use.")),
        ], required: ["grant_type"], description: "A token request (RFC 6749 §4.4.2; §4.1.3 and §6 for the authorization-code flow). Each parameter at most once; unknown parameters are ignored.")),
        ("TokenResponse", S.object([
            ("access_token", S.string("A JWT access token (RFC 9068).")),
            ("token_type", S.string("Always `Bearer`.", enumeration: ["Bearer"])),
            ("expires_in", S.integer("Seconds until the token expires (at most 900).", format: "int32",
                                     minimum: 1, maximum: 900, example: 900)),
            ("scope", S.string("The scopes the token carries, space-separated.", example: "ledger:read")),
            ("refresh_token", S.string("A refresh token (authorization-code grants only; never for `client_credentials`).")),
        ], required: ["access_token", "token_type", "expires_in", "scope"], description: "An issued access token.")),
        ("IntrospectionRequest", S.object([
            ("token", S.string("The token to inspect.", minLength: 1)),
            ("token_type_hint", S.string("Accepted and ignored.", enumeration: ["access_token", "refresh_token"])),
            ("client_id", S.string("The calling client, when not authenticating with HTTP Basic.")),
            ("client_secret", S.string("Its secret, when not authenticating with HTTP Basic.", format: "password")),
        ], required: ["token"], description: "An introspection request (RFC 7662 §2.1).")),
        ("IntrospectionResponse", S.object([
            ("active", S.boolean("Whether the token is currently valid.")),
            ("scope", S.string("The token's scopes, space-separated.")),
            ("client_id", S.string("The client the token was issued to.")),
            ("org_id", S.string("The client's organisation (always the caller's).")),
            ("sub", S.string("The subject: the client id for client-credentials tokens.")),
            ("aud", S.string("The audience the token is for.")),
            ("iss", S.string("The issuer.")),
            ("exp", S.integer("Expiry, seconds since the epoch.")),
            ("iat", S.integer("Issued at, seconds since the epoch.")),
            ("nbf", S.integer("Not before, seconds since the epoch (only when the token has it).")),
            ("jti", S.string("The token's id.")),
            ("token_type", S.string(enumeration: ["Bearer"])),
        ], required: ["active"], description: "A token's state (RFC 7662 §2.2). An inactive token is exactly `{\"active\": false}`; an active one has every member but `nbf`.")),
        ("RevocationRequest", S.object([
            ("token", S.string("The token to revoke.", minLength: 1)),
            ("token_type_hint", S.string("Where to look first; other values are ignored.", enumeration: ["access_token", "refresh_token"])),
            ("client_id", S.string("The calling client, when not authenticating with HTTP Basic.")),
            ("client_secret", S.string("Its secret, when not authenticating with HTTP Basic.", format: "password")),
        ], required: ["token"], description: "A revocation request (RFC 7009 §2.1).")),
        ("ClientRegistrationRequest", S.object([
            ("name", S.string("A name people recognise: 1–100 characters, no control characters.",
                              example: "Invoice sync", minLength: 1, maxLength: 100,
                              pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]+$")),
            ("scopes", S.array(scopeToken, "Scopes within the organisation's policy.", minItems: 1, maxItems: 50)),
            ("external_id", S.string("Your own id for this client (printable ASCII, no spaces); makes creation idempotent.",
                                     nullable: true, minLength: 1, maxLength: 128, pattern: "^[!-~]+$")),
            ("rpm", S.integer("Requests per minute (default: the gateway's `default_rpm`).", format: "int32",
                              minimum: 1, maximum: 1_000_000, nullable: true)),
            ("redirect_uris", S.array(S.string(format: "uri", maxLength: 2000, pattern: "^[A-Za-z][A-Za-z0-9+.-]*:[!-\"$-~]+$"),
                                      "Absolute redirect URIs without fragments, for authorization-code grants.",
                                      maxItems: 10, nullable: true)),
            ("public", S.boolean("A public client (browser or mobile app): no secret, authorization code with PKCE "
                                 + "only; needs a redirect URI.")),
        ], required: ["name", "scopes"],
           description: "A client to create. Unknown members are refused; `null` for an optional member is the same as leaving it out.",
           additional: false)),
        ("ClientWithSecret", S.object(clientProperties(withSecret: true), required: clientRequired(withSecret: true),
                                      description: "A client with its secret, shown once (on creation and rotation).")),
        ("RegisteredClient", S.object(clientProperties(withSecret: false), required: clientRequired(withSecret: false),
                                      description: "A client, without secret material.")),
        ("RegisteredClientList", S.object([
            ("clients", S.array(S.ref("RegisteredClient"))),
        ], required: ["clients"], description: "The organisation's clients.")),
        ("ClientRevocationRequest", S.object([
            ("reason", S.string("A reason code for the audit log (default `unspecified`).", example: "compromised",
                                nullable: true, pattern: "^[a-z0-9_.-]{1,64}$")),
        ], description: "Why the client is revoked. Unknown members are refused.", additional: false)),
        ("AuthorizationServerMetadata", S.object([
            ("issuer", S.string(format: "uri")),
            ("authorization_endpoint", S.string(format: "uri")),
            ("token_endpoint", S.string(format: "uri")),
            ("introspection_endpoint", S.string(format: "uri")),
            ("revocation_endpoint", S.string(format: "uri")),
            ("jwks_uri", S.string(format: "uri")),
            ("scopes_supported", S.array(S.string())),
            ("response_types_supported", S.array(S.string())),
            ("grant_types_supported", S.array(S.string())),
            ("token_endpoint_auth_methods_supported", S.array(S.string())),
            ("introspection_endpoint_auth_methods_supported", S.array(S.string())),
            ("revocation_endpoint_auth_methods_supported", S.array(S.string())),
            ("code_challenge_methods_supported", S.array(S.string())),
        ], required: ["issuer", "authorization_endpoint", "token_endpoint", "introspection_endpoint", "revocation_endpoint",
                      "jwks_uri", "scopes_supported", "response_types_supported", "grant_types_supported",
                      "token_endpoint_auth_methods_supported", "code_challenge_methods_supported"],
           description: "RFC 8414 metadata.", additional: true)),
        ("JsonWebKey", S.object([
            ("kty", S.string(enumeration: ["RSA", "EC"])),
            ("kid", S.string()),
            ("use", S.string(enumeration: ["sig"])),
            ("alg", S.string(enumeration: ["RS256", "ES256"])),
            ("n", S.string()), ("e", S.string()),
            ("crv", S.string()), ("x", S.string()), ("y", S.string()),
        ], required: ["kty", "kid"], description: "A public signing key (RFC 7517).", additional: true)),
        ("JsonWebKeySet", S.object([("keys", S.array(S.ref("JsonWebKey")))], required: ["keys"],
                                   description: "RFC 7517 key set.")),
        ("HealthStatus", S.object([("status", S.string(enumeration: ["ok", "ready"]))], required: ["status"])),
        ("Changelog", S.object([
            ("feed", S.string("The same entries as an Atom feed.", format: "uri")),
            ("entries", S.array(S.ref("ChangelogEntry"), "Newest announcement first.")),
        ], required: ["feed", "entries"], description: "Deprecations and sunsets of API versions.")),
        ("ChangelogEntry", S.object([
            ("id", S.string("Stable id of the entry (also the Atom entry id).", format: "uri")),
            ("api", S.string(example: "ledger")),
            ("version", S.string(example: "v1")),
            ("status", S.string(enumeration: ["deprecated"])),
            ("deprecated_at", S.string("When the deprecation was announced.", format: "date-time")),
            ("sunset", S.string("When the version stops answering (410 afterwards).", format: "date-time", nullable: true)),
            ("successor", S.string("The version to move to.", nullable: true)),
            ("link", S.string("Where to read about the change.", nullable: true)),
            ("title", S.string()),
            ("summary", S.string()),
        ], required: ["id", "api", "version", "status", "deprecated_at", "title", "summary"])),
    ]

    /// A scope token (RFC 6749 §3.3): printable ASCII without spaces, quotes or backslashes.
    static let scopeToken = S.string(example: "ledger:read", maxLength: 128, pattern: "^[!#-\\[\\]-~]+$")

    /// The members of a client as the management API shows it; `client_secret`
    /// second when the answer carries one.
    static func clientProperties(withSecret: Bool) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("client_id", S.string(example: "cl_Hx2mQ9vT4bWc8nRf1kLp0A")),
            ("org_id", S.string()),
            ("name", S.string()),
            ("scopes", S.array(S.string())),
            ("rpm", S.integer("Requests per minute; null: the gateway's `default_rpm`.", format: "int32", nullable: true)),
            ("redirect_uris", S.array(S.string(format: "uri"))),
            ("external_id", S.string(nullable: true)),
            ("status", S.string(enumeration: ["ACTIVE", "REVOKED"])),
            ("public", S.boolean("A public client (no secret; authorization code with PKCE only).")),
            ("created_at", S.string(format: "date-time")),
            ("updated_at", S.string(format: "date-time")),
            ("revoked_at", S.string("Once revoked.", format: "date-time")),
            ("revoked_reason", S.string("Once revoked: the reason code.", nullable: true)),
            ("revoked_by", S.string("Once revoked: who revoked it (`client:<id>`, `cli`).", nullable: true)),
        ]
        if withSecret {
            members.insert(("client_secret", S.string("Shown once, never again; absent for a public client.", format: "password")), at: 1)
        }
        return members
    }

    /// `client_secret` is never required: a public client has none.
    static func clientRequired(withSecret: Bool) -> [String] {
        ["client_id"]
            + ["org_id", "name", "scopes", "rpm", "redirect_uris", "external_id", "status", "public", "created_at", "updated_at"]
    }
}
