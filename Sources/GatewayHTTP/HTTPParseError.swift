/// Why the request parser refused a request.
///
/// The parser stops at the first violation. The caller answers with `status`
/// (a short error response, ideally with `reason` in the body) and closes the
/// connection: after a framing error nothing that follows can be trusted.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of violation; each maps to one status code.
    public enum Kind: Sendable, Equatable {
        /// Malformed syntax or a framing the gateway will not guess at → 400.
        case badRequest
        /// The request line exceeds `maxRequestLineBytes` → 414.
        case requestLineTooLong
        /// The header (or trailer) section exceeds its byte or field limit → 431.
        case headersTooLarge
        /// The body exceeds `maxBodyBytes` → 413.
        case bodyTooLarge
        /// An HTTP version other than 1.0 and 1.1 → 505.
        case versionNotSupported
        /// A transfer coding or method the gateway does not implement → 501.
        case notImplemented
    }

    public var kind: Kind
    /// What was wrong, phrased so the client's author knows what to fix.
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// The response status for this error.
    public var status: Int {
        switch kind {
        case .badRequest: 400
        case .requestLineTooLong: 414
        case .headersTooLarge: 431
        case .bodyTooLarge: 413
        case .versionNotSupported: 505
        case .notImplemented: 501
        }
    }

    public var description: String { "\(status) \(HTTPStatus.reason(status)): \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { HTTPParseError(.badRequest, reason) }
}
