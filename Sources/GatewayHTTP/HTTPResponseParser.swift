/// How an upstream response's body is delimited (RFC 9112 §6.3).
public enum HTTPResponseFraming: Sendable, Equatable {
    /// No body: a response to `HEAD`, a 204 or a 304.
    case none
    /// Exactly this many bytes (`Content-Length`).
    case length(Int)
    /// `Transfer-Encoding: chunked`; the parser hands on the decoded data.
    case chunked
    /// Everything until the upstream closes the connection.
    case untilClose
}

/// An incremental HTTP/1.1 response parser for the gateway's upstream client:
/// the counterpart of `HTTPRequestParser`, strict where a mistake would let
/// the gateway and the upstream disagree on where a response ends, and
/// tolerant where RFC 9112 lets a recipient be (line endings, obs-fold).
///
/// Call `begin(toHEAD:)` before each response, then feed the connection's
/// bytes to `parse(_:_:)`: it reports the final head once (interim 1xx heads
/// are read and skipped), then the body in slices, decoded when chunked.
/// Bytes it does not consume (an incomplete head, a body slice the sink
/// refused, or whatever follows the response) must be offered again. When the
/// upstream closes the connection, `endOfInput()` says whether that completed
/// the response (a body delimited by the close) or cut it short.
///
/// A plain value: no I/O, no clock. It allocates the head's two arrays only.
///
/// ## Choices (every refusal is an `HTTPParseError` the caller answers 502)
/// - Lines may end with CRLF or a bare LF (RFC 9112 §2.2); the head handed on
///   always uses CRLF.
/// - Status line: `HTTP/1.x`, SP, three digits, optionally SP and a reason
///   phrase. Another version or a malformed line is refused; a reason with
///   control characters is dropped.
/// - `101 Switching Protocols` is refused (the gateway never asks for an
///   upgrade); other 1xx heads are skipped, at most `maxInterimResponses`.
/// - Field lines without a colon, and lines before the first field that start
///   with whitespace, are ignored. Whitespace before the colon, control bytes
///   in a line and obs-fold (joined with one SP) make the head not `isPlain`.
/// - Framing: `HEAD`, 204 and 304 have no body; `Transfer-Encoding` must be
///   exactly `chunked` and wins over `Content-Length`, whose fields are then
///   dropped and the connection is not reused; `Content-Length` values must be
///   digits and agree; with neither, the body runs until the connection closes.
/// - The connection may carry another request (`keepsConnection`) when the
///   response is HTTP/1.1 without `Connection: close`, or HTTP/1.0 with
///   `Connection: keep-alive`, and its length was not delimited by the close.
public struct HTTPResponseParser: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Longest head (status line and fields), per head. Default 64 KiB.
        public var maxHeadBytes: Int
        /// Most fields in one head. Default 256.
        public var maxFieldCount: Int
        /// Interim (1xx) heads skipped before the final one. Default 16.
        public var maxInterimResponses: Int
        /// Longest chunk-size line. Default 4 KiB.
        public var maxChunkLineBytes: Int

        public init(maxHeadBytes: Int = 64 * 1024, maxFieldCount: Int = 256, maxInterimResponses: Int = 16,
                    maxChunkLineBytes: Int = 4096) {
            self.maxHeadBytes = maxHeadBytes
            self.maxFieldCount = maxFieldCount
            self.maxInterimResponses = maxInterimResponses
            self.maxChunkLineBytes = maxChunkLineBytes
        }
    }

    /// One step of a response: the final head once, then body bytes.
    /// `.body` points into the buffer given to `parse` and is valid only
    /// during the sink call.
    public enum Event {
        case head(UpstreamResponseHead)
        case body(UnsafeRawBufferPointer)
    }

    enum State: UInt8, Sendable { case head, fixedBody, chunked, untilClose, done }

    public let limits: Limits
    var state: State = .done
    var toHEAD = false
    /// Bytes of the current head already scanned for its end.
    var scanned = 0
    var interimHeads = 0
    var remaining = 0
    var chunked: HTTPChunkedDecoder
    /// Whether any byte of the current response has been seen.
    public private(set) var hasStarted = false
    /// How the current response's body is delimited, once its head is read.
    public internal(set) var framing: HTTPResponseFraming = .none
    /// Whether the connection may carry another request after this response.
    public internal(set) var keepsConnection = false

    public init(limits: Limits = .init()) {
        self.limits = limits
        chunked = HTTPChunkedDecoder(limits: Self.chunkLimits(limits))
    }

    static func chunkLimits(_ limits: Limits) -> HTTPChunkedDecoder.Limits {
        HTTPChunkedDecoder.Limits(maxBodyBytes: .max, maxLineBytes: limits.maxChunkLineBytes,
                                  maxTrailerBytes: limits.maxHeadBytes, maxTrailerFields: limits.maxFieldCount)
    }

    /// Readies the parser for the response to the next request.
    public mutating func begin(toHEAD: Bool) {
        state = .head
        self.toHEAD = toHEAD
        scanned = 0
        interimHeads = 0
        hasStarted = false
        framing = .none
        keepsConnection = false
    }

    /// Whether the whole response has been read.
    public var isComplete: Bool { state == .done }

    /// Parses what `input` holds of the current response. The sink's answer
    /// matters for `.body` only: false leaves that slice unconsumed (offer it
    /// again later). Returns the number of bytes consumed; stops after the
    /// end of the response.
    public mutating func parse(_ input: UnsafeRawBufferPointer,
                               _ sink: (Event) -> Bool) throws(HTTPParseError) -> Int {
        guard let base = input.baseAddress, input.count > 0, state != .done else { return 0 }
        hasStarted = true
        var pos = 0
        while state == .head {
            guard let end = try scanHead(base + pos, input.count - pos) else { return pos }
            guard let head = try parseHead(base + pos, count: end) else {
                pos += end   // an interim head, skipped
                continue
            }
            pos += end
            _ = sink(.head(head))
            switch framing {
            case .none, .length(0): state = .done
            case .length(let n): state = .fixedBody; remaining = n
            case .chunked: state = .chunked; chunked = HTTPChunkedDecoder(limits: Self.chunkLimits(limits))
            case .untilClose: state = .untilClose
            }
        }
        switch state {
        case .fixedBody:
            let n = min(remaining, input.count - pos)
            if n > 0 {
                guard sink(.body(UnsafeRawBufferPointer(start: base + pos, count: n))) else { return pos }
                pos += n
                remaining -= n
            }
            if remaining == 0 { state = .done }
            return pos
        case .chunked:
            let end = try chunked.decode(base, input.count, from: pos) { sink(.body($0)) }
            if chunked.isDone { state = .done }
            return end
        case .untilClose:
            guard pos < input.count, sink(.body(UnsafeRawBufferPointer(start: base + pos, count: input.count - pos))) else {
                return pos
            }
            return input.count
        case .head, .done:
            return pos
        }
    }

    /// The upstream closed the connection. Returns true when that ends the
    /// response (a body delimited by the close); throws when the response was
    /// cut short. Before any byte of a response, returns false: the caller
    /// decides what an unanswered request means.
    public mutating func endOfInput() throws(HTTPParseError) -> Bool {
        switch state {
        case .untilClose:
            state = .done
            return true
        case .done:
            return true
        case .head:
            if !hasStarted { return false }
            throw .bad("the upstream closed the connection in the middle of a response head")
        case .fixedBody, .chunked:
            throw .bad("the upstream closed the connection before the end of the response body")
        }
    }
}
