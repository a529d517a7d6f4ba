import GatewayHTTP

/// The state of one request as it moves through the pipeline.
///
/// A context is created by the pipeline driver when a request head arrives and
/// is only ever touched on that connection's event loop, which is why it is a
/// class marked `@unchecked Sendable`: filters are shared across loops, contexts are not.
public final class ProxyContext: @unchecked Sendable {
    /// The id sent upstream and downstream as `X-Request-Id`.
    public let requestID: String
    /// The request as the caller sent it.
    public let head: HTTPRequestHead
    /// The caller's numeric IP address: the TCP peer, or behind a trusted proxy the
    /// address its `X-Forwarded-For` names (`TrustedProxies`).
    public let remoteAddress: String
    /// The `X-Forwarded-For` sent upstream: the caller's address, or behind a trusted
    /// proxy the chain it sent with the peer appended.
    public var forwardedFor: String
    /// Monotonic clock reading when the head was parsed, in nanoseconds. Filters
    /// use it as "now" so a request sees one instant (and tests can inject it).
    public let startMonotonicNanos: Int64
    /// Wall clock when the head was parsed, nanoseconds since the epoch.
    public let startUnixNanos: Int64

    /// The matched operation; nil until routing, and for gateway-local endpoints.
    public var route: RouteMatch?
    /// The version a request named when that version is past its sunset (410).
    public var retiredVersion: String?
    /// The API version the request addressed: the matched route's, or a retired one's.
    public var version: String? { route?.version ?? retiredVersion }
    /// The caller, once the auth filter has accepted its token.
    public var principal: Principal?
    /// Headers every response to this request carries, gateway-made errors included
    /// (`X-Request-Id` from the start, then `RateLimit`, `Deprecation`, ...). Filters
    /// append during `requestFilter`.
    public var responseHeaders = HTTPHeaders()
    /// Whether the masked debug log records this request (set by routing or a filter).
    public var debugLogging = false
    /// Per-request state of the debug-log filter (captured headers and body
    /// chunks); nil unless `debugLogging` is on. Loop-confined like the context.
    public var debugCapture: AnyObject?
    /// Whether a gateway-local endpoint (token service, portal, metadata) served it.
    public var isLocal = false

    /// The status sent downstream.
    public var status = 0
    /// The failure, when the gateway answered with an error.
    public var error: ProxyError?
    /// Time spent waiting on the upstream, in nanoseconds; nil when none was called.
    public var upstreamNanos: Int64?
    /// Request body bytes received from the caller.
    public var bytesIn = 0
    /// Response body bytes sent to the caller.
    public var bytesOut = 0
    /// Monotonic clock reading when the last response byte was handed to the socket.
    public var endMonotonicNanos: Int64 = 0

    public init(requestID: String, head: HTTPRequestHead, remoteAddress: String,
                startMonotonicNanos: Int64, startUnixNanos: Int64) {
        self.requestID = requestID
        self.head = head
        self.remoteAddress = remoteAddress
        self.forwardedFor = remoteAddress
        self.startMonotonicNanos = startMonotonicNanos
        self.startUnixNanos = startUnixNanos
        responseHeaders.reserveCapacity(8)   // room for what the filters add, without regrowing
        responseHeaders.add(name: "X-Request-Id", value: requestID)
    }

    /// Total time from head to last byte, in nanoseconds.
    public var totalNanos: Int64 { max(0, endMonotonicNanos - startMonotonicNanos) }
}
