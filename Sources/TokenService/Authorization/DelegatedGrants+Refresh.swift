import GatewayStore

/// `grant_type=refresh_token` (RFC 6749 §6) with rotation and reuse detection.
extension DelegatedGrants {
    /// Rotates `refresh_token` for `client`: a successor in the same family plus a new
    /// access token whose scopes may narrow (`scope`), never widen, the original grant.
    /// Blocking (store, signing).
    func refresh(_ request: OAuthFormRequest, client: AuthenticatedClient, requestID: String?) -> TokenAnswer {
        guard let presented = request.form["refresh_token"], !presented.isEmpty else {
            return .error(OAuthError(.invalidRequest, "refresh_token is required for grant_type=refresh_token"))
        }
        let tokenHash = RefreshTokenHash.of(presented)
        let record: RefreshTokenRecord
        let familyStart: Timestamp
        do {
            guard let found = try store.refreshTokens.get(tokenHash: tokenHash),
                  found.clientID == client.client.clientID else { return .error(Self.badRefreshToken) }
            record = found
            familyStart = try store.refreshTokens.get(tokenHash: found.familyID)?.createdAt ?? found.createdAt
        } catch {
            return .error(.storeFailure())
        }
        let audit = context(client, requestID: requestID)
        if record.usedAt != nil { return replayedRefreshToken(tokenHash, client: client, audit: audit) }
        let now = clock.now()
        guard !record.revoked, record.expiresAt > now else { return .error(Self.badRefreshToken) }
        let scopes: [String]
        switch narrowed(request.form["scope"], original: record.scopes) {
        case .success(let value): scopes = value
        case .failure(let error): return .error(error)
        }
        let allowed: [String]
        switch activeGrant(userID: record.userID, scopes: scopes, client: client) {
        case .success(let value): allowed = value
        case .failure(let error): return .error(error)
        }
        let expiry = refreshExpiry(familyStart: familyStart, now: now)
        guard expiry > now else {
            return .error(OAuthError(.invalidGrant, "the grant reached its maximum lifetime; authorize again"))
        }
        let signed: IssuedAccessToken, kid: String
        switch issuer.sign(client: client.client, scopes: allowed, subject: record.userID) {
        case .success(let value): (signed, kid) = value
        case .failure(let error): return .error(error)
        }
        let successor = SecretGenerator.secret()
        let issuing = IssuedTokens(grantType: "refresh_token", accessJTI: signed.tokenID,
                                   accessExpiresAt: signed.expiresAt, accessScopes: allowed,
                                   refreshTokenHash: RefreshTokenHash.of(successor), refreshExpiresAt: expiry)
        var withKid = audit
        withKid.data["kid"] = kid
        if let userID = record.userID { withKid.data["user_id"] = userID }
        do {
            switch try store.refreshTokens.rotate(tokenHash: tokenHash, clientID: client.client.clientID,
                                                  issuing: issuing, audit: withKid) {
            case .consumed:
                var answer = signed
                answer.refreshToken = successor
                return .token(answer)
            case .reused:
                applyRevocationsNow()
                return .error(Self.reusedRefreshToken)
            case .expired, .revoked, .wrongClient, .notFound:
                return .error(Self.badRefreshToken)
            }
        } catch {
            return .error(.storeFailure())
        }
    }

    /// A used token presented again: the store revokes the family and records
    /// `api.refresh_token_reused`; the caller learns only `invalid_grant`.
    private func replayedRefreshToken(_ tokenHash: String, client: AuthenticatedClient,
                                      audit: AuditContext) -> TokenAnswer {
        let placeholder = IssuedTokens(grantType: "refresh_token", accessJTI: "-", accessExpiresAt: clock.now(),
                                       accessScopes: [])
        do {
            _ = try store.refreshTokens.rotate(tokenHash: tokenHash, clientID: client.client.clientID,
                                               issuing: placeholder, audit: audit)
        } catch {
            return .error(.storeFailure())
        }
        applyRevocationsNow()
        return .error(Self.reusedRefreshToken)
    }

    /// The scopes of a refreshed token: `requested` when it is a subset of `original`
    /// (RFC 6749 §6: never wider), `original` when absent.
    func narrowed(_ requested: String?, original: [String]) -> Result<[String], OAuthError> {
        guard let requested else { return .success(original) }
        guard let wanted = ScopeResolver.parse(requested) else {
            return .failure(OAuthError(.invalidScope,
                "scope must be space-separated scope tokens (printable ASCII without quotes or backslashes)"))
        }
        if wanted.isEmpty { return .success(original) }
        let granted = Set(original)
        if let wider = wanted.first(where: { !granted.contains($0) }) {
            return .failure(OAuthError(.invalidScope,
                "scope \(wider) was not part of the original grant; a refresh may narrow the scopes, never widen them"))
        }
        return .success(Array(Set(wanted)).sorted())
    }

    static let badRefreshToken = OAuthError(.invalidGrant,
        "the refresh token is invalid, expired, revoked, or was issued to another client")
    static let reusedRefreshToken = OAuthError(.invalidGrant,
        "the refresh token was already used; its whole family has been revoked, authorize again")
}
