import Foundation
import GatewayHTTP

/// One response as a test client read it, with helpers for assertions.
public struct TestHTTPResponse: Sendable {
    /// How the body was delimited on the wire.
    public enum Framing: Sendable, Equatable {
        /// No body by rule (HEAD, 1xx, 204, 304).
        case none
        case contentLength(Int)
        case chunked
        /// Read until the server closed the connection.
        case closeDelimited
    }

    /// `HTTP/1.1` or `HTTP/1.0` as sent.
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Trailer fields of a chunked body.
    public var trailers: HTTPHeaders
    public var framing: Framing

    public init(version: String = "HTTP/1.1", status: Int, reason: String = "", headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders(), framing: Framing = .none) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.framing = framing
    }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers.first(name: name) }

    /// The body parsed as JSON (objects, arrays, strings, numbers, ...).
    public var json: Any {
        get throws { try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    }

    /// The body as a JSON object; throws when it is something else.
    public func jsonObject() throws -> [String: Any] {
        guard let object = try json as? [String: Any] else {
            throw TestHTTPClientError.malformed("body is not a JSON object: \(bodyString.prefix(200))")
        }
        return object
    }

    /// Whether the server said it will close the connection.
    public var closesConnection: Bool {
        let tokens = headers.tokens(name: "Connection")
        return version == "HTTP/1.0" ? !tokens.contains("keep-alive") : tokens.contains("close")
    }
}
