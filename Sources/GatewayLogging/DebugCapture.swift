import GatewayHTTP

/// What the debug-log filter captures for one request, kept in
/// `ProxyContext.debugCapture`. Touched only on the request's event loop.
///
/// Bodies are accumulated chunk by chunk up to `cap` bytes each; masking runs
/// later on the captured whole, so a value split across chunks is still
/// recognised. Bytes past the cap are counted, not kept.
public final class DebugCapture {
    /// One body being captured.
    public struct Body {
        public private(set) var bytes: [UInt8] = []
        /// Every byte seen, captured or not.
        public private(set) var total = 0
        public let cap: Int

        public init(cap: Int) { self.cap = cap }

        public var truncated: Bool { total > bytes.count }

        public mutating func append(_ chunk: UnsafeRawBufferPointer) {
            total += chunk.count
            let room = cap - bytes.count
            guard room > 0, !chunk.isEmpty else { return }
            if bytes.isEmpty { bytes.reserveCapacity(min(cap, max(chunk.count, 1024))) }
            bytes.append(contentsOf: chunk.prefix(room))
        }
    }

    public var requestBody: Body
    public var responseBody: Body
    /// The response head as the filter saw it in `responseFilter`.
    public var responseHead: HTTPResponseHead?

    public init(cap: Int) {
        requestBody = Body(cap: cap)
        responseBody = Body(cap: cap)
    }
}
