import GatewayHTTP

/// `components.schemas` of the built-in endpoints (`GatewayEndpoints`).
/// Names avoid those the SDK generators use themselves (`ApiClient`,
/// `Configuration`, `<OperationId>Request`) and the `New<Other>` pattern
/// that clashes with generated Go constructors.
enum GatewayEndpointSchemas {
    typealias S = Schema

    static let all: [(String, JSONValue)] = [
        ("TokenRequest", S.object([
            ("grant_type", S.string("The grant.", enumeration: ["client_credentials", "authorization_code", "refresh_token"])),
            ("client_id", S.string("The client, when not authenticating with HTTP Basic.")),
            ("client_secret", S.string("The client's secret, when not authenticating with HTTP Basic.", format: "password")),
            ("scope", S.string("Space-separated scopes; default: every scope granted to the client.",
                               example: "ledger:read ledger:write")),
            ("code", S.string("The authorization code (`authorization_code`).")),
            ("code_verifier", S.string("The PKCE verifier (`authorization_code`).")),
            ("redirect_uri", S.string("The redirect URI the code was issued for (`authorization_code`).", format: "uri")),
            ("refresh_token", S.string("The refresh token (`refresh_token`); it is rotated on use.")),
        ], required: ["grant_type"], description: "A token request (RFC 6749 §4.1.3, §4.4.2, §6).")),
        ("TokenResponse", S.object([
            ("access_token", S.string("A JWT access token (RFC 9068).")),
            ("token_type", S.string("Always `Bearer`.", enumeration: ["Bearer"])),
            ("expires_in", S.integer("Seconds until the token expires (at most 900).", format: "int32",
                                     minimum: 1, maximum: 900, example: 900)),
            ("scope", S.string("The scopes the token carries, space-separated.", example: "ledger:read")),
            ("refresh_token", S.string("A refresh token (authorization-code grants only).")),
        ], required: ["access_token", "token_type", "expires_in", "scope"], description: "An issued access token.")),
        ("IntrospectionRequest", S.object([
            ("token", S.string("The token to inspect.")),
            ("token_type_hint", S.string(enumeration: ["access_token", "refresh_token"])),
            ("client_id", S.string("The calling client, when not authenticating with HTTP Basic.")),
            ("client_secret", S.string("Its secret, when not authenticating with HTTP Basic.", format: "password")),
        ], required: ["token"], description: "An introspection request (RFC 7662 §2.1).")),
        ("IntrospectionResponse", S.object([
            ("active", S.boolean("Whether the token is currently valid.")),
            ("scope", S.string()),
            ("client_id", S.string()),
            ("token_type", S.string()),
            ("exp", S.integer("Expiry, seconds since the epoch.")),
            ("iat", S.integer("Issued at, seconds since the epoch.")),
            ("sub", S.string()),
            ("aud", S.string()),
            ("iss", S.string()),
            ("jti", S.string()),
        ], required: ["active"], description: "A token's state; only `active` when it is not active.")),
        ("RevocationRequest", S.object([
            ("token", S.string("The token to revoke.")),
            ("token_type_hint", S.string(enumeration: ["access_token", "refresh_token"])),
            ("client_id", S.string("The calling client, when not authenticating with HTTP Basic.")),
            ("client_secret", S.string("Its secret, when not authenticating with HTTP Basic.", format: "password")),
        ], required: ["token"], description: "A revocation request (RFC 7009 §2.1).")),
        ("ClientRegistrationRequest", S.object([
            ("name", S.string("A name people recognise.", example: "Invoice sync")),
            ("scopes", S.array(S.string(example: "ledger:read"), "Scopes within the organisation's policy.")),
            ("external_id", S.string("Your own id for this client; makes creation idempotent.", nullable: true)),
            ("rpm", S.integer("Requests per minute (default: the gateway's `default_rpm`).", format: "int32",
                              minimum: 0, nullable: true)),
            ("redirect_uris", S.array(S.string(format: "uri"), "Redirect URIs for authorization-code grants.")),
            ("public", S.boolean("A public client (browser or mobile app): no secret, authorization code with PKCE "
                                 + "only; needs a redirect URI.")),
        ], required: ["name", "scopes"], description: "A client to create.")),
        ("ClientCredentials", S.object([
            ("client_id", S.string(example: "pc_7Hq2xVb9")),
            ("client_secret", S.string("Shown once, never again; absent for a public client.", format: "password")),
        ], required: ["client_id"], description: "A client's id and its secret.")),
        ("RegisteredClient", S.object([
            ("client_id", S.string()),
            ("name", S.string()),
            ("org_id", S.string()),
            ("scopes", S.array(S.string())),
            ("external_id", S.string(nullable: true)),
            ("rpm", S.integer(format: "int32", nullable: true)),
            ("redirect_uris", S.array(S.string(format: "uri"))),
            ("status", S.string(enumeration: ["ACTIVE", "REVOKED"])),
            ("public", S.boolean("A public client: no secret, PKCE only.")),
            ("created_at", S.string(format: "date-time")),
        ], required: ["client_id"], description: "A client, without secret material.")),
        ("RegisteredClientList", S.object([
            ("clients", S.array(S.ref("RegisteredClient"))),
        ], required: ["clients"], description: "The organisation's clients.")),
        ("ClientRevocationRequest", S.object([
            ("reason", S.string("A reason code for the audit log.", example: "compromised")),
        ], description: "Why the client is revoked.")),
        ("AuthorizationServerMetadata", S.object([
            ("issuer", S.string(format: "uri")),
            ("authorization_endpoint", S.string(format: "uri")),
            ("token_endpoint", S.string(format: "uri")),
            ("jwks_uri", S.string(format: "uri")),
            ("introspection_endpoint", S.string(format: "uri")),
            ("revocation_endpoint", S.string(format: "uri")),
            ("scopes_supported", S.array(S.string())),
            ("response_types_supported", S.array(S.string())),
            ("grant_types_supported", S.array(S.string())),
            ("token_endpoint_auth_methods_supported", S.array(S.string())),
            ("code_challenge_methods_supported", S.array(S.string())),
        ], required: ["issuer", "token_endpoint", "jwks_uri", "response_types_supported"],
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
}
