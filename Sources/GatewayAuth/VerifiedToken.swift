import GatewayProxy

/// An access token whose signature, header and claims passed every check, as
/// `AccessTokenVerifier` returns it (RFC 9068 claims).
///
/// Immutable and shared: the verified-token cache hands the same instance to
/// every event loop, so a cached check costs one reference, not a copy.
public final class VerifiedToken: Sendable {
    /// `client_id`.
    public let clientID: String
    /// `org_id` (Portcullis claim): the organisation of the client.
    public let orgID: String
    /// `sub`: the user, or the client id itself for client-credentials tokens.
    public let subject: String
    /// `scope`, split on spaces, in token order; empty when the claim is absent.
    public let scopes: [String]
    /// `jti`.
    public let tokenID: String
    /// `iat`, `exp`, `nbf`: seconds since the epoch.
    public let issuedAt: Int64
    public let expiresAt: Int64
    public let notBefore: Int64?
    /// `aud`, as a list even when the token carried a single string.
    public let audience: [String]
    /// `iss`.
    public let issuer: String
    /// The `kid` of the key that verified the signature.
    public let keyID: String
    /// The caller as the pipeline sees it. `subject` is nil when `sub` equals
    /// `client_id` (a client acting for itself).
    public let principal: Principal

    /// The key-ring removal epoch when the signature was checked; a cached
    /// token from an older epoch is re-verified (its key may be gone).
    let keyEpoch: UInt64
    /// The first second at which the token is no longer accepted (`exp` + leeway).
    let validUntil: Int64

    init(clientID: String, orgID: String, subject: String, scopes: [String], tokenID: String,
         issuedAt: Int64, expiresAt: Int64, notBefore: Int64?, audience: [String], issuer: String,
         keyID: String, keyEpoch: UInt64, validUntil: Int64) {
        self.clientID = clientID
        self.orgID = orgID
        self.subject = subject
        self.scopes = scopes
        self.tokenID = tokenID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.audience = audience
        self.issuer = issuer
        self.keyID = keyID
        self.keyEpoch = keyEpoch
        self.validUntil = validUntil
        self.principal = Principal(clientID: clientID, orgID: orgID,
                                   subject: UTF8Bytes.equal(subject, clientID) ? nil : subject,
                                   scopes: scopes, tokenID: tokenID, expiresAt: expiresAt)
    }

    /// Whether the token holds `scope`, compared byte for byte (no Unicode
    /// normalisation, no case folding).
    public func hasScope(_ scope: some StringProtocol) -> Bool {
        let wanted = String(scope)
        return scopes.contains { UTF8Bytes.equal($0, wanted) }
    }

    /// The scopes of `required` this token lacks, in `required` order; empty when it holds all.
    public func missingScopes(_ required: [String]) -> [String] {
        required.filter { !hasScope($0) }
    }
}
