import Glibc
import GatewayStore
import Synchronization

/// A client that proved who it is, with what the grant rules need.
public struct AuthenticatedClient: Sendable, Equatable {
    public var client: ClientRecord
    /// The scope policy of the client's org when it authenticated.
    public var orgPolicy: [String]
    public var method: ClientCredentials.Method
}

/// Checks client credentials for the token, introspection and revocation endpoints.
///
/// Order, cheapest first: size limits (no bcrypt for an id over 128 bytes or a secret
/// over 72) → `SecretDigestCache` (a returning client: one HMAC, no store read) → the
/// `AuthFailureThrottle` (429 `slow_down` before any bcrypt for a client id or address
/// that keeps failing) → the store → bcrypt against the client's accepted hashes. A
/// cached client presenting a *different* secret fails after one store read and without
/// bcrypt when the client has not changed since (and no previous secret is in a grace
/// period); if it changed (a rotation elsewhere not yet seen on the directory feed), the
/// entry is dropped and the secret checked with bcrypt. Unknown clients cost no bcrypt
/// and are charged to the address only. Blocking (store, bcrypt): run on a worker thread. Thread-safe.
public final class ClientAuthenticator: Sendable {
    public let store: any DataStore
    public let cache: SecretDigestCache
    public let throttle: AuthFailureThrottle
    /// Wall-clock time for secret grace periods.
    public let clock: StoreClock
    /// Monotonic seconds for the throttle.
    private let monotonicSeconds: @Sendable () -> Int64
    /// Org scope policies; orgs are never changed after creation.
    private let policies = Mutex<[String: [String]]>([:])
    private let loadedHandler = Mutex<(@Sendable (ClientRecord) -> Void)?>(nil)

    /// Called with the client's record each time it is read from the store to
    /// check its secret, so per-client state (rate limits, the debug switch) is
    /// current before its first token is used, without waiting for the next
    /// directory poll.
    public var onClientLoaded: (@Sendable (ClientRecord) -> Void)? {
        get { loadedHandler.withLock { $0 } }
        set { loadedHandler.withLock { $0 = newValue } }
    }

    public init(store: any DataStore, cache: SecretDigestCache = SecretDigestCache(),
                throttle: AuthFailureThrottle = AuthFailureThrottle(), clock: StoreClock = .system,
                monotonicSeconds: @escaping @Sendable () -> Int64 = ClientAuthenticator.systemMonotonicSeconds) {
        self.store = store
        self.cache = cache
        self.throttle = throttle
        self.clock = clock
        self.monotonicSeconds = monotonicSeconds
    }

    @Sendable public static func systemMonotonicSeconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec)
    }

    /// Authenticates `credentials` presented from `address`.
    public func authenticate(_ credentials: ClientCredentials, address: String) -> Result<AuthenticatedClient, OAuthError> {
        let clientID = credentials.clientID
        guard clientID.utf8.count <= 128 else { return fail(nil, address) }
        guard let secret = credentials.secret else { return authenticatePublic(clientID, address) }
        guard secret.utf8.count <= BCrypt.maximumSecretBytes, !secret.utf8.contains(0) else {
            return fail(nil, address)
        }

        switch cache.lookup(clientID: clientID, secret: secret) {
        case .hit(let entry):
            return .success(AuthenticatedClient(client: entry.client, orgPolicy: entry.orgPolicy, method: credentials.method))
        case .mismatch(let entry):
            // Unchanged since its secret was remembered (one indexed read): the secret is
            // wrong, no bcrypt needed. Changed (e.g. rotated elsewhere, not yet seen on the
            // directory feed): forget it and check the presented secret the slow way.
            let current: ClientRecord?
            do { current = try store.clients.get(clientID) } catch { return .failure(.storeFailure()) }
            let now = clock.now()
            let graceActive = entry.client.previousSecretHash != nil
                && (entry.client.previousSecretExpiresAt.map { now < $0 } ?? false)
            if current?.version == entry.client.version, !graceActive { return fail(clientID, address) }
            cache.invalidate(clientID: clientID)
        case .miss:
            break
        }

        if let wait = throttle.retryAfter(clientID: clientID, address: address, now: monotonicSeconds()) {
            return .failure(OAuthError(.slowDown, "too many failed client authentications; retry in \(wait) s",
                                       retryAfterSeconds: wait))
        }
        let generation = cache.generation
        let client: ClientRecord?
        do { client = try store.clients.get(clientID) } catch { return .failure(.storeFailure()) }
        guard let client else { return fail(nil, address) }
        let hashes = client.acceptedSecretHashes(at: clock.now())
        guard !hashes.isEmpty, hashes.contains(where: { BCrypt.verify(secret, against: $0) }) else {
            return fail(clientID, address)
        }
        let policy: [String]
        do { policy = try orgPolicy(client.orgID) } catch { return .failure(.storeFailure()) }
        cache.insert(client: client, orgPolicy: policy, secret: secret, generation: generation)
        onClientLoaded?(client)
        return .success(AuthenticatedClient(client: client, orgPolicy: policy, method: credentials.method))
    }

    /// A client that sent only its id: fine for a public client (the grant decides what it
    /// may do), `invalid_client` for a confidential one.
    private func authenticatePublic(_ clientID: String, _ address: String) -> Result<AuthenticatedClient, OAuthError> {
        let client: ClientRecord?
        do { client = try store.clients.get(clientID) } catch { return .failure(.storeFailure()) }
        guard let client, client.status == .active else { return fail(nil, address) }
        guard client.isPublic else {
            return .failure(OAuthError(.invalidClient, "this client must authenticate with its client_secret"))
        }
        do {
            return .success(AuthenticatedClient(client: client, orgPolicy: try orgPolicy(client.orgID), method: .none))
        } catch {
            return .failure(.storeFailure())
        }
    }

    /// The scope policy of `orgID` (cached: orgs do not change).
    public func orgPolicy(_ orgID: String) throws -> [String] {
        if let known = policies.withLock({ $0[orgID] }) { return known }
        let policy = try store.orgs.get(orgID)?.scopePolicy ?? []
        policies.withLock { $0[orgID] = policy }
        return policy
    }

    private func fail(_ clientID: String?, _ address: String) -> Result<AuthenticatedClient, OAuthError> {
        throttle.recordFailure(clientID: clientID, address: address, now: monotonicSeconds())
        return .failure(.badCredentials())
    }
}
