import GatewayStore

/// The grants that act for a user: `authorization_code` (RFC 6749 §4.1.3 with RFC 7636
/// §4.6) and `refresh_token` (§6), run by the token endpoint on a worker thread after
/// the client authenticated (public clients by `client_id` alone).
///
/// Code redemption, in order: the code exists and is this client's (else `invalid_grant`
/// without touching it); a code used before is a replay — `consume` revokes everything
/// it produced and the answer is `invalid_grant`; it has not expired (60 s); the
/// `redirect_uri` equals the one authorized; a `code_verifier` hashes (S256) to the
/// stored challenge (missing or wrong → `invalid_grant`; a verifier for a code without a
/// challenge → `invalid_grant`, a downgrade); the user is still active; the scopes still
/// fit the client's grant and the org policy. Only then is the access token signed and the
/// code consumed, atomically with recording the access token and the first refresh token
/// of a new family and `api.token_issued`.
///
/// Refresh tokens are 256-bit random, base64url, stored as `RefreshTokenHash` (SHA-256),
/// rotated on every use, and die after `refreshTokenIdleSeconds` unused or
/// `refreshTokenAbsoluteSeconds` after their family began. Presenting a used one again
/// revokes the whole family and its access tokens (`api.refresh_token_reused`).
///
/// After a replay the revocation feed is applied at once, so this process refuses the
/// revoked access tokens immediately; other gateways within one poll.
public struct DelegatedGrants: Sendable {
    public let configuration: TokenServiceConfiguration
    public let store: any DataStore
    public let issuer: AccessTokenIssuer
    /// Applies feed rows written by a replay to this process's verifier without waiting.
    public let revocationFollower: RevocationFeedFollower?
    public let clock: StoreClock

    public init(configuration: TokenServiceConfiguration, store: any DataStore, issuer: AccessTokenIssuer,
                revocationFollower: RevocationFeedFollower?, clock: StoreClock = .system) {
        self.configuration = configuration
        self.store = store
        self.issuer = issuer
        self.revocationFollower = revocationFollower
        self.clock = clock
    }

    /// Redeems `code` for `client`. Blocking (store, signing).
    func redeemCode(_ request: OAuthFormRequest, client: AuthenticatedClient, requestID: String?) -> TokenAnswer {
        let form = request.form
        guard let code = form["code"], !code.isEmpty else {
            return .error(OAuthError(.invalidRequest, "code is required for grant_type=authorization_code"))
        }
        let verifier = form["code_verifier"]
        if let verifier, !PKCE.isWellFormed(verifier) {
            return .error(OAuthError(.invalidRequest,
                "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1)"))
        }
        let codeHash = SHA256Hash.hex(code)
        let record: AuthorizationCodeRecord
        do {
            guard let found = try store.authorizationCodes.get(codeHash: codeHash),
                  found.clientID == client.client.clientID else { return .error(Self.badCode) }
            record = found
        } catch {
            return .error(.storeFailure())
        }
        let audit = context(client, requestID: requestID)
        if record.usedAt != nil { return replayedCode(codeHash, client: client, audit: audit) }
        let now = clock.now()
        guard record.expiresAt > now else {
            return .error(OAuthError(.invalidGrant, "the authorization code has expired (codes live "
                + "\(configuration.authorizationCodeTTLSeconds) s); start the authorization again"))
        }
        guard form["redirect_uri"] == record.redirectURI else {
            return .error(OAuthError(.invalidGrant, "redirect_uri must be exactly the one sent to /oauth/authorize"))
        }
        if let failure = Self.checkVerifier(verifier, challenge: record.codeChallenge) { return .error(failure) }
        let scopes: [String]
        switch activeGrant(userID: record.userID, scopes: record.scopes, client: client) {
        case .success(let value): scopes = value
        case .failure(let error): return .error(error)
        }
        let signed: IssuedAccessToken, kid: String
        switch issuer.sign(client: client.client, scopes: scopes, subject: record.userID) {
        case .success(let value): (signed, kid) = value
        case .failure(let error): return .error(error)
        }
        let refresh = SecretGenerator.secret()
        let issuing = IssuedTokens(grantType: "authorization_code", accessJTI: signed.tokenID,
                                   accessExpiresAt: signed.expiresAt, accessScopes: scopes,
                                   refreshTokenHash: RefreshTokenHash.of(refresh),
                                   refreshExpiresAt: refreshExpiry(familyStart: now, now: now))
        var withKid = audit
        withKid.data["kid"] = kid
        do {
            switch try store.authorizationCodes.consume(codeHash: codeHash, clientID: client.client.clientID,
                                                        issuing: issuing, audit: withKid) {
            case .consumed:
                var answer = signed
                answer.refreshToken = refresh
                return .token(answer)
            case .reused:
                applyRevocationsNow()
                return .error(Self.reusedCode)
            case .expired, .revoked, .wrongClient, .notFound:
                return .error(Self.badCode)
            }
        } catch {
            return .error(.storeFailure())
        }
    }

    /// A second redemption: revoke what the first one produced, answer `invalid_grant`.
    private func replayedCode(_ codeHash: String, client: AuthenticatedClient, audit: AuditContext) -> TokenAnswer {
        let placeholder = IssuedTokens(grantType: "authorization_code", accessJTI: "-", accessExpiresAt: clock.now(),
                                       accessScopes: [])
        do {
            _ = try store.authorizationCodes.consume(codeHash: codeHash, clientID: client.client.clientID,
                                                     issuing: placeholder, audit: audit)
        } catch {
            return .error(.storeFailure())
        }
        applyRevocationsNow()
        return .error(Self.reusedCode)
    }

    /// Why `verifier` does not prove possession of `challenge`, or nil when it does.
    static func checkVerifier(_ verifier: String?, challenge: String) -> OAuthError? {
        guard !challenge.isEmpty else {
            // Every code Portcullis issues has a challenge; a verifier for one without
            // would be a downgrade attempt, so refuse rather than ignore it.
            return verifier == nil ? nil
                : OAuthError(.invalidGrant, "this code was issued without a PKCE challenge; a code_verifier is not expected")
        }
        guard let verifier else {
            return OAuthError(.invalidGrant, "code_verifier is required: this code was issued with a PKCE challenge")
        }
        return PKCE.verify(verifier: verifier, challenge: challenge) ? nil
            : OAuthError(.invalidGrant, "code_verifier does not match the code_challenge of the authorization request")
    }

    /// The scopes a user grant still carries: the user is active and every scope is still
    /// granted to the client and inside its org policy.
    func activeGrant(userID: String?, scopes: [String], client: AuthenticatedClient) -> Result<[String], OAuthError> {
        if let userID {
            do {
                guard let user = try store.users.get(id: userID), user.status == .active,
                      user.orgID == client.client.orgID else {
                    return .failure(OAuthError(.invalidGrant, "the user who authorized this grant is disabled"))
                }
            } catch {
                return .failure(.storeFailure())
            }
        }
        guard !scopes.isEmpty else {
            return .failure(OAuthError(.invalidGrant, "the grant carries no scope the client may still use"))
        }
        switch ScopeResolver.resolve(requested: scopes.joined(separator: " "), clientScopes: client.client.scopes,
                                     orgPolicy: client.orgPolicy) {
        case .success(let value): return .success(value)
        case .failure: return .failure(OAuthError(.invalidGrant, "the grant's scopes are no longer allowed for this client"))
        }
    }

    /// When a refresh token issued now expires: idle lifetime, capped by the family's absolute one.
    func refreshExpiry(familyStart: Timestamp, now: Timestamp) -> Timestamp {
        min(now.adding(seconds: configuration.refreshTokenIdleSeconds),
            familyStart.adding(seconds: configuration.refreshTokenAbsoluteSeconds))
    }

    func context(_ client: AuthenticatedClient, requestID: String?) -> AuditContext {
        AuditContext(actor: "client:" + client.client.clientID, requestID: requestID,
                     data: ["auth_method": client.method.rawValue])
    }

    /// Publishes the feed rows a replay wrote, so this process refuses those tokens now.
    func applyRevocationsNow() {
        _ = try? revocationFollower?.poll()
    }

    static let badCode = OAuthError(.invalidGrant,
        "the authorization code is invalid, expired, or was issued to another client")
    static let reusedCode = OAuthError(.invalidGrant,
        "the authorization code was already used; every token issued from it has been revoked")
}
