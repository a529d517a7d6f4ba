import GatewayHTTP

/// A small blocking HTTP/1.1 client for integration tests over loopback TCP.
///
/// It sends raw bytes or well-formed requests and reads responses one at a
/// time, in order, which makes pipelining tests straightforward: send several
/// requests, then `readResponses(count:)`. Response bodies delimited by
/// `Content-Length`, chunked coding or connection close are all read; HEAD
/// responses and 1xx/204/304 have no body. Interim 1xx responses (other than
/// 101) are skipped unless asked for. Every read waits at most `timeout`.
///
/// Not thread-safe: one test drives one client.
public final class TestHTTPClient {
    public let host: String
    public let port: Int
    let socket: TestSocket
    /// Received bytes not yet used by a response.
    var buffer: [UInt8] = []
    var readIndex = 0
    var peerClosed = false
    /// Methods of requests sent with `sendRequest` whose responses are unread,
    /// so a HEAD response is read without a body automatically.
    var pendingMethods: [String] = []

    public init(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(5)) throws(TestHTTPClientError) {
        self.host = host
        self.port = port
        socket = try TestSocket(host: host, port: port, timeout: timeout)
    }

    /// Sends `bytes` as they are (for malformed or hand-made requests).
    public func send(_ bytes: [UInt8]) throws(TestHTTPClientError) {
        try socket.send(bytes)
    }

    /// Sends the UTF-8 bytes of `text` as they are.
    public func send(_ text: String) throws(TestHTTPClientError) {
        try socket.send(Array(text.utf8))
    }

    /// Sends a request. `Host` is added when missing, and `Content-Length`
    /// when a body is given and neither `Content-Length` nor
    /// `Transfer-Encoding` is set (a chunked body must then be pre-encoded).
    public func sendRequest(method: String = "GET", target: String, headers: HTTPHeaders = HTTPHeaders(),
                            body: [UInt8]? = nil) throws(TestHTTPClientError) {
        var fields = headers
        if !fields.contains(name: "Host") {
            fields.add(name: "Host", value: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
        }
        if let body, !fields.contains(name: "Content-Length"), !fields.contains(name: "Transfer-Encoding") {
            fields.add(name: "Content-Length", value: String(body.count))
        }
        var bytes = HTTPRequestHead(method: method, target: target, headers: fields).serialized
        if let body { bytes += body }
        try socket.send(bytes)
        pendingMethods.append(method)
    }

    /// Sends a request with a UTF-8 body.
    public func sendRequest(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(),
                            body: String) throws(TestHTTPClientError) {
        try sendRequest(method: method, target: target, headers: headers, body: Array(body.utf8))
    }

    /// Sends a request and reads its response.
    public func request(method: String = "GET", target: String, headers: HTTPHeaders = HTTPHeaders(),
                        body: [UInt8]? = nil) throws(TestHTTPClientError) -> TestHTTPResponse {
        try sendRequest(method: method, target: target, headers: headers, body: body)
        return try readResponse()
    }

    /// Sends a request with a UTF-8 body and reads its response.
    public func request(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(),
                        body: String) throws(TestHTTPClientError) -> TestHTTPResponse {
        try request(method: method, target: target, headers: headers, body: Array(body.utf8))
    }

    /// Reads the next response.
    ///
    /// - Parameters:
    ///   - method: the method of the request it answers; by default the oldest
    ///     unanswered request sent with `sendRequest`, else `GET`. Only `HEAD`
    ///     changes how the response is read.
    ///   - includeInterim: return a 1xx interim response (100 Continue, 103)
    ///     as a response of its own instead of skipping it; the final response
    ///     then comes from the next call.
    public func readResponse(method: String? = nil, includeInterim: Bool = false) throws(TestHTTPClientError) -> TestHTTPResponse {
        let requestMethod = method ?? pendingMethods.first ?? "GET"
        while true {
            let response = try readOneResponse(requestMethod: requestMethod)
            let interim = (100..<200).contains(response.status) && response.status != 101
            if interim && !includeInterim { continue }
            if !interim && !pendingMethods.isEmpty { pendingMethods.removeFirst() }
            return response
        }
    }

    /// Reads `count` responses in order (for pipelined requests).
    public func readResponses(count: Int) throws(TestHTTPClientError) -> [TestHTTPResponse] {
        var responses: [TestHTTPResponse] = []
        for _ in 0..<count { responses.append(try readResponse()) }
        return responses
    }

    /// Reads until the server closes the connection; returns what arrived
    /// after the responses already read.
    public func readUntilClose() throws(TestHTTPClientError) -> [UInt8] {
        while try fill() {}
        return take(buffer.count - readIndex)
    }

    /// Whether the server has closed the connection (reads, waiting up to the
    /// timeout). Throws `.malformed` if it sends unexpected bytes instead.
    public func isClosedByPeer() throws(TestHTTPClientError) -> Bool {
        if readIndex < buffer.count {
            throw .malformed("unexpected bytes after the last response: \(String(decoding: buffer[readIndex...].prefix(200), as: UTF8.self).debugDescription)")
        }
        do {
            return try !fill()
        } catch .timeout {
            return false
        }
    }

    /// Half-closes the connection (the server reads end of stream).
    public func shutdownWrite() { socket.shutdownWrite() }

    public func close() { socket.close() }
}
