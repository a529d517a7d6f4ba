import GatewayHTTP

/// A request to send to an upstream service.
public struct UpstreamRequest: Sendable {
    public enum Body: Sendable, Equatable {
        case none
        /// Exactly this many bytes will be streamed with `sendBody`.
        case length(Int)
        /// An unknown number of bytes (sent chunked).
        case streamed
    }

    public var method: String
    /// The upstream's base URL, parsed (`http://127.0.0.1:9001`, maybe with a base path).
    public var origin: UpstreamOrigin
    /// The caller's path and query, unchanged (`/v1/ledger/entries?limit=5`).
    public var target: String
    /// Headers to send, already rewritten (hop-by-hop removed, identity added).
    /// `Host`, `Content-Length`, `Transfer-Encoding` and `Expect` are the
    /// transport's: the caller's values are not sent.
    public var headers: HTTPHeaders
    public var body: Body
    public var connectTimeoutMillis: Int
    public var totalTimeoutMillis: Int

    public init(method: String, origin: UpstreamOrigin, target: String, headers: HTTPHeaders, body: Body = .none,
                connectTimeoutMillis: Int = 2_000, totalTimeoutMillis: Int = 30_000) {
        self.method = method
        self.origin = origin
        self.target = target
        self.headers = headers
        self.body = body
        self.connectTimeoutMillis = connectTimeoutMillis
        self.totalTimeoutMillis = totalTimeoutMillis
    }
}

/// Why an upstream call failed.
public enum UpstreamFailure: Error, Sendable, Equatable {
    /// Connection refused, host unreachable or not resolvable (→ 502).
    case unavailable(String)
    /// Connect or total timeout (→ 504).
    case timeout(String)
    /// The upstream broke the protocol or the connection mid-response (→ 502).
    case protocolError(String)
}

/// Receives one upstream response, on the event loop that started the call.
public protocol UpstreamResponseHandler: AnyObject {
    /// The final (non-1xx) response head, header lines exactly as received.
    func upstreamDidReceiveHead(_ head: UpstreamResponseHead)
    /// A piece of the (de-chunked) body. Return false to refuse it for now:
    /// the transport pauses and offers the same bytes again after `resumeResponse()`.
    func upstreamDidReceiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool
    /// The upload buffer drained; the caller may send more body bytes.
    func upstreamDidDrainRequestBody()
    func upstreamDidFinish()
    func upstreamDidFail(_ failure: UpstreamFailure)
}

/// An upstream call in progress.
public protocol UpstreamCall: AnyObject {
    /// Queues request body bytes (copied).
    func sendBody(_ bytes: UnsafeRawBufferPointer)
    /// No more request body bytes will come.
    func finishBody()
    /// Bytes queued for the upstream and not yet taken.
    var pendingRequestBodyBytes: Int { get }
    /// Resumes delivery after `upstreamDidReceiveBody` returned false.
    func resumeResponse()
    /// Abandons the call; the handler hears nothing more.
    func cancel()
}

/// Sends requests to upstream services. One instance per event loop.
public protocol UpstreamTransport: AnyObject {
    func start(_ request: UpstreamRequest, handler: UpstreamResponseHandler) -> UpstreamCall
}
