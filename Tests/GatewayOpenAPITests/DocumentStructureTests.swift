import GatewayHTTP
@testable import GatewayOpenAPI
import GatewayProxy
import Testing

/// What the document says about the configuration: every operation under
/// its full path with its scopes, deprecation, errors, headers, and the
/// gateway's own endpoints.
@Suite struct DocumentStructureTests {
    let config: GatewayConfig
    let document: JSONValue

    init() throws {
        config = try OpenAPIFixtures.config()
        document = try OpenAPIGenerator.document(for: config)
    }

    func operation(_ method: String, _ path: String, in doc: JSONValue? = nil) -> JSONValue? {
        (doc ?? document)["paths"]?[path]?[method.lowercased()]
    }

    @Test func everyConfiguredOperationIsUnderItsFullPathWithItsScopes() throws {
        var count = 0
        for api in config.apis {
            for version in api.versions {
                for op in api.operations where op.versions?.contains(version.version) ?? true {
                    let path = "/\(version.version)\(op.path)"
                    let o = try #require(operation(op.method, path), "\(op.method) \(path) is missing")
                    let expected: JSONValue = op.isPublic ? .array([]) : .array([.object([("oauth2", .strings(op.scopes))])])
                    #expect(o["security"] == expected, "\(op.method) \(path)")
                    #expect(o["tags"] == .strings([api.name]))
                    #expect(o["deprecated"]?.boolValue == (version.deprecatedAt != nil ? true : nil), "\(path)")
                    count += 1
                }
            }
        }
        #expect(count == 10)
        #expect(operation("GET", "/v1/ledger/entries")?["x-sunset"] == .string("2027-03-01"))
        #expect(operation("GET", "/v2/ledger/entries")?["x-sunset"] == nil)
        let note = try #require(operation("GET", "/v1/ledger/entries/{id}")?["description"]?.stringValue)
        #expect(note.contains("2027-03-01") && note.contains("Move to v2") && note.contains("https://example.com/changelog#ledger-v2"))
    }

    @Test func operationIDsAreUniqueAndDeterministic() throws {
        var ids: [String] = []
        OpenAPIFixtures.walk(try #require(document["paths"])) { path, value in
            if path.hasSuffix("/operationId"), let id = value.stringValue { ids.append(id) }
        }
        #expect(Set(ids).count == ids.count)
        #expect(ids.contains("listLedgerEntriesV1") && ids.contains("createLedgerEntryV2"))
        #expect(operation("GET", "/v2/ledger/entries/{id}")?["operationId"] == .string("getLedgerEntryV2"))  // operation_id + version
        #expect(operation("DELETE", "/v2/reports/cache/{report_id}")?["operationId"] == .string("deleteReportsCacheV2"))
        #expect(operation("GET", "/v1/ledger/entries/{id}")?["summary"] == .string("Get ledger entry"))
    }

    @Test func pathParametersAreDeclared() throws {
        for (path, item) in try #require(document["paths"]?.objectValue) where path.contains("{") {
            let names = PathTemplate.segments(path).compactMap { if case .parameter(let n) = $0 { n } else { nil } }
            for (method, op) in item.objectValue ?? [] {
                let declared = (op["parameters"]?.arrayValue ?? []).filter { $0["in"] == .string("path") }
                #expect(declared.compactMap { $0["name"]?.stringValue } == names, "\(method) \(path)")
                #expect(declared.allSatisfy { $0["required"] == .bool(true) })
            }
        }
    }

    @Test func oauth2SchemeDescribesEveryScopeUsed() throws {
        var used: Set<String> = []
        OpenAPIFixtures.walk(try #require(document["paths"])) { path, value in
            if path.hasSuffix("/security/0/oauth2") { used.formUnion((value.arrayValue ?? []).compactMap(\.stringValue)) }
        }
        #expect(used == ["ledger:read", "ledger:write", "ledger:export", "reports:read", "reports:admin",
                         "clients:read", "clients:write"])
        let flows = try #require(document.at("components/securitySchemes/oauth2/flows"))
        for flow in ["clientCredentials", "authorizationCode"] {
            let scopes = Set((flows[flow]?["scopes"]?.objectValue ?? []).map(\.0))
            #expect(scopes == used, "\(flow)")
            #expect(flows[flow]?["tokenUrl"] == .string("http://127.0.0.1:8080/oauth/token"))
        }
        #expect(flows["authorizationCode"]?["authorizationUrl"] == .string("http://127.0.0.1:8080/oauth/authorize"))
        #expect(flows.at("clientCredentials/scopes/ledger:read") == .string("Read ledger"))
        #expect(flows.at("clientCredentials/scopes/reports:admin") == .string("Administer reports"))
        #expect(document["servers"]?.at("0/url") == .string("http://127.0.0.1:8080"))
    }

    @Test func errorsAreProblemDocumentsAsApplicable() throws {
        let scoped = try #require(operation("POST", "/v1/ledger/entries")?["responses"]?.objectValue).map(\.0)
        #expect(scoped == ["201", "400", "401", "403", "410", "413", "429", "502", "504"])
        let publicOp = try #require(operation("GET", "/v2/ledger/entries/{id}")?["responses"]?.objectValue).map(\.0)
        #expect(publicOp == ["200", "400", "404", "429", "502", "504"])  // limited per caller address
        for (name, response) in try #require(document.at("components/responses")?.objectValue) {
            #expect(response.at("content/application~1problem+json/schema") == .ref("schemas", "Problem"), "\(name)")
            #expect(response.at("headers/X-Request-Id") == .ref("headers", "X-Request-Id"))
        }
        #expect(document.at("components/responses/TooManyRequests/headers/Retry-After") == .ref("headers", "Retry-After"))
        #expect(document.at("components/schemas/Problem/required") == .strings(["type", "title", "status"]))
    }

    @Test func responsesCarryRateLimitRequestIDAndDeprecationHeaders() throws {
        let v1 = try #require(operation("GET", "/v1/ledger/entries")?.at("responses/200/headers")?.objectValue).map(\.0)
        #expect(v1 == ["RateLimit-Policy", "RateLimit", "X-Request-Id", "Deprecation", "Sunset", "Link"])
        let v2 = try #require(operation("GET", "/v2/ledger/entries")?.at("responses/200/headers")?.objectValue).map(\.0)
        #expect(v2 == ["RateLimit-Policy", "RateLimit", "X-Request-Id"])
        for name in v1 { #expect(document.at("components/headers/\(name)/schema") != nil, "\(name)") }
    }

    @Test func schemasFromTheConfigurationAreComponentsWithTheirDefs() throws {
        let body = try #require(operation("POST", "/v2/ledger/entries")?.at("requestBody/content/application~1json/schema"))
        #expect(body == .ref("schemas", "CreateLedgerEntryV2Body"))
        let result = try #require(document.at("components/schemas/ListLedgerEntriesV2Result"))
        #expect(result["$schema"] == nil && result["$defs"] == nil)
        #expect(result.at("properties/data/items") == .ref("schemas", "ListLedgerEntriesV2ResultEntry"))
        #expect(document.at("components/schemas/ListLedgerEntriesV2ResultEntry/required") != nil)
        // Without a schema: a generic object, and an optional body for methods that carry one.
        let export = try #require(operation("GET", "/v1/ledger/export"))
        #expect(export.at("responses/200/content/application~1json/schema/type") == .string("object"))
        #expect(export["requestBody"] == nil)
    }

    @Test func everyReferenceResolves() throws {
        for doc in [document, OpenAPIGenerator.downgradedTo30(document)] {
            OpenAPIFixtures.walk(doc) { path, value in
                guard path.hasSuffix("/$ref"), let ref = value.stringValue else { return }
                #expect(ref.hasPrefix("#/") && doc.at(String(ref.dropFirst(2))) != nil, "\(path) → \(ref)")
            }
        }
    }

    @Test func gatewayEndpointsAreDescribed() throws {
        let expected = [
            ("POST", "/oauth/token"), ("GET", "/oauth/authorize"), ("POST", "/oauth/introspect"),
            ("POST", "/v1/token/introspect"), ("POST", "/oauth/revoke"), ("POST", "/v1/api-clients"),
            ("GET", "/v1/api-clients"), ("GET", "/v1/api-clients/{client_id}"),
            ("POST", "/v1/api-clients/{client_id}/revoke"), ("POST", "/v1/api-clients/{client_id}/rotate-secret"),
            ("GET", "/.well-known/oauth-authorization-server"), ("GET", "/.well-known/jwks.json"),
            ("GET", "/openapi.json"), ("GET", "/v1/openapi.json"), ("GET", "/v2/openapi.json"), ("GET", "/healthz"),
            ("GET", "/readyz"), ("GET", "/metrics"), ("GET", "/changelog"), ("GET", "/changelog.atom"),
        ]
        for (method, path) in expected { #expect(operation(method, path) != nil, "\(method) \(path)") }
        let token = try #require(operation("POST", "/oauth/token"))
        #expect(token.at("requestBody/content/application~1x-www-form-urlencoded/schema") == .ref("schemas", "TokenRequest"))
        #expect(document.at("components/schemas/TokenRequest/properties/grant_type/enum")
            == .strings(["client_credentials", "authorization_code", "refresh_token"]))
        #expect(token.at("responses/401/content/application~1json/schema") == .ref("schemas", "OAuthError"))
        let create = try #require(operation("POST", "/v1/api-clients")?["responses"]?.objectValue).map(\.0)
        #expect(create == ["201", "200", "400", "401", "403", "409", "413", "415", "503"])
        #expect(operation("POST", "/v1/api-clients")?["security"] == .array([.object([("oauth2", .strings(["clients:write"]))])]))
        // Reading clients needs either scope (ClientManagementEndpoint): two alternative requirements.
        #expect(operation("GET", "/v1/api-clients")?["security"] == .array([.object([("oauth2", .strings(["clients:read"]))]),
                                                                          .object([("oauth2", .strings(["clients:write"]))])]))
        // The OAuth endpoints' answers: no-store on every one, the throttle's 429 with Retry-After.
        #expect(token.at("responses/400/headers/Cache-Control") == .ref("headers", "Cache-Control"))
        #expect(token.at("responses/429/headers/Retry-After") == .ref("headers", "Retry-After"))
        #expect(document.at("components/schemas/OAuthError/properties/error/enum")?.arrayValue?.contains(.string("slow_down")) == true)
        let revoke = try #require(operation("POST", "/oauth/revoke"))
        #expect(revoke.at("responses/200/content/application~1json/schema/additionalProperties") == .bool(false))
    }

    @Test func versionDocumentHoldsOneVersionAndTheSharedEndpoints() throws {
        let v1 = try OpenAPIGenerator.document(for: config, version: "v1")
        let paths = Set(try #require(v1["paths"]?.objectValue).map(\.0))
        #expect(paths.contains("/v1/ledger/entries") && paths.contains("/oauth/token") && paths.contains("/v1/openapi.json"))
        #expect(!paths.contains { $0.hasPrefix("/v2/") })
        #expect(v1.at("tags")?.arrayValue?.compactMap { $0["name"]?.stringValue }.contains("reports") == false)
        #expect(v1.at("info/version") == document.at("info/version"))
        #expect(v1.at("info/title") == .string("Portcullis API (v1)"))
        #expect(v1.at("components/schemas/GetLedgerEntryV2Result") == nil)
        #expect(throws: OpenAPIError.unknownVersion("v9", known: ["v1", "v2"])) {
            try OpenAPIGenerator.document(for: config, version: "v9")
        }
    }

    @Test func infoVersionFingerprintsTheConfiguration() throws {
        let other = try OpenAPIFixtures.config(operations: [#"{"method": "GET", "path": "/a", "public": true}"#])
        let more = try OpenAPIFixtures.config(operations: [#"{"method": "GET", "path": "/a", "public": true}"#,
                                                          #"{"method": "GET", "path": "/b", "public": true}"#])
        let a = try OpenAPIGenerator.document(for: other).at("info/version")?.stringValue
        let b = try OpenAPIGenerator.document(for: more).at("info/version")?.stringValue
        #expect(a != nil && a != b && a?.hasPrefix("config-") == true)
        #expect(a == (try OpenAPIGenerator.document(for: other).at("info/version")?.stringValue))
    }

    @Test func scopeDescriptionsCanBeGiven() throws {
        let doc = try OpenAPIGenerator.document(for: config, scopeDescriptions: ["ledger:read": "See every entry"])
        #expect(doc.at("components/securitySchemes/oauth2/flows/clientCredentials/scopes/ledger:read") == .string("See every entry"))
    }
}
