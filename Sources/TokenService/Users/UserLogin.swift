import GatewayStore
import Synchronization

/// Checks an e-mail and password for the login pages (authorize and portal), without
/// revealing which accounts exist.
///
/// Order: the `AuthFailureThrottle` for the account (the e-mail, lowercased) and the
/// source address — once either has too many failures in the window, the attempt is
/// refused *before* bcrypt, whether or not the account exists; then the store; then
/// bcrypt — against the user's hash, or against a dummy hash of the same cost when there
/// is no such user, so an unknown address costs the same time as a wrong password. A
/// disabled user with the right password fails like a wrong one. Every failure counts
/// against both the account and the address; successes do not reset the counters.
/// Callers show one message for every failure ("e-mail or password is wrong").
/// Blocking (bcrypt, store): run on a worker thread. Thread-safe.
public final class UserLogin: Sendable {
    public enum Outcome: Sendable, Equatable {
        case success(UserRecord)
        /// Unknown e-mail, wrong password or disabled user — deliberately one case.
        case failed
        /// Too many failures for the account or the address; retry after this many seconds.
        case throttled(retryAfterSeconds: Int)
        /// The store could not be read.
        case unavailable
    }

    public let store: any DataStore
    public let throttle: AuthFailureThrottle
    public let bcryptCost: Int
    private let monotonicSeconds: @Sendable () -> Int64
    private let dummy = Mutex<String?>(nil)

    public init(store: any DataStore, throttle: AuthFailureThrottle, bcryptCost: Int,
                monotonicSeconds: @escaping @Sendable () -> Int64 = ClientAuthenticator.systemMonotonicSeconds) {
        self.store = store
        self.throttle = throttle
        self.bcryptCost = bcryptCost
        self.monotonicSeconds = monotonicSeconds
    }

    /// Checks `email` and `password` presented from `address`.
    public func authenticate(email: String, password: String, address: String) -> Outcome {
        let account = String(email.lowercased().prefix(254))
        if let wait = throttle.retryAfter(clientID: account, address: address, now: monotonicSeconds()) {
            return .throttled(retryAfterSeconds: wait)
        }
        let user: UserRecord?
        do {
            user = email.utf8.count <= 254 && UserAdministration.isEmail(email) ? try store.users.get(email: email) : nil
        } catch {
            return .unavailable
        }
        let hash = user?.passwordHash ?? dummyHash()
        let matches = BCrypt.verify(password, against: hash)
        guard let user, matches, user.status == .active else {
            throttle.recordFailure(clientID: account, address: address, now: monotonicSeconds())
            return .failed
        }
        return .success(user)
    }

    /// A bcrypt hash of a random secret at the configured cost, made once on first need.
    private func dummyHash() -> String {
        if let known = dummy.withLock({ $0 }) { return known }
        let made = (try? BCrypt(cost: bcryptCost).hash(SecretGenerator.secret()))
            ?? "$2b$12$C6UzMDM.H6dfI/f/IKxGhuHN1iAE/MWJ5VoYZ3d3YCQn0uLNkR0Gy"
        dummy.withLock { $0 = $0 ?? made }
        return made
    }
}
