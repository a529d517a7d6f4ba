import GatewayHTTP

/// `GET /.well-known/oauth-authorization-server` (RFC 8414): the server's metadata,
/// built once from the configuration. `issuer` is exactly the configured issuer; every
/// endpoint URL is the issuer plus the endpoint's path.
public struct AuthorizationServerMetadataEndpoint: HTTPResponder {
    let body: [UInt8]

    public init(configuration: TokenServiceConfiguration) {
        body = Array(Self.document(configuration).serialized.utf8)
    }

    /// The metadata document.
    public static func document(_ configuration: TokenServiceConfiguration) -> JSONValue {
        func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        let authMethods = ["client_secret_basic", "client_secret_post"]
        let publicToo = authMethods + ["none"]
        let scopes = Array(Set(configuration.scopesSupported.filter(ScopeResolver.isValidToken))).sorted()
        return .object([
            ("issuer", .string(configuration.issuer)),
            ("authorization_endpoint", .string(configuration.endpointURL("/oauth/authorize"))),
            ("token_endpoint", .string(configuration.endpointURL("/oauth/token"))),
            ("introspection_endpoint", .string(configuration.endpointURL("/oauth/introspect"))),
            ("revocation_endpoint", .string(configuration.endpointURL("/oauth/revoke"))),
            ("jwks_uri", .string(configuration.endpointURL("/.well-known/jwks.json"))),
            ("scopes_supported", strings(scopes)),
            ("response_types_supported", strings(["code"])),
            ("grant_types_supported", strings(TokenEndpoint.supportedGrantTypes)),
            ("response_modes_supported", strings(["query"])),
            ("token_endpoint_auth_methods_supported", strings(publicToo)),
            ("introspection_endpoint_auth_methods_supported", strings(authMethods)),
            ("revocation_endpoint_auth_methods_supported", strings(publicToo)),
            ("code_challenge_methods_supported", strings([PKCE.method])),
            ("authorization_response_iss_parameter_supported", .bool(true)),
        ])
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        done(WellKnown.answer(request, body: body, cacheControl: "public, max-age=3600"))
    }
}

/// `GET /.well-known/jwks.json` (RFC 7517): every key that may still verify a live token,
/// read from the `SigningKeyManager` on each request (it changes at rotation).
public struct JWKSEndpoint: HTTPResponder {
    let keys: SigningKeyManager

    public init(keys: SigningKeyManager) {
        self.keys = keys
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        done(WellKnown.answer(request, body: keys.jwksJSON, cacheControl: "public, max-age=60"))
    }
}

/// Shared answers of the read-only documents: `GET`/`HEAD` only (else 405 with `Allow`).
enum WellKnown {
    static func answer(_ request: HTTPServerRequest, body: [UInt8], cacheControl: String) -> HTTPServerResponse {
        guard request.head.method == "GET" || request.head.method == "HEAD" else {
            return ProblemDetails(status: 405, detail: "Use GET.").response(headers: ["Allow": "GET, HEAD"])
        }
        return HTTPServerResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json"),
                                                                      ("Cache-Control", cacheControl)]), body: body)
    }
}
