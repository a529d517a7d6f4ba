import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayPosix
import GatewayStore

/// `POST /oauth/revoke` (RFC 7009).
///
/// The caller authenticates as a client — confidential with its secret, public with its
/// `client_id` alone (RFC 7009 §2.1 lets public clients revoke their own tokens) — and
/// sends `token` (required) and
/// optionally `token_type_hint` (`access_token` or `refresh_token`; other values are
/// ignored, as §2.1 allows). An access token of the caller's own is put on the store's
/// revocation feed until its `exp` (`api.token_revoked`), so every gateway sharing the
/// store refuses it within a poll, and this process at once. A refresh token (looked up by
/// its SHA-256) has its family revoked. The answer is `200` with an empty JSON object
/// whether the token was valid, unknown, expired, already revoked or another client's —
/// in that last case nothing happens, and the caller learns nothing about the token.
public struct RevocationEndpoint: HTTPResponder {
    let configuration: TokenServiceConfiguration
    let authenticator: ClientAuthenticator
    let verifier: AccessTokenVerifier
    let store: any DataStore
    let pool: WorkerPool
    let clock: StoreClock
    /// Applies the feed rows a refresh-family revocation wrote (its access tokens) at once.
    let revocationFollower: RevocationFeedFollower?

    public init(configuration: TokenServiceConfiguration, authenticator: ClientAuthenticator,
                verifier: AccessTokenVerifier, store: any DataStore, pool: WorkerPool, clock: StoreClock = .system,
                revocationFollower: RevocationFeedFollower? = nil) {
        self.configuration = configuration
        self.authenticator = authenticator
        self.verifier = verifier
        self.store = store
        self.pool = pool
        self.clock = clock
        self.revocationFollower = revocationFollower
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let realm = configuration.realm
        guard let form = OAuthFormRequest.parse(request, realm: realm, requiring: "token", done) else { return }
        let parsed = form.request, token = form.value
        let hint = parsed.form["token_type_hint"]
        let remote = request.remoteAddress, requestID = request.requestID
        let accepted = pool.submit { [self] in
            done(revoke(token, hint: hint, credentials: parsed.credentials, remoteAddress: remote, requestID: requestID))
        }
        if !accepted { done(OAuthError.busy().response(realm: realm)) }
    }

    /// Authenticates the caller and revokes `token` if it is the caller's. Blocking.
    func revoke(_ token: String, hint: String?, credentials: ClientCredentials, remoteAddress: String,
                requestID: String) -> HTTPServerResponse {
        let caller: AuthenticatedClient
        switch authenticator.authenticate(credentials, address: remoteAddress) {
        case .success(let value): caller = value
        case .failure(let error): return error.response(realm: configuration.realm)
        }
        let audit = AuditContext(actor: "client:" + caller.client.clientID, requestID: requestID.isEmpty ? nil : requestID)
        do {
            if hint == "refresh_token" {
                if try !revokeRefreshToken(token, caller: caller, audit: audit) {
                    try revokeAccessToken(token, caller: caller, audit: audit)
                }
            } else if try !revokeAccessToken(token, caller: caller, audit: audit) {
                try revokeRefreshToken(token, caller: caller, audit: audit)
            }
        } catch {
            return OAuthError.storeFailure().response(realm: configuration.realm)
        }
        return OAuthResponse.json(status: 200, .object([]))
    }

    /// Revokes a live access token of the caller; `true` when `token` was a well-formed
    /// access token of ours (whatever its state), so no refresh lookup is needed.
    @discardableResult
    private func revokeAccessToken(_ token: String, caller: AuthenticatedClient, audit: AuditContext) throws -> Bool {
        let now = clock.now().seconds
        let verified: VerifiedToken
        do throws(TokenVerificationError) {
            verified = try verifier.verify(token, now: now)
        } catch {
            switch error {
            case .tokenRevoked, .clientRevoked, .subjectDisabled, .expired: return true
            default: return false
            }
        }
        guard verified.clientID == caller.client.clientID else { return true }
        let expiresAt = Timestamp(seconds: verified.expiresAt)
        try store.revocations.revokeToken(jti: verified.tokenID, clientID: verified.clientID, expiresAt: expiresAt,
                                          reason: "revoked_by_client", audit: audit)
        verifier.revocations.apply(RevocationDelta(revokedTokens: [verified.tokenID: verified.expiresAt]))
        return true
    }

    /// Revokes the refresh-token family of `token` when it is one of the caller's.
    @discardableResult
    private func revokeRefreshToken(_ token: String, caller: AuthenticatedClient, audit: AuditContext) throws -> Bool {
        let revoked = try store.refreshTokens.revokeFamily(ofTokenHash: RefreshTokenHash.of(token),
                                                           clientID: caller.client.clientID,
                                                           reason: "revoked_by_client", audit: audit)
        if revoked { _ = try? revocationFollower?.poll() }
        return revoked
    }
}

/// How refresh tokens are stored: lowercase hex SHA-256 of the token's UTF-8 bytes.
/// Every grant that issues refresh tokens must store them with this hash.
public enum RefreshTokenHash {
    public static func of(_ token: String) -> String {
        AuditChainHasher.sha256Hex(Array(token.utf8))
    }
}
