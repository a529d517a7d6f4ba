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

    public func issue(client: ClientRecord, scopes: [String], subject: String? = nil, grantType: String,
                      authMethod: ClientCredentials.Method, requestID: String?) -> Result<IssuedAccessToken, OAuthError> {
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
        let expiresAt = Timestamp(seconds: issuedAt + ttl)
        var data = ["grant_type": grantType, "jti": jti, "scope": scopes.joined(separator: " "),
                    "expires_at": expiresAt.iso8601, "auth_method": authMethod.rawValue, "kid": signer.key.kid]
        if let subject, subject != client.clientID { data["user_id"] = subject }
        do {
            try audit.append(AuditEvent(type: .tokenIssued, actor: "client:" + client.clientID, clientID: client.clientID,
                                        orgID: client.orgID, requestID: requestID, data: data))
        } catch {
            return .failure(.storeFailure())
        }
        return .success(IssuedAccessToken(token: token, tokenID: jti, scopes: scopes, expiresIn: ttl, expiresAt: expiresAt))
    }
}
