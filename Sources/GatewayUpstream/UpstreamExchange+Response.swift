import GatewayHTTP
import GatewayPosix

/// The response side: bytes read, parsed and handed on; a broken connection.
extension UpstreamExchange {
    /// Bytes arrived (or the connection closed, or broke).
    func readable() {
        guard !finished, let connection, !receivePaused else { return }
        while true {
            switch connection.receive() {
            case .bytes(_, let filled):
                deliver(from: connection)
                if finished || receivePaused || !filled { return }
            case .wouldBlock:
                return
            case .closed:
                return endOfInput()
            case .failed(let why):
                return broken("reading the answer failed: \(why)")
            }
        }
    }

    /// Runs the parser over the connection's unconsumed input.
    func deliver(from connection: UpstreamConnection) {
        delivering = true
        let consumed: Int
        do {
            consumed = try parser.parse(connection.unconsumed) { event in
                switch event {
                case .head(let head):
                    self.handler?.upstreamDidReceiveHead(head)
                    return true
                case .body(let chunk):
                    guard !self.finished, let handler = self.handler else { return false }
                    if handler.upstreamDidReceiveBody(chunk) { return true }
                    self.receivePaused = true
                    return false
                }
            }
        } catch {
            delivering = false
            if releaseAfterDelivery != nil {
                // Ended by the handler before the bytes turned out broken: only the connection is left.
                releaseAfterDelivery = nil
                return client.release(connection, reusable: false)
            }
            return fail(.protocolError(error.reason))
        }
        delivering = false
        connection.inputStart += consumed
        if let reusable = releaseAfterDelivery {
            // Ended by the handler meanwhile.
            releaseAfterDelivery = nil
            client.release(connection, reusable: reusable)
            return
        }
        if finished { return }
        if parser.isComplete { return complete(closing: false) }
        if receivePaused { connection.wantRead(false) }
    }

    func resumeResponse() {
        guard !finished, receivePaused else { return }
        receivePaused = false
        connection?.wantRead(true)
        if delivering { return }
        // Offer what is buffered again, after the caller's stack unwinds.
        resumeQueued = true
        client.loop.runSoon(self)
    }

    func resume() {
        guard !finished, !receivePaused, let connection else { return }
        if connection.hasUnconsumedInput {
            deliver(from: connection)
            if finished || receivePaused { return }
        }
        readable()
    }

    func endOfInput() {
        do {
            if try parser.endOfInput() { return complete(closing: true) }
            broken("the upstream closed the connection without answering")
        } catch {
            fail(.protocolError(error.reason))
        }
    }

    /// The connection failed: sent again on a new connection when safe, else 502.
    func broken(_ why: String) {
        guard let connection else { return fail(.protocolError(why)) }
        let idempotent = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"].contains(request.method)
        let bodyless = request.body == .none || request.body == .length(0)
        if !retried, connection.served > 0, !parser.hasStarted, bodyless, idempotent || bytesSent == 0 {
            retried = true
            client.counters.countRetry()
            self.connection = nil
            connection.close()
            requestSent = false
            client.open(for: self)
            return
        }
        fail(.protocolError(why))
    }
}
