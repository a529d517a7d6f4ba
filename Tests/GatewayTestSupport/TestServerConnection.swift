import GatewayHTTP

/// The server side of one test connection: read requests (parsed by the
/// gateway's own `HTTPRequestParser`) or raw bytes, write raw responses.
///
/// Used from the one thread that serves the connection.
public final class TestServerConnection: @unchecked Sendable {
    // @unchecked: handed to exactly one handler thread and used only there.
    public let socket: TestSocket
    private var parser = HTTPRequestParser()
    private var buffer: [UInt8] = []

    public init(socket: TestSocket) {
        self.socket = socket
    }

    /// One request read in full: its head and decoded body.
    public struct Request: Sendable {
        public var head: HTTPRequestHead
        public var body: [UInt8]
        public var bodyString: String { String(decoding: body, as: UTF8.self) }
    }

    /// Reads the next request; nil when the peer closed the connection
    /// cleanly between requests. Throws on a parse error, a timeout, or a
    /// close in the middle of a request.
    public func readRequest() throws -> Request? {
        var head: HTTPRequestHead?
        var body: [UInt8] = []
        var done = false
        while true {
            if !buffer.isEmpty {
                let consumed = try buffer.withUnsafeBytes { raw in
                    try parser.parse(raw) { event in
                        switch event {
                        case .head(let h): head = h
                        case .body(let bytes): body += bytes
                        case .end: done = true
                        }
                    }
                }
                buffer.removeFirst(consumed)
                if done, let head { return Request(head: head, body: body) }
            }
            let bytes = try socket.receive()
            if bytes.isEmpty {
                if parser.isIdle && buffer.isEmpty && head == nil { return nil }
                throw TestHTTPClientError.closed(partial: buffer)
            }
            buffer += bytes
        }
    }

    /// Reads whatever arrives next (at least one byte); empty at end of stream.
    public func readBytes() throws -> [UInt8] {
        if !buffer.isEmpty {
            defer { buffer.removeAll() }
            return buffer
        }
        return try socket.receive()
    }

    public func write(_ bytes: [UInt8]) throws { try socket.send(bytes) }

    public func write(_ text: String) throws { try socket.send(Array(text.utf8)) }

    /// Writes a complete response with a `Content-Length` body.
    public func respond(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: String = "") throws {
        var head = HTTPResponseHead(status: status, headers: headers)
        if !HTTPStatus.forbidsBody(status) && !headers.contains(name: "Content-Length") {
            head.headers.add(name: "Content-Length", value: String(body.utf8.count))
        }
        try write(head.serialized + Array(body.utf8))
    }

    public func shutdownWrite() { socket.shutdownWrite() }

    public func close() { socket.close() }
}
