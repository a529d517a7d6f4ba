/// The name of an audit event (`api.client_created`, …). Open set: the constants below are
/// the ones the product writes; new names follow the `api.<noun>_<past participle>` pattern.
public struct AuditEventType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static let orgCreated = AuditEventType("api.org_created")
    public static let clientCreated = AuditEventType("api.client_created")
    public static let clientUpdated = AuditEventType("api.client_updated")
    public static let clientRevoked = AuditEventType("api.client_revoked")
    public static let secretRotated = AuditEventType("api.secret_rotated")
    public static let tokenIssued = AuditEventType("api.token_issued")
    public static let tokenRevoked = AuditEventType("api.token_revoked")
    public static let keyRotated = AuditEventType("api.key_rotated")
    public static let rateLimitExceeded = AuditEventType("api.rate_limit_exceeded")
    public static let userCreated = AuditEventType("api.user_created")
    public static let userDisabled = AuditEventType("api.user_disabled")
    public static let authorizationGranted = AuditEventType("api.authorization_granted")
    public static let authorizationDenied = AuditEventType("api.authorization_denied")
    public static let refreshTokenReused = AuditEventType("api.refresh_token_reused")
    public static let authorizationCodeReused = AuditEventType("api.authorization_code_reused")
}
