import GatewayAuth
import GatewayStore

/// Creating and disabling users — the rules behind `portcullis user create|disable`, so
/// every caller follows them.
///
/// A user belongs to one org and logs in with an e-mail address and a password. The
/// password is 8–72 UTF-8 bytes without NUL (bcrypt reads at most 72 bytes; longer ones
/// are refused rather than silently cut) and is stored only as a `$2b$` bcrypt hash, the
/// same rules as client secrets. E-mail addresses are unique ignoring ASCII case.
///
/// Disabling is terminal here (there is no enable): the store marks the user DISABLED,
/// revokes their refresh tokens and appends a `user` row to the revocation feed, so every
/// gateway refuses access tokens whose `sub` is the user within one poll; this process's
/// `RevocationSet` is updated at once. Blocking (bcrypt, store): call from a worker
/// thread or the CLI.
public struct UserAdministration: Sendable {
    public let store: any DataStore
    public let bcrypt: BCrypt
    public let revocations: RevocationSet?

    public static let minimumPasswordBytes = 8

    public init(store: any DataStore, bcrypt: BCrypt, revocations: RevocationSet? = nil) {
        self.store = store
        self.bcrypt = bcrypt
        self.revocations = revocations
    }

    /// Creates a user in `orgID`. Throws `TokenServiceError.invalidArgument` for a bad
    /// e-mail or password, `StoreError.notFound` for an unknown org, `StoreError.conflict`
    /// when the e-mail is taken.
    public func create(orgID: String, email: String, password: String, audit: AuditContext) throws -> UserRecord {
        guard Self.isEmail(email) else {
            throw TokenServiceError.invalidArgument("\"\(email.prefix(254))\" is not an e-mail address such as ana@example.com")
        }
        if let problem = Self.passwordProblem(password) { throw TokenServiceError.invalidArgument(problem) }
        let hash = try bcrypt.hash(password)
        return try store.users.create(NewUser(id: SecretGenerator.userID(), orgID: orgID, email: email,
                                              passwordHash: hash), audit: audit)
    }

    /// Disables the user named by id (`usr_…`) or e-mail. `reason` is a short code
    /// (`[a-z0-9_.-]`, 1–64). Disabling a disabled user changes nothing.
    public func disable(_ idOrEmail: String, reason: String, audit: AuditContext) throws -> UserRecord {
        guard ClientAdministration.isReasonCode(reason) else {
            throw TokenServiceError.invalidArgument("reason must be a short code of 1–64 characters a-z 0-9 _ . - "
                + "(e.g. offboarded, compromised)")
        }
        guard let user = try find(idOrEmail) else {
            throw StoreError.notFound("no user with id or e-mail \(idOrEmail.prefix(254))")
        }
        let disabled = try store.users.disable(user.id, reason: reason, audit: audit)
        revocations?.apply(RevocationDelta(disabledSubjects: [disabled.id]))
        return disabled
    }

    /// The user with this id or, when it contains `@`, this e-mail.
    public func find(_ idOrEmail: String) throws -> UserRecord? {
        idOrEmail.contains("@") ? try store.users.get(email: idOrEmail) : try store.users.get(id: idOrEmail)
    }

    /// Why `password` cannot be used, or nil.
    public static func passwordProblem(_ password: String) -> String? {
        let count = password.utf8.count
        guard (minimumPasswordBytes...BCrypt.maximumSecretBytes).contains(count) else {
            return "the password must be \(minimumPasswordBytes)–\(BCrypt.maximumSecretBytes) bytes, found \(count)"
        }
        guard !password.utf8.contains(0) else { return "the password must not contain a NUL byte" }
        return nil
    }

    /// One `@` with text on both sides, a dot inside the domain, no spaces or control
    /// characters, at most 254 bytes.
    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }
}
