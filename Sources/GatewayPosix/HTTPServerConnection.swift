import CGatewayLinux
import GatewayHTTP
import Glibc

/// One client connection: reads and parses requests, hands them to its
/// delegate one at a time, and writes the delegate's responses with
/// back-pressure. Lives on one event loop and is only touched there.
public final class HTTPServerConnection: Selectable, DeferredTask {
    public let fd: Int32
    public let loop: EventLoop
    /// The peer's numeric IP address.
    public let remoteAddress: String
    /// The connection's delegate, held strongly until the connection closes.
    public var delegate: HTTPServerConnectionDelegate?
    /// Set by the owner to hear when the connection is gone.
    var onClose: ((HTTPServerConnection) -> Void)?

    let config: HTTPServerConfiguration
    private var parser: HTTPRequestParser
    private(set) var timeouts: ConnectionTimeouts

    private var input: [UInt8] = []
    private var inputStart = 0
    private var outgoing = OutgoingBuffer()
    private var flushScheduled = false
    /// The socket refused bytes (EAGAIN): wait for EPOLLOUT before trying again.
    private var writeBlocked = false

    private var registeredEvents: UInt32 = 0
    private var closed = false
    private var processing = false
    private var peerClosed = false
    private var readPausedByDelegate = false
    private var reportedFull = false

    // The exchange in progress.
    private var inExchange = false
    private var requestComplete = false
    private var requestIsHead = false
    private var requestKeepAlive = true
    private var requestIsHTTP10 = false
    private var requestHasBody = false
    private var responseStarted = false
    private var responseChunked = false
    private var responseCloseDelimited = false
    /// Whether to close once the current response is written.
    public var closeAfterResponse = false

    init(fd: Int32, remoteAddress: String, loop: EventLoop, config: HTTPServerConfiguration) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.config = config
        self.parser = HTTPRequestParser(limits: config.parserLimits)
        self.timeouts = ConnectionTimeouts(now: loop.now, headerTimeoutNanos: config.headerTimeoutNanos,
                                           idleTimeoutNanos: config.idleTimeoutNanos)
        input.reserveCapacity(4096)
    }

    func start() throws(IOError) {
        registeredEvents = CGL_EPOLLIN | CGL_EPOLLRDHUP
        try loop.register(fd: fd, events: registeredEvents, handler: self)
    }

    public var isClosed: Bool { closed }
    /// Whether a request is being served.
    public var isBusy: Bool { inExchange }
    /// Bytes waiting to be written.
    public var pendingOutputBytes: Int { outgoing.pending }

    /// Asks for `connectionDidDrain` once the outgoing buffer falls below its
    /// low-water mark (called by a writer that stopped because `isWritable` was false).
    public func notifyWhenDrained() {
        reportedFull = true
        scheduleFlush()
    }

    // MARK: Events

    public func ready(events: UInt32) {
        if events & CGL_EPOLLOUT != 0 { flush() }
        if closed { return }
        if events & (CGL_EPOLLIN | CGL_EPOLLHUP | CGL_EPOLLERR | CGL_EPOLLRDHUP) != 0 { readAvailable() }
    }

    private func readAvailable() {
        var gotEOF = false
        while !closed {
            // processInput() empties or compacts `input` after parsing.
            if input.count - inputStart >= config.maxBufferedInput && (inExchange && requestComplete) { break }
            let want = 16 * 1024
            var err: Int32 = 0
            let n: Int = withUnsafeTemporaryAllocation(byteCount: want, alignment: 1) { scratch in
                let r = read(fd, scratch.baseAddress, want)
                if r > 0 {
                    input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<r]))
                } else if r < 0 {
                    err = errno
                }
                return r
            }
            if n > 0 && n < want { break }
            if n > 0 { continue }
            if n == 0 { gotEOF = true; break }
            if err == EINTR { continue }
            if err == EAGAIN || err == EWOULDBLOCK { break }
            close()
            return
        }
        if closed { return }
        processInput()
        if gotEOF { handlePeerClosed() }
        updateInterest()
    }

    private func handlePeerClosed() {
        peerClosed = true
        if inExchange && requestComplete {
            // A half-closed client may still read the answer; close once it is written.
            closeAfterResponse = true
        } else {
            close()
        }
    }

    // MARK: Parsing

    private func processInput() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while !closed && inputStart < input.count {
            if inExchange && requestComplete { break }
            if !inExchange { timeouts.headStarted(now: loop.now) }
            let start = inputStart
            var failure: HTTPParseError?
            let consumed: Int = input.withUnsafeBytes { buffer in
                let slice = UnsafeRawBufferPointer(rebasing: buffer[start...])
                do throws(HTTPParseError) {
                    return try parser.parse(slice) { event in handle(event) }
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure {
                fail(failure)
                return
            }
            inputStart += consumed
            if consumed == 0 { break }
        }
        if inputStart == input.count {
            input.removeAll(keepingCapacity: true)
            inputStart = 0
        } else if inputStart > 32 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    private func handle(_ event: HTTPParserEvent) {
        switch event {
        case .head(let head):
            inExchange = true
            requestComplete = false
            responseStarted = false
            requestIsHead = head.method == "HEAD"
            requestKeepAlive = head.keepAlive
            requestIsHTTP10 = head.version == .http1_0
            requestHasBody = head.framing != .none
            timeouts.headCompleted(now: loop.now)
            delegate?.connection(self, didReceiveHead: head)
        case .body(let chunk):
            timeouts.progressed(now: loop.now)
            delegate?.connection(self, didReceiveBodyChunk: chunk)
        case .end:
            requestComplete = true
            delegate?.connectionDidReceiveEnd(self)
        }
    }

    private func fail(_ error: HTTPParseError) {
        closeAfterResponse = true
        requestComplete = true
        if !inExchange {
            inExchange = true
            requestIsHead = false
            requestKeepAlive = false
        }
        if responseStarted {
            close()
            return
        }
        if let delegate {
            delegate.connection(self, didFailToParse: error)
        } else {
            close()
        }
    }

    // MARK: Writing

    /// Writes `100 Continue` (only for requests that asked for it).
    public func writeContinue() {
        guard !closed else { return }
        outgoing.bytes.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
        scheduleFlush()
    }

    /// Starts the response with header lines the caller appends itself
    /// (`Name: value\r\n` each, without `Connection`, `Transfer-Encoding`, or
    /// `Content-Length` unless `framing` is `.none`); the connection adds the
    /// framing and `Connection` fields and the blank line.
    public func writeResponseHead(status: Int, reason: String?, framing: ResponseFraming,
                                  fields appendFields: (inout [UInt8]) -> Void) {
        guard !closed, !responseStarted else { return }
        responseStarted = true
        // Answering before the request body was read: the rest of the stream
        // cannot be trusted as a next request, so this response is the last.
        if !requestComplete && requestHasBody { closeAfterResponse = true }
        HTTPResponseHead(status: status, reason: reason).serializeStatusLine(into: &outgoing.bytes)
        appendFields(&outgoing.bytes)
        responseChunked = false
        responseCloseDelimited = false
        switch framing {
        case .contentLength(let n):
            Self.appendField("Content-Length: ", decimal: n, to: &outgoing.bytes)
        case .streamed:
            if requestIsHead {
                break
            } else if requestIsHTTP10 {
                responseCloseDelimited = true
            } else {
                Self.appendField("Transfer-Encoding: chunked", to: &outgoing.bytes)
                responseChunked = true
            }
        case .none:
            break
        }
        let keepAlive = requestKeepAlive && !closeAfterResponse && !responseCloseDelimited && !peerClosed
        if !keepAlive {
            closeAfterResponse = true
            Self.appendField("Connection: close", to: &outgoing.bytes)
        } else if requestIsHTTP10 {
            Self.appendField("Connection: keep-alive", to: &outgoing.bytes)
        }
        outgoing.bytes.append(0x0D)
        outgoing.bytes.append(0x0A)
        scheduleFlush()
    }

    /// Writes body bytes (framed as the head said; dropped for HEAD requests).
    public func writeBody(_ bytes: UnsafeRawBufferPointer) {
        guard !closed, responseStarted, !requestIsHead, !bytes.isEmpty else { return }
        if responseChunked {
            HTTPChunkedEncoder.appendChunk(bytes, to: &outgoing.bytes)
        } else {
            outgoing.bytes.append(contentsOf: bytes)
        }
        timeouts.progressed(now: loop.now)
        scheduleFlush()
    }

    /// Finishes the response. The next pipelined request is parsed afterwards,
    /// or the connection closes when it must.
    public func endResponse() {
        guard !closed, inExchange else { return }
        if responseChunked && !requestIsHead { HTTPChunkedEncoder.appendLastChunk(to: &outgoing.bytes) }
        if responseCloseDelimited { closeAfterResponse = true }
        inExchange = false
        responseStarted = false
        timeouts.responseCompleted(now: loop.now)
        if !requestComplete && requestHasBody { closeAfterResponse = true }
        // The parser is ready for the next message once it reported `.end`;
        // an exchange that ends earlier closes the connection instead.
        if closeAfterResponse {
            flush()
            if pendingOutputBytes == 0 { close() } else { shutdownReads() }
            return
        }
        scheduleFlush()
        if inputStart < input.count {
            loop.runSoon { [weak self] in
                guard let self, !self.closed else { return }
                self.processInput()
                self.updateInterest()
            }
        }
        updateInterest()
    }

    /// Writes are coalesced: everything appended during one loop iteration
    /// leaves in one `send` after the iteration's events are handled.
    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        loop.runSoon(self)
    }

    public func runDeferred() {
        flushScheduled = false
        flush()
    }

    private func flush() {
        guard !closed else { return }
        switch outgoing.send(to: fd) {
        case .failed:
            close()
            return
        case .blocked:
            writeBlocked = true
        case .drained:
            writeBlocked = false
            if closeAfterResponse && !inExchange {
                close()
                return
            }
        }
        if reportedFull && pendingOutputBytes <= config.writeLowWater {
            reportedFull = false
            delegate?.connectionDidDrain(self)
        }
        updateInterest()
    }

    // MARK: Reading control

    /// Stops reading from the client (request body back-pressure).
    public func pauseReading() {
        readPausedByDelegate = true
        updateInterest()
    }

    public func resumeReading() {
        guard readPausedByDelegate else { return }
        readPausedByDelegate = false
        updateInterest()
        if inputStart < input.count {
            loop.runSoon { [weak self] in
                guard let self, !self.closed else { return }
                self.processInput()
                self.updateInterest()
            }
        }
    }

    private func shutdownReads() {
        peerClosed = true
        updateInterest()
    }

    private func updateInterest() {
        guard !closed else { return }
        var wanted: UInt32 = 0
        let inputBacklog = input.count - inputStart
        let wantRead = !peerClosed && !readPausedByDelegate && isWritable
            && !(inExchange && requestComplete && inputBacklog >= config.maxBufferedInput)
        if wantRead { wanted |= CGL_EPOLLIN | CGL_EPOLLRDHUP }
        // Writes are attempted right away (at the end of the loop iteration);
        // only a socket that refused bytes needs to be watched for space.
        if writeBlocked && outgoing.pending > 0 { wanted |= CGL_EPOLLOUT }
        if wanted != registeredEvents {
            registeredEvents = wanted
            loop.modify(fd: fd, events: wanted)
        }
    }

    // MARK: Timeouts and closing

    /// Applies the timeout state machine; called by the server's sweep.
    func checkTimeouts(now: Int64) {
        switch timeouts.check(now: now) {
        case .none:
            break
        case .close:
            close()
        case .requestTimeout:
            if !responseStarted && pendingOutputBytes == 0 {
                outgoing.bytes.append(contentsOf: ProblemDetails.requestTimeoutResponse)
                flush()
            }
            close()
        }
    }

    /// Closes the connection now; the delegate hears `connectionDidClose`.
    public func close() {
        guard !closed else { return }
        closed = true
        loop.unregister(fd: fd)
        Glibc.close(fd)
        let delegate = self.delegate
        self.delegate = nil
        delegate?.connectionDidClose(self)
        onClose?(self)
        onClose = nil
    }
}
