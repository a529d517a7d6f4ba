import GatewayHTTP
import GatewayPosix

/// One upstream call: the request written as HTTP/1.1 onto an
/// `UpstreamConnection`, its body streamed up (chunked when its length is not
/// known), the response read with an `HTTPResponseParser` and handed to the
/// handler as it arrives, with back-pressure both ways. Lives on its client's
/// loop, from `start` until it finishes, fails or is cancelled; the handler
/// hears nothing after that.
///
/// A request that finds a reused connection closed before any byte of an
/// answer arrived is sent once more on a new connection when that is safe:
/// it has no body, and its method is idempotent (RFC 9110 §9.2.2) or nothing
/// of it reached the upstream. Anything else answers 502.
final class UpstreamExchange: UpstreamCall, DeferredTask {
    unowned let client: UpstreamHTTPClient
    let request: UpstreamRequest
    private var handler: UpstreamResponseHandler?
    private var connection: UpstreamConnection?
    private var parser: HTTPResponseParser

    private var finished = false
    /// Inside `start`: failures are reported after it returns.
    private var starting = true
    /// Inside the parser's sink: the connection's input buffer is in use.
    private var delivering = false
    /// Set when the exchange ends while delivering: the connection is let go afterwards.
    private var releaseAfterDelivery: Bool?
    private var receivePaused = false
    private var retried = false
    /// Bytes of this request the upstream's socket accepted.
    private var bytesSent = 0
    private var requestSent = false

    // The request body, framed, waiting for room in the connection's send buffer.
    private let chunked: Bool
    private var body: [UInt8] = []
    private var bodyStart = 0
    private var bodyFinished: Bool
    /// Body bytes the caller gave (before framing); a declared length must be met
    /// for the connection to carry another request.
    private var bodyBytes = 0
    private var notifyDrain = false
    private var flushQueued = false
    private var resumeQueued = false

    // UpstreamDeadlines' list.
    var deadline: Int64 = 0
    var hasDeadline = false
    var nextByDeadline: UpstreamExchange?
    unowned(unsafe) var previousByDeadline: UpstreamExchange?

    /// Queued request body bytes above which the caller should stop reading.
    static let uploadHighWater = 256 * 1024

    init(client: UpstreamHTTPClient, request: UpstreamRequest, handler: UpstreamResponseHandler) {
        self.client = client
        self.request = request
        self.handler = handler
        parser = HTTPResponseParser(limits: client.options.responseLimits)
        switch request.body {
        case .none: chunked = false; bodyFinished = true
        case .length(let n): chunked = false; bodyFinished = n == 0
        case .streamed: chunked = true; bodyFinished = false
        }
    }

    func started() {
        starting = false
    }

    // MARK: Connection

    /// A connection is being opened for this exchange.
    func connectionPending(_ connection: UpstreamConnection) {
        self.connection = connection
    }

    /// The connection is ready: the request goes out.
    func connectionReady(_ connection: UpstreamConnection) {
        guard !finished else {
            client.release(connection, reusable: true)
            return
        }
        self.connection = connection
        connection.exchange = self
        parser.begin(toHEAD: request.method == "HEAD")
        bytesSent = 0
        writeHead(to: connection)
        if bodyFinished && body.isEmpty {
            flush()   // nothing else will come: no reason to wait
        } else {
            queueFlush()   // the body's first bytes usually follow at once: one send for both
        }
    }

    func connectionFailed(_ failure: UpstreamFailure) {
        connection = nil
        fail(failure)
    }

    // MARK: Request

    private func writeHead(to connection: UpstreamConnection) {
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
    private static func isTransportOwned(_ name: String) -> Bool {
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

    private func queueFlush() {
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
    private func flush() {
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
    private var isWholeBody: Bool {
        switch request.body {
        case .none, .streamed: true
        case .length(let n): bodyBytes == n
        }
    }

    /// Tells the caller it may send more once a full upload buffer has drained.
    private func drained() {
        guard notifyDrain, body.count - bodyStart < Self.uploadHighWater / 4 else { return }
        notifyDrain = false
        client.loop.runSoon { [weak self] in self?.handler?.upstreamDidDrainRequestBody() }
    }

    // MARK: Response

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
    private func deliver(from connection: UpstreamConnection) {
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
            releaseAfterDelivery = nil
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

    private func resume() {
        guard !finished, !receivePaused, let connection else { return }
        if connection.hasUnconsumedInput {
            deliver(from: connection)
            if finished || receivePaused { return }
        }
        readable()
    }

    private func endOfInput() {
        do {
            if try parser.endOfInput() { return complete(closing: true) }
            broken("the upstream closed the connection without answering")
        } catch {
            fail(.protocolError(error.reason))
        }
    }

    /// The connection failed: sent again on a new connection when safe, else 502.
    private func broken(_ why: String) {
        guard let connection else { return fail(.protocolError(why)) }
        let idempotent = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"].contains(request.method)
        let bodyless = request.body == .none || request.body == .length(0)
        if !retried, connection.served > 0, !parser.hasStarted, bodyless, idempotent || bytesSent == 0 {
            retried = true
            self.connection = nil
            connection.close()
            requestSent = false
            client.open(for: self)
            return
        }
        fail(.protocolError(why))
    }

    // MARK: Ending

    private func complete(closing: Bool) {
        guard let connection else { return }
        let reusable = !closing && parser.keepsConnection && requestSent && !connection.hasUnconsumedInput
        end(releasing: reusable)
        let handler = self.handler
        self.handler = nil
        handler?.upstreamDidFinish()
    }

    func fail(_ failure: UpstreamFailure) {
        guard !finished else { return }
        end(releasing: false)
        let handler = self.handler
        self.handler = nil
        if starting {
            client.loop.runSoon { handler?.upstreamDidFail(failure) }
        } else {
            handler?.upstreamDidFail(failure)
        }
    }

    func timedOut() {
        let seconds = Double(request.totalTimeoutMillis) / 1000
        fail(.timeout("no complete answer within \(seconds) s"))
    }

    func cancel() {
        guard !finished else { return }
        handler = nil
        end(releasing: false)
    }

    /// Marks the exchange finished and lets its connection go: back to the
    /// pool when `reusable`, closed otherwise (a connection still connecting
    /// is closed when it is done).
    private func end(releasing reusable: Bool) {
        finished = true
        client.deadlines.remove(self)
        guard let connection else { return }
        self.connection = nil
        if connection.state == .connecting {
            connection.exchange = nil
        } else if delivering {
            connection.exchange = nil
            releaseAfterDelivery = reusable
        } else {
            client.release(connection, reusable: reusable)
        }
    }
}

/// Writing a request head into the connection's buffer (room reserved beforehand).
private extension UnsafeMutableRawPointer {
    @inline(__always)
    mutating func append(byte: UInt8) {
        storeBytes(of: byte, as: UInt8.self)
        self += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        copyMemory(from: base, byteCount: bytes.count)
        self += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        self += text.utf8CodeUnitCount
    }

    @inline(__always)
    mutating func append(_ text: String) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        for byte in text.utf8 { append(byte: byte) }
    }

    /// Appends `text` unless it holds CR, LF or NUL (then returns false; what was written is garbage).
    @inline(__always)
    mutating func appendRefusingLineBreaks(_ text: String) -> Bool {
        func copy<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
            for byte in bytes {
                if byte == 0x0D || byte == 0x0A || byte == 0 { return false }
                append(byte: byte)
            }
            return true
        }
        return text.utf8.withContiguousStorageIfAvailable { copy($0) } ?? copy(text.utf8)
    }

    mutating func appendDecimal(_ value: Int) {
        var digits: [UInt8] = []
        var v = value
        repeat {
            digits.append(UInt8(v % 10) + 0x30)
            v /= 10
        } while v > 0
        for digit in digits.reversed() { append(byte: digit) }
    }
}
