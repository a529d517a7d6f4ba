import GatewayHTTP
import GatewayPosix

/// The gateway's configuration, decoded from `routes.json` and validated.
/// Every default is stated here and in `docs/configuration.md`.
public struct GatewayConfig: Sendable {
    /// Address to listen on (`listen`, required).
    public var listen: SocketAddress
    /// The token issuer URL (`issuer`, required); tokens must carry it as `iss`.
    public var issuer: String
    /// The audience tokens are issued for and checked against (`audience`, default: `issuer`).
    public var audience: String
    /// Access-token lifetime (`token_ttl_seconds`, default 900, at most 900).
    public var tokenTTLSeconds: Int
    /// Requests per minute for clients without their own (`default_rpm`, default 1000).
    public var defaultRPM: Int
    /// Requests per minute per caller address on operations marked `public`
    /// (`public_rpm`, default: `default_rpm`).
    public var publicRPM: Int
    /// Number of event loops (`workers`, default: the number of cores).
    public var workers: Int?
    /// Largest request body accepted (`max_body_bytes`, default 10 MiB).
    public var maxBodyBytes: Int
    /// Time allowed for a request head (`header_timeout_seconds`, default 10).
    public var headerTimeoutSeconds: Int
    /// Keep-alive idle time (`idle_timeout_seconds`, default 60).
    public var idleTimeoutSeconds: Int
    /// Upstream connect timeout (`connect_timeout_ms`, default 2000), overridable per version.
    public var connectTimeoutMillis: Int
    /// Upstream total timeout (`timeout_ms`, default 30000), overridable per version and operation.
    public var timeoutMillis: Int
    /// Token signing algorithm (`signing_alg`, `RS256` (default) or `ES256`).
    public var signingAlgorithm: String
    /// bcrypt cost for secrets and passwords (`bcrypt_cost`, default 12, 10...15).
    public var bcryptCost: Int
    /// The realm in `WWW-Authenticate` answers (`realm`, default `portcullis`).
    public var realm: String
    /// Log settings (`logs`).
    public var logs: LogSettings
    /// Proxies whose `X-Forwarded-For` is believed (`trusted_proxies`, addresses or CIDR
    /// ranges; default none: the caller is the TCP peer). See `TrustedProxies`.
    public var trustedProxies: [String]
    /// Cross-origin access for browser applications (`cors`); nil (the default) answers
    /// no cross-origin request.
    public var cors: CORSSettings?
    /// The APIs the gateway routes (`apis`, required, at least one).
    public var apis: [APIConfig]

    /// `logs` object.
    public struct LogSettings: Sendable {
        /// Directory for access and debug logs (`dir`, default `<data>/logs`).
        public var directory: String?
        /// Bytes of each body kept in the debug log (`debug_body_bytes`, default 8192).
        public var debugBodyBytes: Int = 8192
        /// Rotate a log file when it passes this size (`rotate_bytes`, default 100 MiB; 0 = never).
        public var rotateBytes: Int = 100 * 1024 * 1024
        /// Rotated files kept (`keep`, default 5).
        public var keep: Int = 5
        public init() {}
    }
}

/// `cors` object: which browser origins may call the APIs and the gateway's
/// OAuth and document endpoints (see `CORSPolicy`).
public struct CORSSettings: Sendable, Equatable {
    /// Origins as browsers send them (`https://app.example.com`, lower case, no
    /// path), or `*` for any origin (`allowed_origins`, required).
    public var allowedOrigins: [String]
    /// Request fields allowed besides `Authorization`, `Content-Type`, `Accept`
    /// and `X-Request-Id` (`allowed_headers`, default none).
    public var allowedHeaders: [String]
    /// How long a browser may cache a preflight answer (`max_age_seconds`, default 600).
    public var maxAgeSeconds: Int

    public init(allowedOrigins: [String], allowedHeaders: [String] = [], maxAgeSeconds: Int = 600) {
        self.allowedOrigins = allowedOrigins
        self.allowedHeaders = allowedHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }
}

/// One API (`apis[i]`): its versions and its operations.
public struct APIConfig: Sendable {
    public var name: String
    public var description: String?
    public var versions: [VersionConfig]
    public var operations: [OperationConfig]
}

/// One version of an API (`apis[i].versions[j]`).
public struct VersionConfig: Sendable {
    /// The path prefix (`v1`).
    public var version: String
    /// The upstream base URL; requests go to `upstream + original path and query`.
    public var upstream: String
    /// When the version was announced deprecated (seconds since the epoch), if it is.
    public var deprecatedAt: Int64?
    /// When the version stops answering (410 afterwards).
    public var sunset: Int64?
    /// Where integrators read about the change (`Link: <…>; rel="deprecation"`).
    public var link: String?
    public var connectTimeoutMillis: Int?
    public var timeoutMillis: Int?
    /// Whether the caller's `Authorization` header is passed upstream (default false).
    public var forwardAuthorization: Bool
    public var description: String?
    /// PEM file of the certificate authorities trusted for an `https` upstream
    /// (resolved against the configuration's directory); nil: the system's.
    public var tlsCAFile: String? = nil
}

/// One operation (`apis[i].operations[k]`).
public struct OperationConfig: Sendable {
    public var method: String
    /// Path template under the version prefix (`/ledger/entries/{id}`).
    public var path: String
    public var scopes: [String]
    /// Needs no token (must be explicit: an operation without scopes is otherwise refused).
    public var isPublic: Bool
    public var debugLog: Bool
    public var summary: String?
    public var description: String?
    public var operationID: String?
    /// JSON Schema of the request body (inline, or loaded from a file path given as a string).
    public var requestSchema: JSONValue?
    /// JSON Schema of a successful response body.
    public var responseSchema: JSONValue?
    /// Versions that carry this operation (default: every version of the API).
    public var versions: [String]?
    /// Upstream total timeout for this operation, overriding the version's.
    public var timeoutMillis: Int?
}
