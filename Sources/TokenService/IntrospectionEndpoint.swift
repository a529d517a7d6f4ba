import GatewayAuth
import GatewayHTTP
import GatewayPosix

/// `POST /v1/token/introspect` and `POST /oauth/introspect` (RFC 7662).
///
/// The caller authenticates as a confidential client (Basic or post, as at the token
/// endpoint; otherwise 401 `invalid_client`) and sends `token` (required;
/// `token_type_hint` is accepted and ignored). An active token — valid signature and
/// claims, not expired, not revoked, its client active, and of the caller's own org —
/// is described by `active`, `scope`, `client_id`, `org_id`, `sub`, `aud`, `iss`, `exp`,
/// `iat`, `jti`, `token_type` (and `nbf` when set). Anything else, including another
/// org's token, is exactly `{"active":false}`. Answers carry `Cache-Control: no-store`.
public struct IntrospectionEndpoint: HTTPResponder {
    let configuration: TokenServiceConfiguration
    let authenticator: ClientAuthenticator
    let inspector: TokenInspector
    let pool: WorkerPool

    public init(configuration: TokenServiceConfiguration, authenticator: ClientAuthenticator,
                inspector: TokenInspector, pool: WorkerPool) {
        self.configuration = configuration
        self.authenticator = authenticator
        self.inspector = inspector
        self.pool = pool
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let realm = configuration.realm
        guard let form = OAuthFormRequest.parse(request, realm: realm, requiring: "token", done) else { return }
        let parsed = form.request, token = form.value
        let remote = request.remoteAddress
        let accepted = pool.submit { [self] in
            done(introspect(token, credentials: parsed.credentials, remoteAddress: remote))
        }
        if !accepted { done(OAuthError.busy().response(realm: realm)) }
    }

    /// Authenticates the caller and describes `token`. Blocking.
    func introspect(_ token: String, credentials: ClientCredentials, remoteAddress: String) -> HTTPServerResponse {
        let caller: AuthenticatedClient
        switch authenticator.authenticate(credentials, address: remoteAddress) {
        case .success(let value): caller = value
        case .failure(let error): return error.response(realm: configuration.realm)
        }
        guard caller.method != .none else {
            return OAuthError(.invalidClient, "introspection needs a confidential client: send its client_secret")
                .response(realm: configuration.realm)
        }
        switch inspector.activeToken(token, orgID: caller.client.orgID) {
        case .failure(.storeUnavailable):
            return OAuthError.storeFailure().response(realm: configuration.realm)
        case .failure:
            return OAuthResponse.json(status: 200, .object([("active", .bool(false))]))
        case .success(let verified):
            return OAuthResponse.json(status: 200, Self.describe(verified))
        }
    }

    /// The RFC 7662 §2.2 members for an active token.
    static func describe(_ token: VerifiedToken) -> JSONValue {
        let audience: JSONValue = token.audience.count == 1
            ? .string(token.audience[0]) : .array(token.audience.map { .string($0) })
        var members: [(String, JSONValue)] = [
            ("active", .bool(true)),
            ("scope", .string(token.scopes.joined(separator: " "))),
            ("client_id", .string(token.clientID)),
            ("org_id", .string(token.orgID)),
            ("sub", .string(token.subject)),
            ("aud", audience),
            ("iss", .string(token.issuer)),
            ("exp", .integer(token.expiresAt)),
            ("iat", .integer(token.issuedAt)),
            ("jti", .string(token.tokenID)),
            ("token_type", .string("Bearer")),
        ]
        if let notBefore = token.notBefore { members.append(("nbf", .integer(notBefore))) }
        return .object(members)
    }
}
