import GatewayHTTP

/// An error answer of the token, introspection and revocation endpoints (RFC 6749 §5.2,
/// RFC 7009 §2.2.1, RFC 7662 §2.3), rendered as `{"error", "error_description"}` JSON
/// with `Cache-Control: no-store` and `Pragma: no-cache`.
///
/// Status codes: `invalid_client` → 401 with `WWW-Authenticate: Basic realm="…"` (every
/// 401 carries a challenge, RFC 9110 §15.5.2); `slow_down` → 429 with `Retry-After`;
/// `temporarily_unavailable` → 503 with `Retry-After`; `server_error` → 500; the rest → 400.
/// Descriptions say what to fix and never echo secrets or tokens; they are rendered in
/// the character set RFC 6749 §5.2 allows for `error_description` (`printable(_:)`).
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The registered error code.
    public enum Code: String, Sendable, Equatable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
        case unsupportedTokenType = "unsupported_token_type"
        /// Too many failed client authentications from this client id or address (RFC 8628 §3.5 code).
        case slowDown = "slow_down"
        case temporarilyUnavailable = "temporarily_unavailable"
        case serverError = "server_error"
    }

    public var code: Code
    public var description: String
    /// Seconds for `Retry-After` (429 and 503 answers).
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ description: String, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.description = description
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var status: Int {
        switch code {
        case .invalidClient: 401
        case .slowDown: 429
        case .temporarilyUnavailable: 503
        case .serverError: 500
        default: 400
        }
    }

    /// The complete response; `realm` names the Basic challenge of a 401.
    public func response(realm: String) -> HTTPServerResponse {
        var headers = OAuthResponse.noStoreHeaders
        if code == .invalidClient {
            headers.add(name: "WWW-Authenticate", value: "Basic realm=" + JSONText.quoted(realm))
        }
        if let retryAfterSeconds { headers.add(name: "Retry-After", value: String(max(1, retryAfterSeconds))) }
        let body: JSONValue = .object([("error", .string(code.rawValue)),
                                       ("error_description", .string(Self.printable(description)))])
        return OAuthResponse.json(status: status, body, headers: headers)
    }

    /// `text` within the characters RFC 6749 §4.1.2.1 and §5.2 allow in `error_description`
    /// (%x20-21 / %x23-5B / %x5D-7E): `"` becomes `'`, `\` becomes `/`, anything else
    /// outside the set (control characters, non-ASCII, e.g. from an echoed parameter) `?`.
    public static func printable(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: bytes.append(UInt8(ascii: "'"))
            case 0x5C: bytes.append(UInt8(ascii: "/"))
            case 0x20...0x7E: bytes.append(UInt8(scalar.value))
            default: bytes.append(UInt8(ascii: "?"))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // Common errors.

    static func badCredentials() -> OAuthError {
        OAuthError(.invalidClient, "client authentication failed: check the client_id and client_secret")
    }

    static func busy() -> OAuthError {
        OAuthError(.temporarilyUnavailable, "the token service is busy; retry shortly", retryAfterSeconds: 1)
    }

    static func storeFailure() -> OAuthError {
        OAuthError(.temporarilyUnavailable, "the token service cannot reach its store; retry shortly", retryAfterSeconds: 1)
    }
}

/// JSON answers of the OAuth endpoints: every one carries `Cache-Control: no-store` and
/// `Pragma: no-cache` (RFC 6749 §5.1), success or error.
public enum OAuthResponse {
    public static var noStoreHeaders: HTTPHeaders {
        HTTPHeaders([("Cache-Control", "no-store"), ("Pragma", "no-cache")])
    }

    /// `body` as compact `application/json` with the no-store headers added.
    public static func json(status: Int, _ body: JSONValue, headers: HTTPHeaders = noStoreHeaders) -> HTTPServerResponse {
        var fields = headers
        if !fields.contains(name: "Cache-Control") {
            for field in noStoreHeaders { fields.add(name: field.name, value: field.value) }
        }
        fields.replaceOrAdd(name: "Content-Type", value: "application/json")
        var bytes: [UInt8] = []
        body.serialize(into: &bytes)
        return HTTPServerResponse(status: status, headers: fields, body: bytes)
    }
}
