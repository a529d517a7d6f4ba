import GatewayHTTP

/// The parts of the document every operation shares: the RFC 9457 `Problem`
/// and RFC 6749 `OAuthError` schemas, the response headers the gateway adds,
/// and one reusable response per gateway-made error status.
enum SharedComponents {
    /// `components.headers`, keyed by the header's own name.
    static let headers: [(String, JSONValue)] = [
        header("RateLimit-Policy", "The rate-limit policy (IETF httpapi rate-limit headers) of the client, or on a public operation of the caller's address: `q` requests per `w` seconds.",
               example: "\"default\";q=1000;w=60"),
        header("RateLimit", "What is left of the quota: `r` requests remain, the bucket is full again in `t` seconds.",
               example: "\"default\";r=999;t=1"),
        header("X-Request-Id", "The gateway's id for this request; quote it when asking for support.",
               example: "01JC2Z3M4N5P6Q7R8S9T0V1W2X"),
        ("Retry-After", headerObject("Whole seconds to wait before retrying.",
                                     schema: Schema.integer(format: nil, minimum: 0, example: 2))),
        header("Deprecation", "When this version was deprecated (RFC 9745), as `@` and seconds since the epoch.",
               example: "@1788220800"),
        header("Sunset", "When this version stops answering (RFC 8594); afterwards it answers 410.",
               example: "Mon, 01 Mar 2027 00:00:00 GMT"),
        header("Link", "Where to read about the deprecation (`rel=\"deprecation\"`) and the version to move to (`rel=\"successor-version\"`).",
               example: "<https://example.com/changelog#ledger-v2>; rel=\"deprecation\"; type=\"text/html\""),
        header("WWW-Authenticate", "The authentication challenge (RFC 6750 for bearer tokens, RFC 7617 for client credentials).",
               example: "Bearer error=\"invalid_token\""),
        header("Cache-Control", "Caching directive: `no-store` on every answer of the OAuth endpoints and the client management API, errors included; `public, max-age=…` on the metadata and keys; `no-cache` on the documents.",
               example: "no-store"),
        header("Pragma", "`no-cache` beside `Cache-Control: no-store` on the OAuth endpoints' answers (RFC 6749 §5.1), for HTTP/1.0 caches.",
               example: "no-cache"),
        header("Location", "Where the created resource lives, or where the user agent goes next.",
               example: "/v1/api-clients/cl_Hx2mQ9vT4bWc8nRf1kLp0A"),
        header("ETag", "A strong validator of the document; send it back in `If-None-Match` to get 304 while it is unchanged.",
               example: "\"9f86d081884c7d65\""),
        header("Allow", "The methods the path answers.", example: "GET, POST"),
    ]

    /// The headers every proxied answer carries, by component name.
    static let proxiedHeaders = ["RateLimit-Policy", "RateLimit", "X-Request-Id"]
    /// The headers a deprecated version's answers carry in addition.
    static let deprecationHeaders = ["Deprecation", "Sunset", "Link"]

    /// `components.schemas` entries for errors.
    static let errorSchemas: [(String, JSONValue)] = [
        ("Problem", Schema.object([
            ("type", Schema.string("A URI naming the problem type; `about:blank` when the status says it all.",
                                   format: "uri-reference", example: "about:blank")),
            ("title", Schema.string("A short summary of the problem type.", example: "Not Found")),
            ("status", Schema.integer("The HTTP status code.", format: "int32", minimum: 100, maximum: 599, example: 404)),
            ("detail", Schema.string("What happened, for a person.", example: "No operation matches /v2/ledger/nothing.")),
            ("instance", Schema.string("A URI naming this occurrence.", format: "uri-reference")),
            ("error", Schema.string("An OAuth-style error code, where one applies (e.g. `invalid_scope`).")),
            ("successor_version", Schema.string("On 410: the version to move to.", example: "v2")),
            ("field", Schema.string("On a refused management request body: the member to fix.", example: "rpm")),
            ("client_id", Schema.string("On 409 from client creation: the client the `external_id` already names.")),
        ], required: ["type", "title", "status"],
           description: "An RFC 9457 problem document: the body of every error the gateway itself makes outside the OAuth endpoints.",
           additional: true)),
        ("OAuthError", Schema.object([
            ("error", Schema.string("The RFC 6749 §5.2 error code.", enumeration: [
                "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                "unsupported_grant_type", "invalid_scope", "invalid_token", "unsupported_token_type",
                "access_denied", "slow_down", "server_error", "temporarily_unavailable",
            ])),
            ("error_description", Schema.string("What went wrong, for the developer.")),
            ("error_uri", Schema.string("A page about the error.", format: "uri")),
        ], required: ["error"], description: "An OAuth 2.0 error answer (RFC 6749 §5.2).")),
    ]

    /// A gateway-made error the document can reference: status, component name, description.
    struct ErrorResponse {
        var status: Int
        var name: String
        var description: String
        var headers: [String]
    }

    static let errors: [ErrorResponse] = [
        ErrorResponse(status: 400, name: "BadRequest", description: "The request is malformed.", headers: []),
        ErrorResponse(status: 401, name: "Unauthorized",
                      description: "The bearer token is missing, malformed, expired or revoked.",
                      headers: ["WWW-Authenticate"]),
        ErrorResponse(status: 403, name: "Forbidden", description: "The token lacks a scope this operation needs.",
                      headers: ["WWW-Authenticate"]),
        ErrorResponse(status: 404, name: "NotFound", description: "Nothing is found at this path.", headers: []),
        ErrorResponse(status: 405, name: "MethodNotAllowed",
                      description: "The path exists, the method does not; `Allow` lists the methods that do.",
                      headers: ["Allow"]),
        ErrorResponse(status: 409, name: "Conflict", description: "The request conflicts with an earlier one.",
                      headers: []),
        ErrorResponse(status: 410, name: "Gone",
                      description: "This version is past its sunset; move to its successor.", headers: []),
        ErrorResponse(status: 413, name: "PayloadTooLarge", description: "The request body is larger than allowed.",
                      headers: []),
        ErrorResponse(status: 415, name: "UnsupportedMediaType",
                      description: "The body is not of the media type the operation takes (`application/json`).",
                      headers: []),
        ErrorResponse(status: 429, name: "TooManyRequests",
                      description: "The client (on a public operation: the caller's address) is over its rate; retry after `Retry-After` seconds.",
                      headers: ["Retry-After", "RateLimit-Policy", "RateLimit"]),
        ErrorResponse(status: 502, name: "BadGateway", description: "The upstream service refused or is unreachable.",
                      headers: []),
        ErrorResponse(status: 503, name: "ServiceUnavailable",
                      description: "The gateway cannot take the request right now (work queue full, store busy); retry after `Retry-After` seconds.",
                      headers: ["Retry-After"]),
        ErrorResponse(status: 504, name: "GatewayTimeout", description: "The upstream service answered too slowly.",
                      headers: []),
    ]

    /// `components.responses`: one problem response per gateway-made error.
    static var responses: [(String, JSONValue)] {
        errors.map { error in
            (error.name, response(error.description, contentType: ProblemDetails.contentType,
                                  schema: Schema.ref("Problem"), headers: ["X-Request-Id"] + error.headers))
        }
    }

    /// `{"$ref": "#/components/responses/<name>"}` for a status, if the status has a shared response.
    static func errorReference(_ status: Int) -> JSONValue? {
        errors.first { $0.status == status }.map { .ref("responses", $0.name) }
    }

    /// A response object: description, headers by component name, one content type.
    static func response(_ description: String, contentType: String? = nil, schema: JSONValue? = nil,
                         headers: [String] = []) -> JSONValue {
        var o = OrderedObject()
        o["description"] = .string(description)
        if !headers.isEmpty {
            o["headers"] = .object(headers.map { ($0, .ref("headers", $0)) })
        }
        if let contentType, let schema {
            o["content"] = .object([(contentType, .object([("schema", schema)]))])
        }
        return o.value
    }

    private static func header(_ name: String, _ description: String, example: String) -> (String, JSONValue) {
        (name, headerObject(description, schema: Schema.string(example: example)))
    }

    private static func headerObject(_ description: String, schema: JSONValue) -> JSONValue {
        .object([("description", .string(description)), ("schema", schema)])
    }
}
