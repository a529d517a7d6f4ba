import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayPosix
import GatewayStore

/// One endpoint the token service serves, for the composition to mount as a `LocalRoute`.
public struct TokenServiceEndpoint: Sendable {
    public enum Match: Sendable, Equatable {
        /// The path (without query) equals this.
        case exact(String)
        /// The path equals this or continues below it with `/`.
        case prefix(String)
    }

    public var match: Match
    /// Largest request body the endpoint reads (413 beyond).
    public var maxBodyBytes: Int
    public var responder: any HTTPResponder
    /// Methods browser applications on the gateway's `cors` origins may use; empty for
    /// the authorization pages (navigations with cookies, never cross-origin).
    public var crossOriginMethods: [String] = []
}

/// The OAuth 2.0 authorization server inside the gateway: the token, authorization,
/// introspection and revocation endpoints, the metadata and JWKS documents, and the client
/// management API, with everything they share — including the browser sessions and user
/// logins the developer portal reuses (`web`, `users`).
///
/// It shares the gateway's `AccessTokenVerifier`, and through it the `KeyRing` (which the
/// `SigningKeyManager` fills) and the `RevocationSet` (which the `RevocationFeedFollower`
/// keeps current), so tokens it issues are checked by the proxy with no store round trip.
/// Slow work runs on `pool`. Life cycle: `init` → `start()` once before serving (creates
/// the first signing key if none exists, loads revocations) → `refresh()` every ≤ 500 ms
/// off the event loops (key rotations, the revocation feed, client changes from other
/// processes) → mount `endpoints`.
public final class TokenService: Sendable {
    public let configuration: TokenServiceConfiguration
    public let store: any DataStore
    public let verifier: AccessTokenVerifier
    public let pool: WorkerPool
    public let keys: SigningKeyManager
    public let cache: SecretDigestCache
    public let throttle: AuthFailureThrottle
    public let authenticator: ClientAuthenticator
    public let issuer: AccessTokenIssuer
    public let administration: ClientAdministration
    public let revocationFollower: RevocationFeedFollower
    public let directoryFollower: ClientDirectoryFollower
    public let users: UserAdministration
    public let web: WebAccess
    public let grants: DelegatedGrants
    public let clock: StoreClock

    /// Throws `BCryptError.costOutOfRange` for a bcrypt cost outside 10…31.
    public init(configuration: TokenServiceConfiguration, store: any DataStore, verifier: AccessTokenVerifier,
                pool: WorkerPool, clock: StoreClock = .system) throws {
        self.configuration = configuration
        self.store = store
        self.verifier = verifier
        self.pool = pool
        self.clock = clock
        keys = SigningKeyManager(keys: store.signingKeys, ring: verifier.keys, keyDirectory: configuration.keyDirectory,
                                 algorithm: configuration.signingAlgorithm)
        cache = SecretDigestCache()
        throttle = AuthFailureThrottle(maxPerClient: configuration.maxFailuresPerClient,
                                       maxPerAddress: configuration.maxFailuresPerAddress,
                                       windowSeconds: configuration.throttleWindowSeconds)
        authenticator = ClientAuthenticator(store: store, cache: cache, throttle: throttle, clock: clock)
        issuer = AccessTokenIssuer(configuration: configuration, keys: keys, audit: AuditLog(store), clock: clock)
        administration = ClientAdministration(store: store, bcrypt: try BCrypt(cost: configuration.bcryptCost),
                                              cache: cache, revocations: verifier.revocations)
        revocationFollower = RevocationFeedFollower(feed: store.revocations, revocations: verifier.revocations, clock: clock)
        directoryFollower = ClientDirectoryFollower(directory: store.clientDirectory, cache: cache)
        users = UserAdministration(store: store, bcrypt: try BCrypt(cost: configuration.bcryptCost),
                                   revocations: verifier.revocations)
        let loginThrottle = AuthFailureThrottle(maxPerClient: configuration.maxLoginFailuresPerAccount,
                                                maxPerAddress: configuration.maxLoginFailuresPerAddress,
                                                windowSeconds: configuration.loginThrottleWindowSeconds)
        web = WebAccess(sessions: WebSessionStore(idleSeconds: configuration.sessionIdleSeconds,
                                                  absoluteSeconds: configuration.sessionAbsoluteSeconds),
                        cookie: SessionCookie(secure: configuration.isSecureOrigin),
                        login: UserLogin(store: store, throttle: loginThrottle, bcryptCost: configuration.bcryptCost),
                        store: store)
        grants = DelegatedGrants(configuration: configuration, store: store, issuer: issuer,
                                 revocationFollower: revocationFollower, clock: clock)
    }

    /// Prepares for serving: an active signing key (generated on first start), the
    /// revocation snapshot, the client-directory cursor. Blocking.
    public func start() throws {
        try keys.ensureActiveKey()
        try revocationFollower.load()
        try directoryFollower.poll()
    }

    /// One poll of everything kept in step with the store: signing keys (rotation by
    /// another process, retired keys expiring out of the JWKS), the revocation feed, and
    /// client changes. Each part runs even when another fails; the first failure is thrown.
    /// Blocking: call from a background thread (`BackgroundRefresher`), never a loop.
    public func refresh() throws {
        var failure: (any Error)?
        do { try keys.refresh() } catch { failure = failure ?? error }
        do { try revocationFollower.poll() } catch { failure = failure ?? error }
        do { try directoryFollower.poll() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    /// The endpoints to mount, each with its body limit.
    public var endpoints: [TokenServiceEndpoint] {
        let token = TokenEndpoint(configuration: configuration, authenticator: authenticator, issuer: issuer,
                                  grants: grants, pool: pool)
        let inspector = TokenInspector(verifier: verifier, store: store, clock: clock)
        let introspection = IntrospectionEndpoint(configuration: configuration, authenticator: authenticator,
                                                  inspector: inspector, pool: pool)
        let revocation = RevocationEndpoint(configuration: configuration, authenticator: authenticator,
                                            verifier: verifier, store: store, pool: pool, clock: clock,
                                            revocationFollower: revocationFollower)
        let authorize = AuthorizationEndpoint(configuration: configuration, store: store, web: web, pool: pool,
                                              clock: clock)
        let management = ClientManagementEndpoint(configuration: configuration, verifier: verifier,
                                                  administration: administration, pool: pool)
        let formLimit = 16 * 1024
        let post = ["POST"], read = ["GET", "HEAD"]
        return [
            TokenServiceEndpoint(match: .exact("/oauth/token"), maxBodyBytes: formLimit, responder: token,
                                 crossOriginMethods: post),
            TokenServiceEndpoint(match: .prefix(AuthorizationEndpoint.path), maxBodyBytes: formLimit, responder: authorize),
            TokenServiceEndpoint(match: .exact("/oauth/introspect"), maxBodyBytes: formLimit, responder: introspection,
                                 crossOriginMethods: post),
            TokenServiceEndpoint(match: .exact("/v1/token/introspect"), maxBodyBytes: formLimit, responder: introspection,
                                 crossOriginMethods: post),
            TokenServiceEndpoint(match: .exact("/oauth/revoke"), maxBodyBytes: formLimit, responder: revocation,
                                 crossOriginMethods: post),
            TokenServiceEndpoint(match: .exact("/.well-known/oauth-authorization-server"), maxBodyBytes: 1024,
                                 responder: AuthorizationServerMetadataEndpoint(configuration: configuration),
                                 crossOriginMethods: read),
            TokenServiceEndpoint(match: .exact("/.well-known/jwks.json"), maxBodyBytes: 1024,
                                 responder: JWKSEndpoint(keys: keys), crossOriginMethods: read),
            TokenServiceEndpoint(match: .prefix(ClientManagementEndpoint.basePath), maxBodyBytes: 64 * 1024,
                                 responder: management, crossOriginMethods: ["GET", "POST"]),
        ]
    }
}
