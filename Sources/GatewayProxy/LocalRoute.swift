import GatewayHTTP

/// An endpoint the gateway answers itself (token service, portal, metadata,
/// health, metrics) instead of proxying. Local routes are matched before the
/// route table.
public struct LocalRoute: Sendable {
    public enum Match: Sendable {
        /// The path (without query) equals this.
        case exact(String)
        /// The path equals this or continues below it with `/`.
        case prefix(String)
    }

    public var match: Match
    public var responder: HTTPResponder
    /// Largest request body read for this endpoint (default 1 MiB → 413 beyond).
    public var maxBodyBytes: Int
    /// The methods browsers on the origins of `cors` may call it with; empty (the
    /// default) keeps it same-origin only (pages with cookies, health, metrics).
    public var crossOriginMethods: [String]

    public init(_ match: Match, maxBodyBytes: Int = 1 << 20, crossOriginMethods: [String] = [],
                responder: HTTPResponder) {
        self.match = match
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
        self.crossOriginMethods = crossOriginMethods
    }

    /// `path` equals `prefix` or continues below it with `/`.
    static func hasPathPrefix(_ path: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard path.count >= prefix.count else { return false }
        for i in prefix.indices where path[i] != prefix[i] { return false }
        return path.count == prefix.count || path[prefix.count] == UInt8(ascii: "/")
    }
}

/// A responder built from a closure, for small synchronous endpoints.
public struct ClosureResponder: HTTPResponder {
    private let body: @Sendable (HTTPServerRequest) -> HTTPServerResponse
    public init(_ body: @escaping @Sendable (HTTPServerRequest) -> HTTPServerResponse) { self.body = body }
    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        done(body(request))
    }
}
