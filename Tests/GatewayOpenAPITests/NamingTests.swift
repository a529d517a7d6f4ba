import GatewayHTTP
@testable import GatewayOpenAPI
import Testing

/// Names derived from the configuration: operation ids, summaries, schema
/// names that keep generated SDKs compiling, scope descriptions.
@Suite struct NamingTests {
    @Test func wordsAndCases() {
        #expect(Naming.words("rotate-secret") == ["rotate", "secret"])
        #expect(Naming.words("rotateSecret_v2") == ["rotate", "Secret", "v2"])
        #expect(Naming.pascal("api-clients") == "ApiClients")
        #expect(Naming.pascal("v1") == "V1")
        #expect(Naming.pascal("2024-01") == "202401")
        #expect(Naming.camel(["List", "ledger", "entries"]) == "listLedgerEntries")
    }

    @Test(arguments: [("entries", "entry"), ("accounts", "account"), ("boxes", "box"), ("batches", "batch"),
                      ("status", "status"), ("address", "address"), ("classes", "class"), ("ledger", "ledger"),
                      ("s", "s")])
    func singular(_ plural: String, _ expected: String) {
        #expect(Naming.singular(plural) == expected)
    }

    @Test(arguments: [
        ("GET", "/ledger/entries", "list ledger entries"),
        ("GET", "/ledger/entries/{id}", "get ledger entry"),
        ("POST", "/ledger/entries", "create ledger entry"),
        ("PUT", "/ledger/entries/{id}", "replace ledger entry"),
        ("PATCH", "/ledger/entries/{id}", "update ledger entry"),
        ("DELETE", "/ledger/entries/{id}", "delete ledger entry"),
        ("GET", "/ledger/accounts/{code}/entries", "list ledger account entries"),
        ("POST", "/ledger/entries/{id}", "post ledger entry"),
        ("GET", "/", "list root"),
    ])
    func operationWords(_ method: String, _ path: String, _ expected: String) {
        #expect(Naming.operationWords(method: method, path: path).joined(separator: " ") == expected)
    }

    @Test(arguments: [("ledger:read", "Read ledger"), ("ledger:write", "Write ledger"),
                      ("ledger-reports:export", "Export ledger reports"), ("erp:ledger:admin", "Administer erp ledger"),
                      ("ledger:close_period", "Close period ledger"), ("openid", "Access openid")])
    func scopeDescriptions(_ scope: String, _ expected: String) {
        #expect(Naming.scopeDescription(scope) == expected)
    }

    @Test func clashingOperationIDsGetNumbersBeforeTheVersion() throws {
        let config = try OpenAPIFixtures.config(operations: [
            #"{"method": "GET", "path": "/ledger/entries", "public": true}"#,
            #"{"method": "GET", "path": "/ledger-entries", "public": true}"#,
            #"{"method": "GET", "path": "/things", "public": true, "operation_id": "list-all things"}"#,
        ])
        let doc = try OpenAPIGenerator.document(for: config)
        #expect(doc.at("paths/~1v1~1ledger~1entries/get/operationId") == .string("listLedgerEntriesV1"))
        #expect(doc.at("paths/~1v1~1ledger-entries/get/operationId") == .string("listLedgerEntries2V1"))
        #expect(doc.at("paths/~1v2~1ledger-entries/get/operationId") == .string("listLedgerEntries2V2"))
        #expect(doc.at("paths/~1v1~1things/get/operationId") == .string("listAllThingsV1"))
    }

    @Test func templatesOfOneShapeShareOnePathAndItsParameterNames() throws {
        let config = try OpenAPIFixtures.config(operations: [
            #"{"method": "GET", "path": "/entries/{id}", "public": true}"#,
            #"{"method": "DELETE", "path": "/entries/{entry_id}", "scopes": ["ledger:write"]}"#,
            #"{"method": "PURGE", "path": "/entries", "public": true}"#,
        ])
        let doc = try OpenAPIGenerator.document(for: config)
        let item = try #require(doc.at("paths/~1v1~1entries~1{id}"))
        #expect(item.objectValue?.map(\.0) == ["get", "delete"])
        #expect(item.at("delete/parameters/0/name") == .string("id"))
        #expect(doc.at("paths/~1v1~1entries~1{entry_id}") == nil)
        #expect(doc.at("paths/~1v1~1entries") == nil, "methods OpenAPI cannot describe are left out")
    }

    @Test func goConstructorClashesAreRenamed() throws {
        #expect(SchemaNames.goConstructorClashes(["Entry", "NewEntry", "Other"]) == ["NewEntry": "NewEntryModel"])
        #expect(SchemaNames.goConstructorClashes(["Entry", "NewEntryWithDefaults"]) == ["NewEntryWithDefaults": "NewEntryWithDefaultsModel"])
        #expect(SchemaNames.goConstructorClashes(["News", "Newspaper"]).isEmpty)
        let config = try OpenAPIFixtures.config(operations: [
            #"{"method": "GET", "path": "/entry", "public": true, "operation_id": "entry", "versions": ["v1"], "response_schema": {"type": "object"}}"#,
            ##"{"method": "GET", "path": "/new-entry", "public": true, "operation_id": "newEntry", "versions": ["v1"], "response_schema": {"type": "object", "properties": {"e": {"$ref": "#/$defs/e"}}, "$defs": {"e": {"type": "string"}}}}"##,
        ])
        let doc = try OpenAPIGenerator.document(for: config)
        let names = try #require(doc.at("components/schemas")?.objectValue).map(\.0)
        #expect(names.contains("EntryV1Result") && names.contains("NewEntryV1ResultModel") && !names.contains("NewEntryV1Result"))
        #expect(doc.at("paths/~1v1~1new-entry/get/responses/200/content/application~1json/schema")
            == .ref("schemas", "NewEntryV1ResultModel"))
        #expect(doc.at("components/schemas/NewEntryV1ResultModel/properties/e") == .ref("schemas", "NewEntryV1ResultE"))
    }

    @Test func embeddedSchemasKeepTheirReferencesWorking() {
        var taken: Set<String> = []
        let schema = try! JSONParser.parse(#"""
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://x/e.json",
         "type": "object", "properties": {"a": {"$ref": "#/$defs/money"}, "b": {"$ref": "#/properties/a"},
         "c": {"$ref": "#"}, "d": {"$ref": "#/definitions/old"}, "e": {"$ref": "other.json"}},
         "$defs": {"money": {"type": "string"}}, "definitions": {"old": {"$id": "x", "type": "integer"}}}
        """#)
        let out = SchemaEmbedding.embed(schema, as: "Thing", taken: &taken)
        #expect(out.map(\.0) == ["Thing", "ThingMoney", "ThingOld"])
        let thing = out[0].1
        #expect(thing["$schema"] == nil && thing["$id"] == nil && thing["$defs"] == nil)
        #expect(thing.at("properties/a/$ref") == .string("#/components/schemas/ThingMoney"))
        #expect(thing.at("properties/b/$ref") == .string("#/components/schemas/Thing/properties/a"))
        #expect(thing.at("properties/c/$ref") == .string("#/components/schemas/Thing"))
        #expect(thing.at("properties/d/$ref") == .string("#/components/schemas/ThingOld"))
        #expect(thing.at("properties/e/$ref") == .string("other.json"))
        #expect(out[2].1 == .object([("type", .string("integer"))]))
    }
}
