import GatewayHTTP

/// One endpoint the gateway answers itself (token service, client
/// management, metadata, health), as the OpenAPI document describes it.
/// Values of this type are listed in `GatewayEndpoints`.
struct GatewayEndpoint {
    /// How a caller authenticates.
    enum Auth {
        /// Nothing (public metadata, health, the authorization page).
        case none
        /// A bearer access token carrying these scopes.
        case bearer([String])
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
        if case .bearer(let scopes) = auth { return scopes }
        return []
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

    /// An RFC 6749 §5.2 error answer.
    static func oauthError(_ status: Int, _ description: String) -> (String, JSONValue) {
        (String(status), SharedComponents.response(description, contentType: "application/json",
                                                   schema: Schema.ref("OAuthError"),
                                                   headers: status == 401 ? ["WWW-Authenticate"] : []))
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
