import GatewayHTTP

/// The claim set of a Portcullis access token (RFC 9068 §2.2), as the token
/// service issues it and `JWTSigner` encodes it.
///
/// Claim names: `iss`, `sub`, `aud` (a string when there is one audience, else an
/// array), `client_id`, `org_id`, `scope` (space-separated), `jti`, `iat`, `exp`,
/// and `nbf` when set. Times are whole seconds since the epoch.
public struct AccessTokenClaims: Sendable, Equatable {
    public var issuer: String
    /// The user on whose behalf the client acts, or the client id itself for
    /// client-credentials tokens (RFC 9068 §2.2).
    public var subject: String
    public var audience: [String]
    public var clientID: String
    public var orgID: String
    /// Scope tokens; encoded joined by single spaces, so none may contain a space.
    public var scopes: [String]
    public var tokenID: String
    public var issuedAt: Int64
    public var expiresAt: Int64
    public var notBefore: Int64?

    public init(issuer: String, subject: String, audience: [String], clientID: String, orgID: String,
                scopes: [String], tokenID: String, issuedAt: Int64, expiresAt: Int64, notBefore: Int64? = nil) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.clientID = clientID
        self.orgID = orgID
        self.scopes = scopes
        self.tokenID = tokenID
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.notBefore = notBefore
    }

    /// The compact JSON claim set.
    public var json: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func key(_ name: String) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONText.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        key("iss"); JSONText.appendString(issuer, to: &out)
        key("sub"); JSONText.appendString(subject, to: &out)
        key("aud")
        if audience.count == 1 {
            JSONText.appendString(audience[0], to: &out)
        } else {
            out.append(UInt8(ascii: "["))
            for (index, value) in audience.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(value, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        key("client_id"); JSONText.appendString(clientID, to: &out)
        key("org_id"); JSONText.appendString(orgID, to: &out)
        key("scope"); JSONText.appendString(scopes.joined(separator: " "), to: &out)
        key("jti"); JSONText.appendString(tokenID, to: &out)
        key("iat"); out.append(contentsOf: Array(String(issuedAt).utf8))
        key("exp"); out.append(contentsOf: Array(String(expiresAt).utf8))
        if let notBefore { key("nbf"); out.append(contentsOf: Array(String(notBefore).utf8)) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
