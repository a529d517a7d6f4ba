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
    var handler: UpstreamResponseHandler?
    var connection: UpstreamConnection?
    var parser: HTTPResponseParser

    var finished = false
    /// Inside `start`: failures are reported after it returns.
    var starting = true
    /// Inside the parser's sink: the connection's input buffer is in use.
    var delivering = false
    /// Set when the exchange ends while delivering: the connection is let go afterwards.
    var releaseAfterDelivery: Bool?
    var receivePaused = false
    var retried = false
    /// Bytes of this request the upstream's socket accepted.
    var bytesSent = 0
    var requestSent = false

    // The request body, framed, waiting for room in the connection's send buffer.
    let chunked: Bool
    var body: [UInt8] = []
    var bodyStart = 0
    var bodyFinished: Bool
    /// Body bytes the caller gave (before framing); a declared length must be met
    /// for the connection to carry another request.
    var bodyBytes = 0
    var notifyDrain = false
    var flushQueued = false
    var resumeQueued = false

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

    // MARK: Ending

    func complete(closing: Bool) {
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
    func end(releasing reusable: Bool) {
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
