/// Whether a user may log in. Disabling also puts the user on the revocation feed so
/// gateways stop honouring tokens whose `sub` is that user.
public enum UserStatus: String, Sendable, Equatable {
    case active = "ACTIVE"
    case disabled = "DISABLED"
}

/// A person who logs in to authorize apps (Authorization Code + PKCE) and to use the portal.
///
/// `email` is unique regardless of ASCII case. `passwordHash` is a bcrypt hash; never print it.
public struct UserRecord: Sendable, Equatable {
    public var id: String
    public var orgID: String
    public var email: String
    public var passwordHash: String
    public var status: UserStatus
    public var disabledAt: Timestamp?
    public var createdAt: Timestamp
}

/// What `UserRepository.create` needs; the caller generates `id` and bcrypt-hashes the password.
public struct NewUser: Sendable, Equatable {
    public var id: String
    public var orgID: String
    public var email: String
    public var passwordHash: String

    public init(id: String, orgID: String, email: String, passwordHash: String) {
        self.id = id
        self.orgID = orgID
        self.email = email
        self.passwordHash = passwordHash
    }
}
