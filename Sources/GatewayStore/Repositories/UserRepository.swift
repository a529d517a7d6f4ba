/// Users who log in to authorize apps and use the portal.
///
/// All methods block on I/O: call them from a worker thread, never from an event loop.
public protocol UserRepository: Sendable {
    /// Stores a user and appends `api.user_created`. Throws `.conflict` when the e-mail
    /// (compared ignoring ASCII case) or id exists, `.notFound` for an unknown org.
    func create(_ user: NewUser, audit: AuditContext) throws -> UserRecord
    func get(id: String) throws -> UserRecord?
    /// Looks the e-mail up ignoring ASCII case.
    func get(email: String) throws -> UserRecord?
    /// ACTIVE → DISABLED: puts the user on the revocation feed and appends
    /// `api.user_disabled`. Disabling a disabled user changes nothing.
    func disable(_ id: String, reason: String, audit: AuditContext) throws -> UserRecord
}
