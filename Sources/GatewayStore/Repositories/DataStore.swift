/// Every repository of one store, so the token service, CLI and gateway depend on the
/// protocols and not on SQLite. `SQLiteStore` is the embedded implementation; a PostgreSQL
/// one can follow behind the same protocols.
public protocol DataStore: Sendable {
    var orgs: any OrgRepository { get }
    var clients: any ClientRepository { get }
    var users: any UserRepository { get }
    var signingKeys: any SigningKeyRepository { get }
    var revocations: any RevocationFeed { get }
    var refreshTokens: any RefreshTokenRepository { get }
    var authorizationCodes: any AuthorizationCodeRepository { get }
    var clientDirectory: any ClientDirectory { get }
    var auditEvents: any AuditEventStore { get }
}
