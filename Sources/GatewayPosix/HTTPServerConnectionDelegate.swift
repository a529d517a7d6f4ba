import GatewayHTTP

/// Receives the requests of one client connection, on its event loop, and
/// answers through the connection's write methods.
///
/// Exactly one request is in progress at a time: after `didReceiveHead`, the
/// delegate must eventually call `endResponse()` (or `close()`); the next
/// pipelined request is parsed only then.
public protocol HTTPServerConnectionDelegate: AnyObject {
    func connection(_ connection: HTTPServerConnection, didReceiveHead head: HTTPRequestHead)
    func connection(_ connection: HTTPServerConnection, didReceiveBodyChunk chunk: UnsafeRawBufferPointer)
    func connectionDidReceiveEnd(_ connection: HTTPServerConnection)
    /// The request could not be parsed. The delegate answers (the connection
    /// closes after that answer whatever the delegate asks).
    func connection(_ connection: HTTPServerConnection, didFailToParse error: HTTPParseError)
    /// The outgoing buffer drained below its low-water mark after being full.
    func connectionDidDrain(_ connection: HTTPServerConnection)
    /// The connection closed (peer gone, I/O error, timeout or `close()`). An
    /// exchange still in progress must be abandoned.
    func connectionDidClose(_ connection: HTTPServerConnection)
}

/// How the body of a response is delimited towards the client.
public enum ResponseFraming: Sendable, Equatable {
    /// `Content-Length: n` and exactly n bytes.
    case contentLength(Int)
    /// Chunked for HTTP/1.1 clients; close-delimited for HTTP/1.0 ones.
    case streamed
    /// No body (204, 304, 1xx); any `Content-Length` the head carries is kept as is.
    case none
}

/// Tunables of the HTTP server, with their defaults.
public struct HTTPServerConfiguration: Sendable {
    public var parserLimits = HTTPParserLimits()
    /// Time allowed to receive a whole request head (default 10 s).
    public var headerTimeoutNanos: Int64 = 10_000_000_000
    /// Time a keep-alive connection may stay silent, or an exchange may make no progress (default 60 s).
    public var idleTimeoutNanos: Int64 = 60_000_000_000
    /// Outgoing bytes buffered before the connection reports itself unwritable
    /// and stops reading (default 256 KiB).
    public var writeHighWater = 256 * 1024
    /// Outgoing bytes under which a full connection reports itself writable again (default 64 KiB).
    public var writeLowWater = 64 * 1024
    /// Unparsed incoming bytes buffered (pipelined requests) before reading stops (default 64 KiB).
    public var maxBufferedInput = 64 * 1024

    public init() {}
}
