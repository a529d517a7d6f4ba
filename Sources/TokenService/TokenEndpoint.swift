import GatewayHTTP
import GatewayPosix

/// `POST /oauth/token` (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 7636 §4.5): the client
/// credentials, authorization code and refresh token grants.
///
/// On the event loop (cheap): method, content type, form syntax, credential syntax,
/// `grant_type` present and supported. On the worker pool: client authentication
/// (HMAC for a returning client, else bcrypt; a public client by `client_id` alone), the
/// grant rules, signing and the audit event. When the pool's queue is full the answer is
/// 503 `temporarily_unavailable` with `Retry-After: 1`. Every answer carries
/// `Cache-Control: no-store` and `Pragma: no-cache`.
///
/// `client_credentials`: a public client → `unauthorized_client`; the scopes follow
/// `ScopeResolver` (requested ⊆ client grant ⊆ org policy, else `invalid_scope`); no
/// refresh token (RFC 6749 §4.4.3). `authorization_code` and `refresh_token`: see
/// `DelegatedGrants`; their answers add `refresh_token`. The success body is
/// `{"access_token","token_type":"Bearer","expires_in","scope"[,"refresh_token"]}`.
public struct TokenEndpoint: HTTPResponder {
    public static let supportedGrantTypes = ["authorization_code", "client_credentials", "refresh_token"]

    let configuration: TokenServiceConfiguration
    let authenticator: ClientAuthenticator
    let issuer: AccessTokenIssuer
    let grants: DelegatedGrants?
    let pool: WorkerPool

    /// Without `grants` only `client_credentials` is served (the others answer
    /// `unsupported_grant_type`).
    public init(configuration: TokenServiceConfiguration, authenticator: ClientAuthenticator,
                issuer: AccessTokenIssuer, grants: DelegatedGrants? = nil, pool: WorkerPool) {
        self.configuration = configuration
        self.authenticator = authenticator
        self.issuer = issuer
        self.grants = grants
        self.pool = pool
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let realm = configuration.realm
        guard let form = OAuthFormRequest.parse(request, realm: realm, requiring: "grant_type", done) else { return }
        let parsed = form.request, grantType = form.value
        let served = grants == nil ? ["client_credentials"] : Self.supportedGrantTypes
        guard served.contains(grantType) else {
            return done(OAuthError(.unsupportedGrantType, "grant_type \(String(grantType.prefix(64))) is not supported; "
                + "use " + served.joined(separator: ", ")).response(realm: realm))
        }
        let remote = request.remoteAddress, requestID = request.requestID
        let accepted = pool.submit { [self] in
            done(grant(grantType, parsed, remoteAddress: remote, requestID: requestID).response(realm: realm))
        }
        if !accepted { done(OAuthError.busy().response(realm: realm)) }
    }

    /// Authenticates the client and runs `grantType`. Blocking.
    func grant(_ grantType: String, _ request: OAuthFormRequest, remoteAddress: String, requestID: String) -> TokenAnswer {
        guard grantType != "client_credentials", let grants else {
            return clientCredentials(request, remoteAddress: remoteAddress, requestID: requestID)
        }
        let client: AuthenticatedClient
        switch authenticator.authenticate(request.credentials, address: remoteAddress) {
        case .success(let value): client = value
        case .failure(let error): return .error(error)
        }
        let id = requestID.isEmpty ? nil : requestID
        return grantType == "authorization_code" ? grants.redeemCode(request, client: client, requestID: id)
            : grants.refresh(request, client: client, requestID: id)
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
            var members: [(String, JSONValue)] = [
                ("access_token", .string(issued.token)),
                ("token_type", .string("Bearer")),
                ("expires_in", .integer(issued.expiresIn)),
                ("scope", .string(issued.scopes.joined(separator: " "))),
            ]
            if let refresh = issued.refreshToken { members.append(("refresh_token", .string(refresh))) }
            return OAuthResponse.json(status: 200, .object(members))
        }
    }
}
