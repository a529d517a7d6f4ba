import GatewayHTTP
import GatewayProxy

/// The masked debug log: request and response headers and bodies for the
/// operations marked `"debug_log": true` and for the clients switched on in a
/// `DebugLogSwitch`.
///
/// - `requestFilter` turns `context.debugLogging` on when the route's
///   operation or the caller's client id asks for it (the pipeline may also set
///   it before); `logging` re-checks the route, so a request refused before
///   this filter ran is still recorded when its operation is debug-logged.
/// - Body chunks are captured as they stream, up to `bodyCap` bytes per body
///   (default 8 KiB), in a `DebugCapture` kept in `context.debugCapture`; the
///   response head is captured in `responseFilter`; request headers come from
///   the context.
/// - `logging` writes one `DebugLogRecord`, masked per field as it is encoded.
///
/// Place it after the auth filter so the principal is known in `requestFilter`.
public final class DebugLogFilter: ProxyFilter {
    public let writer: LogWriter
    public let clients: DebugLogSwitch
    public let masker: LogMasker
    /// Bytes captured per body.
    public let bodyCap: Int

    public init(writer: LogWriter, clients: DebugLogSwitch = DebugLogSwitch(), masker: LogMasker = LogMasker(),
                bodyCap: Int = 8 * 1024) {
        self.writer = writer
        self.clients = clients
        self.masker = masker
        self.bodyCap = max(0, bodyCap)
    }

    /// Whether this request should be debug-logged.
    public func wants(_ context: ProxyContext) -> Bool {
        if context.debugLogging || context.route?.operation.debugLog == true { return true }
        guard let client = context.principal?.clientID else { return false }
        return clients.isEnabled(clientID: client)
    }

    public func requestFilter(_ context: ProxyContext) -> ProxyError? {
        if wants(context) { context.debugLogging = true }
        return nil
    }

    public func requestBodyFilter(_ context: ProxyContext, chunk: UnsafeRawBufferPointer) {
        guard context.debugLogging else { return }
        capture(context).requestBody.append(chunk)
    }

    public func responseFilter(_ context: ProxyContext, head: inout HTTPResponseHead) {
        guard context.debugLogging else { return }
        capture(context).responseHead = head
    }

    /// The debug log records the upstream's response fields (masked).
    public func needsUpstreamResponseHead(_ context: ProxyContext) -> Bool { context.debugLogging }

    public func responseBodyFilter(_ context: ProxyContext, chunk: UnsafeRawBufferPointer) {
        guard context.debugLogging else { return }
        capture(context).responseBody.append(chunk)
    }

    public func logging(_ context: ProxyContext) {
        guard wants(context) else { return }
        let captured = capture(context)
        let request = DebugLogRecord.Message(headers: context.head.headers, body: captured.requestBody.bytes,
                                             bodyBytes: captured.requestBody.total,
                                             truncated: captured.requestBody.truncated)
        let response = captured.responseHead.map { head in
            DebugLogRecord.Message(headers: head.headers, body: captured.responseBody.bytes,
                                   bodyBytes: captured.responseBody.total, truncated: captured.responseBody.truncated)
        }
        let status = context.status != 0 ? context.status : (captured.responseHead?.status ?? context.error?.status ?? 0)
        let record = DebugLogRecord(unixNanos: context.startUnixNanos, requestID: context.requestID,
                                    clientID: context.principal?.clientID, orgID: context.principal?.orgID,
                                    method: context.head.method, target: context.head.target,
                                    version: context.route?.version, status: status, request: request,
                                    response: response)
        var line = LineBuffer(capacity: 2048 + captured.requestBody.bytes.count + captured.responseBody.bytes.count)
        record.encode(into: &line, masker: masker)
        writer.append(line.bytes)
        context.debugCapture = nil
    }

    private func capture(_ context: ProxyContext) -> DebugCapture {
        if let existing = context.debugCapture as? DebugCapture { return existing }
        let created = DebugCapture(cap: bodyCap)
        context.debugCapture = created
        return created
    }
}
