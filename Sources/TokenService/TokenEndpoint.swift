import GatewayHTTP
import GatewayPosix

/// `POST /oauth/token` (RFC 6749 §3.2, §4.4): the client credentials grant.
///
/// On the event loop (cheap): method, content type, form syntax, credential syntax,
/// `grant_type` present and supported. On the worker pool: client authentication
/// (HMAC for a returning client, else bcrypt), the grant rules, signing and the audit
/// event. When the pool's queue is full the answer is 503 `temporarily_unavailable` with
/// `Retry-After: 1`. Every answer carries `Cache-Control: no-store` and `Pragma: no-cache`.
///
/// Grant rules: a public client (no secret) → `unauthorized_client`; the scopes follow
/// `ScopeResolver` (requested ⊆ client grant ⊆ org policy, else `invalid_scope`). The
/// success body is `{"access_token","token_type":"Bearer","expires_in","scope"}`; no
/// refresh token is issued for this grant (RFC 6749 §4.4.3).
public struct TokenEndpoint: HTTPResponder {
    public static let supportedGrantTypes = ["client_credentials"]

    let configuration: TokenServiceConfiguration
    let authenticator: ClientAuthenticator
    let issuer: AccessTokenIssuer
    let pool: WorkerPool

    public init(configuration: TokenServiceConfiguration, authenticator: ClientAuthenticator,
                issuer: AccessTokenIssuer, pool: WorkerPool) {
        self.configuration = configuration
        self.authenticator = authenticator
        self.issuer = issuer
        self.pool = pool
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let realm = configuration.realm
        let parsed: OAuthFormRequest
        switch OAuthFormRequest.parse(request, realm: realm) {
        case .success(let value): parsed = value
        case .failure(let refusal): return done(refusal.response)
        }
        guard let grantType = parsed.form["grant_type"], !grantType.isEmpty else {
            return done(OAuthError(.invalidRequest, "grant_type is required").response(realm: realm))
        }
        guard Self.supportedGrantTypes.contains(grantType) else {
            return done(OAuthError(.unsupportedGrantType,
                "grant_type \(grantType) is not supported; use client_credentials").response(realm: realm))
        }
        let remote = request.remoteAddress, requestID = request.requestID
        let accepted = pool.submit { [self] in
            done(clientCredentials(parsed, remoteAddress: remote, requestID: requestID).response(realm: realm))
        }
        if !accepted { done(OAuthError.busy().response(realm: realm)) }
    }

    /// The client credentials grant after the request's syntax was checked. Blocking.
    func clientCredentials(_ request: OAuthFormRequest, remoteAddress: String, requestID: String) -> TokenAnswer {
        let client: AuthenticatedClient
        switch authenticator.authenticate(request.credentials, address: remoteAddress) {
        case .success(let value): client = value
        case .failure(let error): return .error(error)
        }
        guard client.method != .none else {
            return .error(OAuthError(.unauthorizedClient,
                "a public client cannot use client_credentials; use the authorization code grant with PKCE"))
        }
        let scopes: [String]
        switch ScopeResolver.resolve(requested: request.form["scope"], clientScopes: client.client.scopes,
                                     orgPolicy: client.orgPolicy) {
        case .success(let value): scopes = value
        case .failure(let error): return .error(error)
        }
        switch issuer.issue(client: client.client, scopes: scopes, grantType: "client_credentials",
                            authMethod: client.method, requestID: requestID.isEmpty ? nil : requestID) {
        case .success(let issued): return .token(issued)
        case .failure(let error): return .error(error)
        }
    }
}

/// What the token endpoint answers: a token or an OAuth error.
enum TokenAnswer {
    case token(IssuedAccessToken)
    case error(OAuthError)

    func response(realm: String) -> HTTPServerResponse {
        switch self {
        case .error(let error):
            return error.response(realm: realm)
        case .token(let issued):
            return OAuthResponse.json(status: 200, .object([
                ("access_token", .string(issued.token)),
                ("token_type", .string("Bearer")),
                ("expires_in", .integer(issued.expiresIn)),
                ("scope", .string(issued.scopes.joined(separator: " "))),
            ]))
        }
    }
}
