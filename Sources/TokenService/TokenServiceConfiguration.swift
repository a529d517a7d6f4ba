import GatewayAuth

/// What the token service needs from `routes.json` and the command line.
///
/// Defaults: TTL 900 s (also the cap), RS256, bcrypt cost 12, realm `portcullis`,
/// throttle of 10 failed client authentications per client and 20 per source address
/// per 60 s window. The issuer is compared byte for byte by verifiers, so give it
/// exactly as tokens must carry it (no trailing slash unless the config has one).
///
/// User-delegated access (authorization code + PKCE): codes live 60 s; refresh tokens
/// 30 days idle (each rotation starts a new 30 days) within an absolute cap of 90 days
/// from the family's first token; browser sessions 15 minutes idle within 8 hours;
/// logins are throttled after 5 failures per account or 20 per source address within
/// 300 s. The session cookie is `Secure` (and `__Host-` prefixed) exactly when the
/// issuer is `https`.
public struct TokenServiceConfiguration: Sendable {
    /// The longest access-token lifetime Portcullis ever issues (15 minutes).
    public static let maximumTokenTTLSeconds: Int64 = 900
    /// The longest clock leeway any verifier accepts; retired keys stay published this
    /// much longer than the last token they signed.
    public static let verifierLeewaySeconds: Int64 = AccessTokenVerifier.Configuration.maxLeewaySeconds

    /// `iss` of every token and the base of every endpoint URL in the metadata.
    public var issuer: String
    /// `aud` of every token.
    public var audience: String
    /// Access-token lifetime in seconds, capped at `maximumTokenTTLSeconds`.
    public var tokenTTLSeconds: Int64
    /// Algorithm of keys this service generates.
    public var signingAlgorithm: JWSAlgorithm
    /// bcrypt work factor for new client secrets.
    public var bcryptCost: Int
    /// The realm in `WWW-Authenticate` challenges.
    public var realm: String
    /// Scopes listed in the metadata's `scopes_supported` (sorted and de-duplicated there).
    public var scopesSupported: [String]
    /// The `--data` directory; private keys live in `<dataDirectory>/keys`.
    public var dataDirectory: String
    /// Failed client authentications allowed per client id and per source address
    /// within `throttleWindowSeconds` before bcrypt is no longer attempted for them.
    public var maxFailuresPerClient: Int
    public var maxFailuresPerAddress: Int
    public var throttleWindowSeconds: Int64
    /// How long an authorization code may wait to be redeemed (at most 60 s).
    public var authorizationCodeTTLSeconds: Int64 = 60
    /// A refresh token dies when unused this long; each rotation issues a fresh one.
    public var refreshTokenIdleSeconds: Int64 = 30 * 86_400
    /// No refresh token outlives its family's first token by more than this.
    public var refreshTokenAbsoluteSeconds: Int64 = 90 * 86_400
    /// A browser session ends after this much inactivity…
    public var sessionIdleSeconds: Int64 = 15 * 60
    /// …and at the latest this long after it started.
    public var sessionAbsoluteSeconds: Int64 = 8 * 3600
    /// Failed logins allowed per account (e-mail) and per source address within
    /// `loginThrottleWindowSeconds` before further attempts are refused unchecked.
    public var maxLoginFailuresPerAccount: Int = 5
    public var maxLoginFailuresPerAddress: Int = 20
    public var loginThrottleWindowSeconds: Int64 = 300
    /// Words for scopes on consent and portal pages (scope → sentence); scopes without
    /// an entry are described from their name (`ScopeCatalog`).
    public var scopeDescriptions: [String: String] = [:]

    public init(issuer: String, audience: String? = nil, tokenTTLSeconds: Int64 = 900,
                signingAlgorithm: JWSAlgorithm = .rs256, bcryptCost: Int = BCrypt.defaultCost,
                realm: String = "portcullis", scopesSupported: [String] = [], dataDirectory: String = "./data",
                maxFailuresPerClient: Int = 10, maxFailuresPerAddress: Int = 20, throttleWindowSeconds: Int64 = 60) {
        self.issuer = issuer
        self.audience = audience ?? issuer
        self.tokenTTLSeconds = min(max(1, tokenTTLSeconds), Self.maximumTokenTTLSeconds)
        self.signingAlgorithm = signingAlgorithm
        self.bcryptCost = bcryptCost
        self.realm = realm
        self.scopesSupported = scopesSupported
        self.dataDirectory = dataDirectory
        self.maxFailuresPerClient = maxFailuresPerClient
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.throttleWindowSeconds = throttleWindowSeconds
    }

    /// Where private key files are written: `<dataDirectory>/keys`.
    public var keyDirectory: String {
        (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + "keys"
    }

    /// Whether the issuer is an `https` URL: then cookies are `Secure` and `__Host-` prefixed.
    public var isSecureOrigin: Bool {
        issuer.utf8.count >= 8 && issuer.prefix(8).lowercased() == "https://"
    }

    /// `issuer` + `path`, without doubling the slash.
    public func endpointURL(_ path: String) -> String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + path
    }

    /// How long a retired signing key stays published: the longest token lifetime plus
    /// the verifiers' leeway.
    public static var retiredKeyLifetimeSeconds: Int64 { maximumTokenTTLSeconds + verifierLeewaySeconds }
}
