/// The HTTP protocol version of a message.
public struct HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// How the body of a message is delimited on the wire (RFC 9112 §6).
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body at all.
    case none
    /// Exactly this many bytes follow the head.
    case contentLength(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked
}

/// The request line and header section of one HTTP/1.1 request.
public struct HTTPRequestHead: Sendable, Equatable {
    /// The method token exactly as sent (`GET`, `POST`, ...). Methods are case-sensitive.
    public var method: String
    /// The request target in origin form (`/v1/ledger/entries?limit=5`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// How the request body is framed, as the parser determined it.
    public var framing: HTTPBodyFraming

    public init(method: String, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), framing: HTTPBodyFraming = .none) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.framing = framing
    }

    /// The target without its query.
    public var path: Substring {
        if let q = queryMark { return target[..<q] }
        return target[...]
    }

    /// The query string after `?`, without the `?`, or nil when there is none.
    public var query: Substring? {
        guard let q = queryMark else { return nil }
        return target[target.utf8.index(after: q)...]
    }

    /// Where the `?` is, found on the target's bytes (a generic search over the
    /// UTF-8 view costs ten times as much on every request).
    private var queryMark: String.Index? {
        let utf8 = target.utf8
        if let offset = utf8.withContiguousStorageIfAvailable({ $0.firstIndex(of: UInt8(ascii: "?")) }) {
            return offset.map { utf8.index(utf8.startIndex, offsetBy: $0) }
        }
        return utf8.firstIndex(of: UInt8(ascii: "?"))
    }

    /// Whether the connection stays open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool {
        let connection = headers.tokens(name: "Connection")
        if version == .http1_1 { return !connection.contains("close") }
        return connection.contains("keep-alive")
    }

    /// Whether the client asked for `Expect: 100-continue`.
    public var expectsContinue: Bool {
        version == .http1_1 && headers.first(name: "Expect")?.equalsIgnoringASCIICase("100-continue") == true
    }
}

/// The status line and header section of one HTTP/1.1 response.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    /// The reason phrase; nil uses the standard phrase for `status`.
    public var reason: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(status: Int, reason: String? = nil, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason
        self.version = version
        self.headers = headers
    }
}
