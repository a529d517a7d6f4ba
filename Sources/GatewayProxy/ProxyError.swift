import GatewayHTTP

/// Every way a proxied request can fail, as one typed value that maps to one
/// status in one place (`status`) and goes to the logging phase.
public struct ProxyError: Error, Sendable {
    /// Who caused the failure.
    public enum Source: String, Sendable {
        /// The caller: bad request, missing token, over its rate.
        case downstream
        /// The upstream service: refused, unreachable, too slow, broken.
        case upstream
        /// The gateway itself.
        case `internal`
    }

    /// What went wrong. `status` maps each kind to its HTTP status.
    public enum Kind: String, Sendable {
        case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, gone
        case payloadTooLarge, uriTooLong, headersTooLarge, tooManyRequests
        case upstreamUnavailable, upstreamTimeout, upstreamProtocol
        case serviceUnavailable, internalError
    }

    public var kind: Kind
    public var detail: String?
    /// Headers the answer must carry (`WWW-Authenticate`, `Retry-After`, `Allow`, ...).
    public var headers: HTTPHeaders
    /// Extension members of the problem document.
    public var extensions: [(String, String)]
    /// Whether the connection must be closed after answering.
    public var closeConnection: Bool

    public init(_ kind: Kind, detail: String? = nil, headers: HTTPHeaders = HTTPHeaders(),
                extensions: [(String, String)] = [], closeConnection: Bool = false) {
        self.kind = kind
        self.detail = detail
        self.headers = headers
        self.extensions = extensions
        self.closeConnection = closeConnection
    }

    public var source: Source {
        switch kind {
        case .upstreamUnavailable, .upstreamTimeout, .upstreamProtocol: .upstream
        case .serviceUnavailable, .internalError: .internal
        default: .downstream
        }
    }

    /// The one mapping from failure to HTTP status.
    public var status: Int {
        switch kind {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .gone: 410
        case .payloadTooLarge: 413
        case .uriTooLong: 414
        case .tooManyRequests: 429
        case .headersTooLarge: 431
        case .internalError: 500
        case .upstreamUnavailable, .upstreamProtocol: 502
        case .serviceUnavailable: 503
        case .upstreamTimeout: 504
        }
    }

    /// The RFC 9457 document for this failure.
    public var problem: ProblemDetails {
        ProblemDetails(status: status, detail: detail, extensions: extensions)
    }
}
