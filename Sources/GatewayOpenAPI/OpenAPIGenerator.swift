import GatewayHTTP
import GatewayProxy

/// Generates the gateway's OpenAPI 3.1 document from its configuration plus
/// the endpoints it serves itself. The document is a `JSONValue` whose
/// members come out in a fixed order, so the same configuration always
/// gives the same bytes (golden files stay reviewable) and `info.version` is
/// a fingerprint of the content.
///
/// Every configured operation appears under its full path per version
/// (`/v1/ledger/entries`), with an operation id unique in the document
/// (`listLedgerEntriesV1`), its scopes as an `oauth2` security requirement,
/// its request and response schemas, the gateway's error answers as
/// `application/problem+json`, and, for a deprecated version,
/// `deprecated: true` with `x-sunset`.
public enum OpenAPIGenerator {
    public static let openAPIVersion = "3.1.0"
    /// The dialect of every schema in the document (the OpenAPI 3.1 base vocabulary on JSON Schema 2020-12).
    public static let jsonSchemaDialect = "https://spec.openapis.org/oas/3.1/dialect/base"
    public static let title = "Portcullis API"

    /// The whole document, or with `version` only that version's operations
    /// plus the gateway's own endpoints (`/v1/openapi.json`).
    /// - Parameter scopeDescriptions: descriptions of scopes, overriding the
    ///   ones derived from their names (`ledger:read` → "Read ledger").
    public static func document(for config: GatewayConfig, version: String? = nil,
                                scopeDescriptions: [String: String] = [:]) throws(OpenAPIError) -> JSONValue {
        let versions = self.versions(of: config)
        if let version, !versions.contains(version) {
            throw OpenAPIError.unknownVersion(version, known: versions)
        }
        let full = build(config, only: nil, scopeDescriptions: scopeDescriptions)
        let fingerprint = Fingerprint.hex(full.serialized)
        let document = version == nil ? full : build(config, only: version, scopeDescriptions: scopeDescriptions)
        return withInfo(document, config: config, version: version, fingerprint: fingerprint)
    }

    /// Every version name of every API, in configuration order, once each.
    public static func versions(of config: GatewayConfig) -> [String] {
        var seen: Set<String> = []
        return config.apis.flatMap { $0.versions.map(\.version) }.filter { seen.insert($0).inserted }
    }

    private static func build(_ config: GatewayConfig, only version: String?,
                              scopeDescriptions: [String: String]) -> JSONValue {
        let builtIns = GatewayEndpoints.all(versions: version.map { [$0] } ?? versions(of: config))
        let plan = OperationPlan(config: config,
                                 reservedIDs: Set(GatewayEndpoints.all(versions: versions(of: config)).map(\.operationID)),
                                 reservedSchemas: Set(SharedComponents.errorSchemas.map(\.0) + GatewayEndpointSchemas.all.map(\.0)))
        let entries = plan.entries.filter { version == nil || $0.version.version == version }

        var paths = PathItems()
        var schemas = SharedComponents.errorSchemas
        var scopes: Set<String> = []
        for entry in entries {
            paths.add(path: entry.fullPath, method: entry.method, operation: operation(entry))
            schemas += entry.schemas
            scopes.formUnion(entry.operation.scopes)
        }
        for endpoint in builtIns {
            paths.add(path: endpoint.path, method: endpoint.method.lowercased(), operation: operation(endpoint))
            scopes.formUnion(endpoint.scopes)
        }
        schemas += GatewayEndpointSchemas.all

        var tags: [JSONValue] = []
        for api in config.apis where version == nil || api.versions.contains(where: { $0.version == version }) {
            tags.append(tag(api.name, api.description ?? "The \(api.name) API, proxied by the gateway."))
        }
        tags += GatewayEndpoints.tags.map { tag($0.0, $0.1) }

        var doc = OrderedObject()
        doc["openapi"] = .string(openAPIVersion)
        doc["jsonSchemaDialect"] = .string(jsonSchemaDialect)
        doc["info"] = .object([])
        doc["servers"] = .array([.object([("url", .string(trimmedIssuer(config))),
                                          ("description", .string("The gateway"))])])
        doc["tags"] = .array(tags)
        doc["paths"] = paths.value
        doc["components"] = .object([
            ("schemas", .object(schemas)),
            ("responses", .object(SharedComponents.responses)),
            ("headers", .object(SharedComponents.headers)),
            ("securitySchemes", securitySchemes(config, scopes: scopes, overrides: scopeDescriptions)),
        ])
        return doc.value
    }

    static func trimmedIssuer(_ config: GatewayConfig) -> String {
        var issuer = config.issuer
        while issuer.hasSuffix("/") { issuer.removeLast() }
        return issuer
    }

    private static func tag(_ name: String, _ description: String) -> JSONValue {
        .object([("name", .string(name)), ("description", .string(description))])
    }

    private static func withInfo(_ document: JSONValue, config: GatewayConfig, version: String?,
                                 fingerprint: String) -> JSONValue {
        var doc = OrderedObject(document.objectValue ?? [])
        var info = OrderedObject()
        info["title"] = .string(version.map { "\(title) (\($0))" } ?? title)
        info["version"] = .string("config-" + fingerprint)
        info["description"] = .string(InfoText.description(config, version: version))
        doc["info"] = info.value
        return doc.value
    }

    private static func securitySchemes(_ config: GatewayConfig, scopes: Set<String>,
                                        overrides: [String: String]) -> JSONValue {
        let issuer = trimmedIssuer(config)
        let builtIn = Dictionary(GatewayEndpoints.scopeDescriptions, uniquingKeysWith: { a, _ in a })
        let described: JSONValue = .object(scopes.sorted().map { scope in
            (scope, .string(overrides[scope] ?? builtIn[scope] ?? Naming.scopeDescription(scope)))
        })
        let oauth2: JSONValue = .object([
            ("type", .string("oauth2")),
            ("description", .string("Access tokens from the gateway's token endpoint, sent as `Authorization: Bearer <token>`.")),
            ("flows", .object([
                ("clientCredentials", .object([("tokenUrl", .string(issuer + "/oauth/token")),
                                               ("scopes", described)])),
                ("authorizationCode", .object([("authorizationUrl", .string(issuer + "/oauth/authorize")),
                                               ("tokenUrl", .string(issuer + "/oauth/token")),
                                               ("refreshUrl", .string(issuer + "/oauth/token")),
                                               ("scopes", described)])),
            ])),
        ])
        let basic: JSONValue = .object([
            ("type", .string("http")),
            ("scheme", .string("basic")),
            ("description", .string("Client authentication (`client_secret_basic`): the client id and secret as HTTP Basic credentials.")),
        ])
        return .object([("oauth2", oauth2), ("clientSecretBasic", basic)])
    }
}
