import GatewayAudit
import GatewayAuth
import GatewayStore

/// A freshly signed access token and what the token response says about it.
public struct IssuedAccessToken: Sendable, Equatable {
    public var token: String
    public var tokenID: String
    public var scopes: [String]
    public var expiresIn: Int64
    public var expiresAt: Timestamp
    /// The refresh token issued with it (authorization code and refresh token grants only).
    public var refreshToken: String? = nil
}

/// Signs RFC 9068 access tokens with the active key and records `api.token_issued`.
///
/// Claims: `iss` and `aud` from the configuration, `sub` (the user, or the client id for
/// client credentials), `client_id`, `org_id`, `scope`, `iat` = now, `exp` = now + TTL
/// (≤ 900 s), `jti` = 128 random bits. Header `typ: at+jwt` and the key's `alg`/`kid`.
/// The audit event carries client, org, grant type, jti, scope, expiry, auth method and
/// request id — never the token. It is written before the token is handed out: when the
/// store cannot record it, no token is issued (503). Blocking: run on a worker thread.
public struct AccessTokenIssuer: Sendable {
    public let configuration: TokenServiceConfiguration
    public let keys: SigningKeyManager
    public let audit: AuditLog
    public let clock: StoreClock

    public init(configuration: TokenServiceConfiguration, keys: SigningKeyManager, audit: AuditLog,
                clock: StoreClock = .system) {
        self.configuration = configuration
        self.keys = keys
        self.audit = audit
        self.clock = clock
    }

    /// Signs a token and records `api.token_issued` (client credentials: no other state
    /// changes with the issuance).
    public func issue(client: ClientRecord, scopes: [String], subject: String? = nil, grantType: String,
                      authMethod: ClientCredentials.Method, requestID: String?) -> Result<IssuedAccessToken, OAuthError> {
        let issued: IssuedAccessToken, kid: String
        switch sign(client: client, scopes: scopes, subject: subject) {
        case .success(let value): (issued, kid) = value
        case .failure(let error): return .failure(error)
        }
        var data = ["grant_type": grantType, "jti": issued.tokenID, "scope": scopes.joined(separator: " "),
                    "expires_at": issued.expiresAt.iso8601, "auth_method": authMethod.rawValue, "kid": kid]
        if let subject, subject != client.clientID { data["user_id"] = subject }
        do {
            try audit.append(AuditEvent(type: .tokenIssued, actor: "client:" + client.clientID, clientID: client.clientID,
                                        orgID: client.orgID, requestID: requestID, data: data))
        } catch {
            return .failure(.storeFailure())
        }
        return .success(issued)
    }

    /// Signs a token without recording anything, for grants whose store operation writes
    /// `api.token_issued` in the same transaction as the state change (code redemption,
    /// refresh rotation). Returns the token and the signing key's `kid`. Never hand the
    /// token out unless that operation committed.
    public func sign(client: ClientRecord, scopes: [String],
                     subject: String? = nil) -> Result<(IssuedAccessToken, kid: String), OAuthError> {
        guard let signer = keys.signer else {
            return .failure(OAuthError(.temporarilyUnavailable, "no signing key is loaded yet; retry shortly",
                                       retryAfterSeconds: 1))
        }
        let now = clock.now()
        let ttl = min(configuration.tokenTTLSeconds, TokenServiceConfiguration.maximumTokenTTLSeconds)
        let issuedAt = now.seconds
        let jti = SecretGenerator.tokenID()
        let claims = AccessTokenClaims(issuer: configuration.issuer, subject: subject ?? client.clientID,
                                       audience: [configuration.audience], clientID: client.clientID,
                                       orgID: client.orgID, scopes: scopes, tokenID: jti,
                                       issuedAt: issuedAt, expiresAt: issuedAt + ttl)
        let token: String
        do throws(JOSEError) {
            token = try signer.sign(claims)
        } catch {
            return .failure(OAuthError(.serverError, "the token could not be signed"))
        }
        let issued = IssuedAccessToken(token: token, tokenID: jti, scopes: scopes, expiresIn: ttl,
                                       expiresAt: Timestamp(seconds: issuedAt + ttl))
        return .success((issued, signer.key.kid))
    }
}
