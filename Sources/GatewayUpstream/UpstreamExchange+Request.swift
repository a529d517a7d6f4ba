import GatewayHTTP
import GatewayPosix

/// The request side: the head written once, the body framed and sent.
extension UpstreamExchange {
    func writeHead(to connection: UpstreamConnection) {
        let origin = request.origin
        var size = request.method.utf8.count + origin.basePath.count + request.target.utf8.count + 13
            + origin.hostField.count + 40
        for field in request.headers.fields { size += field.name.utf8.count + field.value.utf8.count + 4 }
        // Room for the body's first bytes too, while the buffer may still grow: one send for a small request.
        switch request.body {
        case .none: connection.reserveOut(size)
        case .length(let n): connection.reserveOut(size + min(n, Self.sendBufferForBodies))
        case .streamed: connection.reserveOut(size + Self.sendBufferForBodies / 4)
        }
        var p = connection.out + connection.outEnd
        p.append(request.method)
        p.append(byte: 0x20)
        origin.basePath.withUnsafeBytes { p.append($0) }
        p.append(request.target)
        p.append(" HTTP/1.1\r\n" as StaticString)
        origin.hostField.withUnsafeBytes { p.append($0) }
        request.headers.fields.withUnsafeBufferPointer { fields in
            for field in fields where !Self.isTransportOwned(field.name) {
                let start = p
                p.append(field.name)
                p.append(byte: 0x3A)
                if !field.value.isEmpty {
                    p.append(byte: 0x20)
                    guard p.appendRefusingLineBreaks(field.value) else {
                        p = start   // a value holding CR, LF or NUL would split the request: never sent
                        continue
                    }
                }
                p.append(byte: 0x0D)
                p.append(byte: 0x0A)
            }
        }
        switch request.body {
        case .none: break
        case .length(let n):
            p.append("Content-Length: " as StaticString)
            p.appendDecimal(n)
            p.append(byte: 0x0D)
            p.append(byte: 0x0A)
        case .streamed:
            p.append("Transfer-Encoding: chunked\r\n" as StaticString)
        }
        p.append(byte: 0x0D)
        p.append(byte: 0x0A)
        connection.outEnd = connection.out.distance(to: p)
    }

    /// Fields the transport writes itself, or never forwards.
    static func isTransportOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: name.equalsIgnoringASCIICase("Host")
        case 6: name.equalsIgnoringASCIICase("Expect")
        case 14: name.equalsIgnoringASCIICase("Content-Length")
        case 17: name.equalsIgnoringASCIICase("Transfer-Encoding")
        default: false
        }
    }

    var pendingRequestBodyBytes: Int { body.count - bodyStart }

    func sendBody(_ bytes: UnsafeRawBufferPointer) {
        guard !finished, !bodyFinished, !bytes.isEmpty else { return }
        if chunked {
            body.append(contentsOf: String(bytes.count, radix: 16).utf8)
            body.append(0x0D)
            body.append(0x0A)
        }
        body.append(contentsOf: bytes)
        bodyBytes += bytes.count
        if chunked {
            body.append(0x0D)
            body.append(0x0A)
        }
        if body.count - bodyStart >= Self.uploadHighWater { notifyDrain = true }
        queueFlush()
    }

    func finishBody() {
        guard !finished, !bodyFinished else { return }
        bodyFinished = true
        if chunked { body.append(contentsOf: "0\r\n\r\n".utf8) }
        queueFlush()
    }

    func queueFlush() {
        guard !flushQueued, connection?.state == .busy else { return }
        flushQueued = true
        client.loop.runSoon(self)
    }

    func runDeferred() {
        if flushQueued {
            flushQueued = false
            flush()
        }
        if resumeQueued {
            resumeQueued = false
            resume()
        }
    }

    /// The socket can take bytes again.
    func writable() {
        flush()
    }

    /// Moves body bytes into the connection's send buffer and sends, until
    /// everything is sent or the socket is full. Bytes are only ever added
    /// after those pending in the buffer, never moved (a TLS write that would
    /// block must be retried with the same bytes at the same address), so the
    /// head and the first body bytes usually leave in one send.
    func flush() {
        guard !finished, let connection, connection.state == .busy else { return }
        while true {
            let available = body.count - bodyStart
            if available > 0 {
                if !connection.hasPendingOutput && available > connection.outCapacity {
                    connection.reserveOut(min(available, Self.sendBufferForBodies))
                }
                let n = min(available, connection.roomToAppend())
                if n > 0 {
                    body.withUnsafeBytes { bytes in
                        (connection.out + connection.outEnd).copyMemory(from: bytes.baseAddress! + bodyStart, byteCount: n)
                    }
                    connection.outEnd += n
                    bodyStart += n
                    if bodyStart == body.count {
                        body.removeAll(keepingCapacity: body.count <= 64 * 1024)
                        bodyStart = 0
                    }
                    drained()
                }
            }
            guard connection.hasPendingOutput else {
                connection.wantWrite(false)
                if bodyFinished && body.isEmpty { requestSent = isWholeBody }
                return
            }
            let (sent, stopped) = connection.send()
            bytesSent += sent
            guard let stopped else { continue }
            if stopped.isEmpty {
                connection.wantWrite(true)
            } else {
                broken("sending the request failed: \(stopped)")
            }
            return
        }
    }

    /// How far the send buffer grows for a request body (libcurl's upload buffer size).
    static let sendBufferForBodies = 64 * 1024

    /// Whether the caller gave all of the body the head declared.
    var isWholeBody: Bool {
        switch request.body {
        case .none, .streamed: true
        case .length(let n): bodyBytes == n
        }
    }

    /// Tells the caller it may send more once a full upload buffer has drained.
    func drained() {
        guard notifyDrain, body.count - bodyStart < Self.uploadHighWater / 4 else { return }
        notifyDrain = false
        client.loop.runSoon { [weak self] in self?.handler?.upstreamDidDrainRequestBody() }
    }
}
