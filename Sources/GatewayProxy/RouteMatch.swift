import GatewayUpstream

/// One operation of an API version, compiled from `routes.json`.
public struct CompiledOperation: Sendable {
    /// The HTTP method (`GET`, `POST`, ...).
    public var method: String
    /// The path template under the version prefix (`/ledger/entries/{id}`).
    public var pathTemplate: String
    /// Scopes a token must all hold. Empty only when `isPublic`.
    public var scopes: [String]
    /// Explicitly public operations need no token.
    public var isPublic: Bool
    /// Whether requests to this operation go to the masked debug log.
    public var debugLog: Bool

    public init(method: String, pathTemplate: String, scopes: [String], isPublic: Bool = false,
                debugLog: Bool = false) {
        self.method = method
        self.pathTemplate = pathTemplate
        self.scopes = scopes
        self.isPublic = isPublic
        self.debugLog = debugLog
    }
}

/// Where a proxied request goes: the version's upstream and its limits.
public struct UpstreamTarget: Sendable {
    /// Base URL without a trailing slash (`http://127.0.0.1:9001`).
    public var baseURL: String
    /// The base URL parsed, for the transport.
    public var origin: UpstreamOrigin
    public var connectTimeoutMillis: Int
    public var totalTimeoutMillis: Int
    /// Whether the caller's `Authorization` header is forwarded (default: no).
    public var forwardAuthorization: Bool

    public init(baseURL: String, connectTimeoutMillis: Int = 2_000, totalTimeoutMillis: Int = 30_000,
                forwardAuthorization: Bool = false, caFile: String? = nil) {
        self.baseURL = baseURL
        self.origin = UpstreamOrigin(baseURL, caFile: caFile)
        self.connectTimeoutMillis = connectTimeoutMillis
        self.totalTimeoutMillis = totalTimeoutMillis
        self.forwardAuthorization = forwardAuthorization
    }
}

/// The result of matching a request against the route table. Immutable and
/// shared: the table holds one per operation and version, and a request only
/// takes a reference to it.
public final class RouteMatch: Sendable {
    /// The API's name (`ledger`).
    public let api: String
    /// The version prefix (`v1`).
    public let version: String
    public let operation: CompiledOperation
    public let upstream: UpstreamTarget

    public init(api: String, version: String, operation: CompiledOperation, upstream: UpstreamTarget) {
        self.api = api
        self.version = version
        self.operation = operation
        self.upstream = upstream
    }
}
