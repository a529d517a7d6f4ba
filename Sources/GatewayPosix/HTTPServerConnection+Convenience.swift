import GatewayHTTP

extension HTTPServerConnection {
    /// Whether the delegate may keep writing without growing the buffer past its bound.
    public var isWritable: Bool { pendingOutputBytes < config.writeHighWater }

    /// Starts the response. Sets `Content-Length`/`Transfer-Encoding` and
    /// `Connection` from `framing` and the request; other headers are the caller's.
    public func writeResponseHead(_ head: HTTPResponseHead, framing: ResponseFraming) {
        var head = head
        head.headers.remove(name: "Connection")
        head.headers.remove(name: "Transfer-Encoding")
        if framing != .none { head.headers.remove(name: "Content-Length") }
        writeResponseHead(status: head.status, reason: head.reason, framing: framing) { out in
            head.headers.serializeFields(into: &out)
        }
    }

    public func writeBody(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeBody($0) }
    }

    /// Appends `line` (and a decimal), then CRLF: the fields the connection itself sets.
    static func appendField(_ line: StaticString, decimal: Int? = nil, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeRawBufferPointer(start: line.utf8Start, count: line.utf8CodeUnitCount))
        if let decimal { out.append(contentsOf: String(decimal).utf8) }
        out.append(0x0D)
        out.append(0x0A)
    }
}
