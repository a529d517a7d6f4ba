import GatewayHTTP

/// One stage of the proxy pipeline (authentication, rate limiting, logging, ...).
///
/// Filters are small immutable objects built once from validated configuration
/// and shared by every event loop; per-request state lives in `ProxyContext`.
/// (Objects rather than values: the pipeline calls each filter several times per
/// request, and an object reference is copied with one retain.)
/// Every hook is synchronous and runs on the connection's event loop, in this
/// order, for each filter in the pipeline's order:
///
/// 1. `earlyRequestFilter` — before routing; header sanity.
/// 2. `requestFilter` — after routing; may refuse the request with a `ProxyError`
///    (401, 403, 429, ...), which skips the upstream call.
/// 3. `upstreamRequestFilter` — may edit the headers sent upstream.
/// 4. `requestBodyFilter` / `responseBodyFilter` — observe body chunks as they stream.
/// 5. `responseFilter` — may edit the response head sent downstream (also for
///    gateway-made errors). Upstream fields are only in the head when some
///    filter's `needsUpstreamResponseHead` asks for them.
/// 6. `logging` — always called exactly once per request, success or failure.
///
/// A request the route table refuses (404, 405, 410) skips 2–5; `identifyCaller`
/// runs instead, so the access log can still name a caller whose credentials
/// are valid. It never refuses anything: the routing answer stands.
///
/// All hooks have no-op defaults.
public protocol ProxyFilter: AnyObject, Sendable {
    func earlyRequestFilter(_ context: ProxyContext) -> ProxyError?
    func requestFilter(_ context: ProxyContext) -> ProxyError?
    /// For a request that matched no operation: may set `context.principal`
    /// from valid credentials, for the logs only.
    func identifyCaller(_ context: ProxyContext)
    func upstreamRequestFilter(_ context: ProxyContext, headers: inout HTTPHeaders)
    func requestBodyFilter(_ context: ProxyContext, chunk: UnsafeRawBufferPointer)
    func responseFilter(_ context: ProxyContext, head: inout HTTPResponseHead)
    /// Whether `responseFilter` must see this request's upstream response head
    /// with every upstream field (default false). When no filter needs it, the
    /// upstream's fields are copied through as bytes and `responseFilter` sees
    /// only the fields the gateway adds; a filter that reads or edits upstream
    /// fields must return true for the requests it cares about.
    func needsUpstreamResponseHead(_ context: ProxyContext) -> Bool
    func responseBodyFilter(_ context: ProxyContext, chunk: UnsafeRawBufferPointer)
    func logging(_ context: ProxyContext)
}

extension ProxyFilter {
    public func earlyRequestFilter(_ context: ProxyContext) -> ProxyError? { nil }
    public func requestFilter(_ context: ProxyContext) -> ProxyError? { nil }
    public func identifyCaller(_ context: ProxyContext) {}
    public func upstreamRequestFilter(_ context: ProxyContext, headers: inout HTTPHeaders) {}
    public func requestBodyFilter(_ context: ProxyContext, chunk: UnsafeRawBufferPointer) {}
    public func responseFilter(_ context: ProxyContext, head: inout HTTPResponseHead) {}
    public func needsUpstreamResponseHead(_ context: ProxyContext) -> Bool { false }
    public func responseBodyFilter(_ context: ProxyContext, chunk: UnsafeRawBufferPointer) {}
    public func logging(_ context: ProxyContext) {}
}
