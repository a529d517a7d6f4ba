import GatewayHTTP

/// Serves a connection with an `HTTPResponder`: reads each request body in
/// full (up to `maxBodyBytes`, 413 beyond), calls the responder, writes its
/// answer. For small servers (the sample upstream, test fixtures); the proxy
/// has its own streaming driver.
public final class BufferedResponderHandler: HTTPServerConnectionDelegate {
    private let responder: HTTPResponder
    private let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    public init(responder: HTTPResponder, maxBodyBytes: Int = 64 << 20) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
    }

    public func connection(_ connection: HTTPServerConnection, didReceiveHead head: HTTPRequestHead) {
        self.head = head
        body = []
        tooLarge = false
        if head.expectsContinue { connection.writeContinue() }
    }

    public func connection(_ connection: HTTPServerConnection, didReceiveBodyChunk chunk: UnsafeRawBufferPointer) {
        if body.count + chunk.count > maxBodyBytes { tooLarge = true; return }
        body.append(contentsOf: chunk)
    }

    public func connectionDidReceiveEnd(_ connection: HTTPServerConnection) {
        guard let head else { return }
        if tooLarge {
            write(ProblemDetails(status: 413).response(), to: connection)
            return
        }
        let request = HTTPServerRequest(head: head, body: body, remoteAddress: connection.remoteAddress)
        body = []
        let loop = connection.loop
        let target = Unchecked(connection: connection, handler: self)
        responder.respond(to: request) { response in
            if loop.inEventLoop {
                target.handler.write(response, to: target.connection)
            } else {
                loop.execute { target.handler.write(response, to: target.connection) }
            }
        }
    }

    /// Loop-confined references carried through the responder's completion.
    private struct Unchecked: @unchecked Sendable {
        let connection: HTTPServerConnection
        let handler: BufferedResponderHandler
    }

    private func write(_ response: HTTPServerResponse, to connection: HTTPServerConnection) {
        guard !connection.isClosed else { return }
        let framing: ResponseFraming = HTTPStatus.forbidsBody(response.status) ? .none : .contentLength(response.body.count)
        connection.writeResponseHead(HTTPResponseHead(status: response.status, headers: response.headers), framing: framing)
        if framing != .none { connection.writeBody(response.body) }
        connection.endResponse()
    }

    public func connection(_ connection: HTTPServerConnection, didFailToParse error: HTTPParseError) {
        write(ProblemDetails(status: error.status, detail: error.reason).response(), to: connection)
    }

    public func connectionDidDrain(_ connection: HTTPServerConnection) {}
    public func connectionDidClose(_ connection: HTTPServerConnection) {}
}
