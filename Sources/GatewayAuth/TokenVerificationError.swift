/// Why an access token was refused. Every case answers `401 invalid_token` at
/// the gateway; the distinction is for metrics, logs and tests.
///
/// `description` names the rule that failed and never echoes token content.
public enum TokenVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Longer than `AccessTokenVerifier.Configuration.maxTokenBytes` (default 8 KiB).
    case tooLarge
    /// Not three non-empty base64url parts, or a part that is not a JSON object.
    case malformed
    /// Header `alg` is missing or not on the allow-list (RS256, ES256).
    case unsupportedAlgorithm
    /// Header `typ` is not `at+jwt` / `application/at+jwt` (RFC 9068 §2.1).
    case wrongType
    /// Header carries `crit`; no extension is understood, so none may be critical.
    case criticalHeader
    /// Header has no usable `kid`.
    case missingKeyID
    /// `kid` names no key in the key ring (unknown, or removed).
    case unknownKey
    /// Header `alg` is not the algorithm the named key was made for.
    case algorithmMismatch
    /// The signature does not verify.
    case badSignature
    /// A required claim is missing or has the wrong JSON type; the claim's name.
    case invalidClaim(String)
    /// `iss` is not the configured issuer.
    case wrongIssuer
    /// `aud` does not contain the configured audience.
    case wrongAudience
    /// `exp` has passed (beyond the leeway).
    case expired
    /// `nbf` lies in the future (beyond the leeway).
    case notYetValid
    /// `iat` lies in the future (beyond the leeway).
    case issuedInFuture
    /// The token's client has been revoked.
    case clientRevoked
    /// The token's `jti` has been revoked.
    case tokenRevoked
    /// The token's subject (user) has been disabled.
    case subjectDisabled

    public var description: String {
        switch self {
        case .tooLarge: "token exceeds the size limit"
        case .malformed: "token is not a compact JWS of three base64url JSON parts"
        case .unsupportedAlgorithm: "token algorithm is not RS256 or ES256"
        case .wrongType: "token typ is not at+jwt"
        case .criticalHeader: "token header has crit extensions"
        case .missingKeyID: "token header has no kid"
        case .unknownKey: "token kid names no current key"
        case .algorithmMismatch: "token alg does not match its key"
        case .badSignature: "token signature does not verify"
        case .invalidClaim(let name): "token claim '\(name)' is missing or malformed"
        case .wrongIssuer: "token issuer is not accepted"
        case .wrongAudience: "token audience does not include this gateway"
        case .expired: "token has expired"
        case .notYetValid: "token is not valid yet"
        case .issuedInFuture: "token was issued in the future"
        case .clientRevoked: "token's client is revoked"
        case .tokenRevoked: "token is revoked"
        case .subjectDisabled: "token's subject is disabled"
        }
    }
}
