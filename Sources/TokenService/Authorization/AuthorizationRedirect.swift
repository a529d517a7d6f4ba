import GatewayHTTP

/// Builds the `Location` of a redirect back to a client (RFC 6749 §4.1.2, §4.1.2.1):
/// the registered `redirect_uri` with the response parameters added to its query
/// (keeping any query it already has, RFC 6749 §3.1.2), then `state` when the request
/// carried one, then `iss` (RFC 9207, so clients can detect mix-up attacks). Every value
/// is percent-encoded except the unreserved characters, so nothing in `state` can break
/// out of its parameter.
public enum AuthorizationRedirect {
    /// The registered error codes of the authorization endpoint (RFC 6749 §4.1.2.1).
    public enum ErrorCode: String, Sendable, Equatable {
        case invalidRequest = "invalid_request"
        case unauthorizedClient = "unauthorized_client"
        case accessDenied = "access_denied"
        case unsupportedResponseType = "unsupported_response_type"
        case invalidScope = "invalid_scope"
        case serverError = "server_error"
        case temporarilyUnavailable = "temporarily_unavailable"
    }

    public static func location(_ redirectURI: String, _ parameters: [(String, String)], state: String?,
                                issuer: String) -> String {
        var all = parameters
        if let state { all.append(("state", state)) }
        all.append(("iss", issuer))
        let query = all.map { PercentEncoding.encodeComponent($0.0) + "=" + PercentEncoding.encodeComponent($0.1) }
            .joined(separator: "&")
        let separator = redirectURI.contains("?") ? (redirectURI.hasSuffix("?") || redirectURI.hasSuffix("&") ? "" : "&")
            : "?"
        return redirectURI + separator + query
    }

    /// An error redirect; `description` is kept to the characters RFC 6749 §4.1.2.1 allows.
    public static func error(_ redirectURI: String, _ code: ErrorCode, _ description: String, state: String?,
                             issuer: String) -> String {
        location(redirectURI, [("error", code.rawValue), ("error_description", OAuthError.printable(description))],
                 state: state, issuer: issuer)
    }
}
