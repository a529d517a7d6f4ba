/// The token-signing key ring (public halves and private-key file paths).
///
/// All methods block on I/O: call them from a worker thread, never from an event loop.
public protocol SigningKeyRepository: Sendable {
    /// Makes `key` the active key: retires the current active key (its `not_after` becomes
    /// now + `maxTokenLifetimeSeconds`) and appends `api.key_rotated`, atomically. Also the
    /// way to install the first key. Throws `.invalidArgument` for an algorithm outside
    /// `NewSigningKey.allowedAlgorithms`, `.conflict` for a reused kid.
    @discardableResult
    func rotate(to key: NewSigningKey, maxTokenLifetimeSeconds: Int64, audit: AuditContext) throws -> SigningKeyRecord
    /// The key new tokens are signed with.
    func active() throws -> SigningKeyRecord?
    func get(kid: String) throws -> SigningKeyRecord?
    /// Keys that may still verify a live token now (the JWKS): active, plus retired ones
    /// before their `not_after`. Newest first.
    func verificationKeys() throws -> [SigningKeyRecord]
}
