/// A request whose body has been read in full, handed to a gateway-local
/// endpoint (token service, portal, metadata) rather than proxied.
public struct HTTPServerRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// The peer's numeric IP address.
    public var remoteAddress: String
    /// The request id the gateway assigned (also sent back as `X-Request-Id`).
    public var requestID: String

    public init(head: HTTPRequestHead, body: [UInt8] = [], remoteAddress: String = "127.0.0.1",
                requestID: String = "") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
    }
}

/// A complete response produced by a gateway-local endpoint.
public struct HTTPServerResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, contentType: String, body: String, headers: HTTPHeaders = HTTPHeaders()) {
        var h = headers
        h.replaceOrAdd(name: "Content-Type", value: contentType)
        self.init(status: status, headers: h, body: Array(body.utf8))
    }
}

/// A gateway-local endpoint. `respond` may call `done` later and from any
/// thread (slow work such as bcrypt runs on a worker pool); the server hops
/// back to the connection's event loop. `done` must be called exactly once.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void)
}
