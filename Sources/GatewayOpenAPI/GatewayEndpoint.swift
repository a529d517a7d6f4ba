import GatewayHTTP

/// One endpoint the gateway answers itself (token service, client
/// management, metadata, health), as the OpenAPI document describes it.
/// Values of this type are listed in `GatewayEndpoints`.
struct GatewayEndpoint {
    /// How a caller authenticates.
    enum Auth {
        /// Nothing (public metadata, health, the authorization page).
        case none
        /// A bearer access token carrying all of these scopes.
        case bearer([String])
        /// A bearer access token carrying any one of these scopes (one
        /// security requirement per scope, as alternatives).
        case bearerAnyOf([String])
        /// Client authentication: HTTP Basic (`client_secret_basic`) or the
        /// credentials in the form body (`client_secret_post`).
        case client
    }

    /// A request body: one media type and its schema.
    struct Body {
        var contentType: String
        var schema: JSONValue
        var required: Bool
    }

    var method: String
    var path: String
    var operationID: String
    var tag: String
    var summary: String
    var description: String?
    var auth: Auth
    var parameters: [JSONValue] = []
    var body: Body?
    /// Status code (or `default`) → response object or `$ref`.
    var responses: [(String, JSONValue)]

    /// Scopes this endpoint needs, for the security scheme's scope list.
    var scopes: [String] {
        switch auth {
        case .bearer(let scopes), .bearerAnyOf(let scopes): return scopes
        case .none, .client: return []
        }
    }
}

extension GatewayEndpoint {
    /// A JSON response with headers by component name.
    static func json(_ description: String, _ schema: JSONValue, headers: [String] = ["X-Request-Id"],
                     contentType: String = "application/json") -> JSONValue {
        SharedComponents.response(description, contentType: contentType, schema: schema, headers: headers)
    }

    /// The shared problem response for a status.
    static func problem(_ status: Int) -> (String, JSONValue) {
        guard let ref = SharedComponents.errorReference(status) else {
            preconditionFailure("no shared problem response for status \(status)")
        }
        return (String(status), ref)
    }

    /// The headers of every answer of the OAuth form endpoints (RFC 6749 §5.1).
    static let noStore = ["Cache-Control", "Pragma", "X-Request-Id"]

    /// An RFC 6749 §5.2 error answer: `OAuthError` with the no-store headers,
    /// the Basic challenge on 401 and `Retry-After` on 429 and 503.
    static func oauthError(_ status: Int, _ description: String) -> (String, JSONValue) {
        var headers = noStore
        if status == 401 { headers.insert("WWW-Authenticate", at: 0) }
        if status == 429 || status == 503 { headers.insert("Retry-After", at: 0) }
        return (String(status), SharedComponents.response(description, contentType: "application/json",
                                                          schema: Schema.ref("OAuthError"), headers: headers))
    }

    /// A path parameter (always a required string).
    static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        .object([("name", .string(name)), ("in", .string("path")), ("description", .string(description)),
                 ("required", .bool(true)), ("schema", Schema.string())])
    }

    /// A query parameter.
    static func queryParameter(_ name: String, _ description: String, required: Bool = false,
                               schema: JSONValue = Schema.string()) -> JSONValue {
        .object([("name", .string(name)), ("in", .string("query")), ("description", .string(description)),
                 ("required", .bool(required)), ("schema", schema)])
    }

    /// A form-encoded request body.
    static func form(_ schemaName: String) -> Body {
        Body(contentType: "application/x-www-form-urlencoded", schema: Schema.ref(schemaName), required: true)
    }

    /// A JSON request body.
    static func jsonBody(_ schemaName: String, required: Bool = true) -> Body {
        Body(contentType: "application/json", schema: Schema.ref(schemaName), required: required)
    }
}
