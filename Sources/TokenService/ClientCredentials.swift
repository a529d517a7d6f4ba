import GatewayHTTP

/// How a request to an OAuth endpoint authenticates its client, found by
/// `ClientCredentials.parse(head:form:)` — the one place that reads them.
///
/// Methods (RFC 6749 §2.3.1): `client_secret_basic` — `Authorization: Basic
/// base64(urlencode(id) ":" urlencode(secret))`, both parts form-urlencoded before base64
/// and decoded here; `client_secret_post` — `client_id` and `client_secret` in the form
/// body; `none` — only a `client_id` (a public client, which cannot use the grants that
/// need a secret).
///
/// Refusals: two mechanisms at once (Basic plus a body `client_secret`, or a body
/// `client_id` that differs from Basic's), several `Authorization` headers, or a body
/// secret without an id → `invalid_request`; no credentials at all, a Basic header that
/// cannot be decoded, another scheme, or an empty id → `invalid_client` (401).
public struct ClientCredentials: Sendable, Equatable {
    public enum Method: String, Sendable, Equatable {
        case clientSecretBasic = "client_secret_basic"
        case clientSecretPost = "client_secret_post"
        case none
    }

    public var clientID: String
    /// The presented secret; nil for `none`.
    public var secret: String?
    public var method: Method

    public init(clientID: String, secret: String?, method: Method) {
        self.clientID = clientID
        self.secret = secret
        self.method = method
    }

    /// The credentials of a request whose form body is `form`.
    public static func parse(head: HTTPRequestHead, form: URLEncodedForm) -> Result<ClientCredentials, OAuthError> {
        var authorization: String?
        for field in head.headers where field.name.equalsIgnoringASCIICase("Authorization") {
            guard authorization == nil else {
                return .failure(OAuthError(.invalidRequest, "send exactly one Authorization header"))
            }
            authorization = field.value
        }
        let bodyID = form["client_id"], bodySecret = form["client_secret"]
        if let authorization {
            let basic: ClientCredentials
            switch parseBasic(authorization) {
            case .success(let parsed): basic = parsed
            case .failure(let error): return .failure(error)
            }
            if bodySecret != nil {
                return .failure(OAuthError(.invalidRequest,
                    "use one client authentication method: either HTTP Basic or client_secret in the body, not both"))
            }
            if let bodyID, bodyID != basic.clientID {
                return .failure(OAuthError(.invalidRequest, "client_id in the body differs from the one in the Authorization header"))
            }
            return .success(basic)
        }
        guard let bodyID else {
            if bodySecret != nil {
                return .failure(OAuthError(.invalidRequest, "client_secret was sent without client_id"))
            }
            return .failure(OAuthError(.invalidClient,
                "no client authentication: send HTTP Basic credentials or client_id and client_secret in the body"))
        }
        guard !bodyID.isEmpty else { return .failure(OAuthError(.invalidClient, "client_id must not be empty")) }
        if let bodySecret { return .success(ClientCredentials(clientID: bodyID, secret: bodySecret, method: .clientSecretPost)) }
        return .success(ClientCredentials(clientID: bodyID, secret: nil, method: .none))
    }

    /// Decodes `Basic <base64>` into an id and a secret, each form-urlencoded inside.
    static func parseBasic(_ value: String) -> Result<ClientCredentials, OAuthError> {
        let trimmed = value.trimmingASCIIWhitespace()
        guard trimmed.utf8.count > 6, trimmed.prefix(6).equalsIgnoringASCIICase("Basic ") else {
            return .failure(OAuthError(.invalidClient, "unsupported client authentication scheme: use HTTP Basic or client_secret_post"))
        }
        let encoded = trimmed.dropFirst(6).trimmingASCIIWhitespace()
        guard let decoded = StandardBase64.decode(encoded),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(OAuthError(.invalidClient,
                "the Basic credentials must be base64 of client_id:client_secret (each form-urlencoded)"))
        }
        guard let idText = String(validating: decoded[..<colon], as: UTF8.self),
              let secretText = String(validating: decoded[(colon + 1)...], as: UTF8.self),
              let id = try? PercentEncoding.decode(idText, plusAsSpace: true),
              let secret = try? PercentEncoding.decode(secretText, plusAsSpace: true)
        else {
            return .failure(OAuthError(.invalidClient,
                "the Basic credentials are not valid form-urlencoded UTF-8 (RFC 6749 section 2.3.1)"))
        }
        guard !id.isEmpty else { return .failure(OAuthError(.invalidClient, "the Basic credentials carry an empty client_id")) }
        return .success(ClientCredentials(clientID: id, secret: secret, method: .clientSecretBasic))
    }

    /// `Authorization: Basic …` for `clientID` and `secret`, encoded as RFC 6749 §2.3.1 asks.
    public static func basicAuthorization(clientID: String, secret: String) -> String {
        let plain = PercentEncoding.encodeFormComponent(clientID) + ":" + PercentEncoding.encodeFormComponent(secret)
        return "Basic " + StandardBase64.encode(Array(plain.utf8))
    }
}
