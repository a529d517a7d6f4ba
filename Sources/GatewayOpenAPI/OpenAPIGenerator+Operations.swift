import GatewayHTTP
import GatewayProxy

extension OpenAPIGenerator {
    /// The operation object of a configured (proxied) operation in one version.
    static func operation(_ entry: OperationPlan.Entry) -> JSONValue {
        let op = entry.operation
        let version = entry.version
        let deprecated = version.deprecatedAt != nil
        var o = OrderedObject()
        o["tags"] = .strings([entry.api.name])
        o["summary"] = .string(entry.summary)
        let notes = [op.description, deprecated ? InfoText.deprecationNote(entry) : nil].compactMap { $0 }
        if !notes.isEmpty { o["description"] = .string(notes.joined(separator: "\n\n")) }
        o["operationId"] = .string(entry.operationID)
        let parameters = pathParameters(entry.fullPath)
        if !parameters.isEmpty { o["parameters"] = .array(parameters) }

        let hasBody = ["post", "put", "patch"].contains(entry.method)
        if let name = entry.requestSchemaName {
            o["requestBody"] = requestBody(Schema.ref(name), contentType: "application/json", required: true)
        } else if hasBody {
            o["requestBody"] = requestBody(Schema.anyObject("Any JSON object; the upstream service defines it."),
                                           contentType: "application/json", required: false)
        }

        var headers = SharedComponents.proxiedHeaders
        if deprecated {
            headers.append("Deprecation")
            if version.sunset != nil { headers.append("Sunset") }
            if version.link != nil || entry.successor != nil { headers.append("Link") }
        }
        let schema = entry.responseSchemaName.map(Schema.ref) ?? Schema.anyObject("The upstream service's answer.")
        let creates = entry.method == "post" && !entry.fullPath.hasSuffix("}")
        var responses: [(String, JSONValue)] = [
            (creates ? "201" : "200", SharedComponents.response(creates ? "Created." : "Success.",
                                                               contentType: "application/json", schema: schema,
                                                               headers: headers)),
        ]
        var errors = [400]
        if !op.isPublic { errors += [401, 403] }
        if !parameters.isEmpty { errors.append(404) }
        if version.sunset != nil { errors.append(410) }
        if hasBody { errors.append(413) }
        errors.append(429)  // per client, or per caller address on public operations
        errors += [502, 504]
        for status in errors {
            if let ref = SharedComponents.errorReference(status) { responses.append((String(status), ref)) }
        }
        o["responses"] = .object(responses)
        if deprecated { o["deprecated"] = .bool(true) }
        o["security"] = op.isPublic ? .array([]) : .array([.object([("oauth2", .strings(op.scopes))])])
        if let sunset = version.sunset { o["x-sunset"] = .string(InfoText.date(sunset)) }
        return o.value
    }

    /// The operation object of an endpoint the gateway serves itself.
    static func operation(_ endpoint: GatewayEndpoint) -> JSONValue {
        var o = OrderedObject()
        o["tags"] = .strings([endpoint.tag])
        o["summary"] = .string(endpoint.summary)
        o["description"] = endpoint.description.map(JSONValue.string)
        o["operationId"] = .string(endpoint.operationID)
        if !endpoint.parameters.isEmpty { o["parameters"] = .array(endpoint.parameters) }
        if let body = endpoint.body {
            o["requestBody"] = requestBody(body.schema, contentType: body.contentType, required: body.required)
        }
        o["responses"] = .object(endpoint.responses)
        switch endpoint.auth {
        case .none: o["security"] = .array([])
        case .bearer(let scopes): o["security"] = .array([.object([("oauth2", .strings(scopes))])])
        case .bearerAnyOf(let scopes): o["security"] = .array(scopes.map { .object([("oauth2", .strings([$0]))]) })
        case .client: o["security"] = .array([.object([("clientSecretBasic", .array([]))]), .object([])])
        }
        return o.value
    }

    private static func requestBody(_ schema: JSONValue, contentType: String, required: Bool) -> JSONValue {
        .object([("required", .bool(required)),
                 ("content", .object([(contentType, .object([("schema", schema)]))]))])
    }

    /// One required string parameter per `{name}` in the path.
    static func pathParameters(_ path: String) -> [JSONValue] {
        PathTemplate.segments(path).compactMap { segment in
            guard case .parameter(let name) = segment else { return nil }
            return .object([("name", .string(name)), ("in", .string("path")), ("required", .bool(true)),
                             ("schema", Schema.string())])
        }
    }
}
