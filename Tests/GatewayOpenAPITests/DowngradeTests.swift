import GatewayHTTP
@testable import GatewayOpenAPI
import Testing

/// The OpenAPI 3.0.3 rendition: the same API, with no 3.1-only construct left.
@Suite struct DowngradeTests {
    /// Every place in a 3.0 document where a 3.1-only construct would hide.
    static func thirtyOneConstructs(_ doc: JSONValue) -> [String] {
        var found: [String] = []
        if doc["jsonSchemaDialect"] != nil { found.append("/jsonSchemaDialect") }
        if doc["webhooks"] != nil { found.append("/webhooks") }
        if doc.at("components/pathItems") != nil { found.append("/components/pathItems") }
        OpenAPIFixtures.walk(doc) { path, value in
            let key = path.split(separator: "/").last.map(String.init) ?? ""
            guard !path.contains("/x-") else { return }
            switch key {
            case "type" where value.arrayValue != nil: found.append(path)
            case "type" where value == .string("null"): found.append(path)
            case "const", "$defs", "$schema", "$id", "prefixItems", "unevaluatedProperties", "examples",
                 "contentEncoding", "contentMediaType", "if", "then", "else", "dependentRequired":
                found.append(path)
            case "exclusiveMinimum" where value.boolValue == nil, "exclusiveMaximum" where value.boolValue == nil:
                found.append(path)
            default: break
            }
            if let members = value.objectValue, members.contains(where: { $0.0 == "$ref" }), members.count > 1 {
                found.append(path + " ($ref with siblings)")
            }
        }
        return found
    }

    @Test func renditionOfTheFixtureHasNo31Constructs() throws {
        let full = try OpenAPIGenerator.document(for: try OpenAPIFixtures.config())
        #expect(!Self.thirtyOneConstructs(full).isEmpty, "the fixture exercises 3.1 constructs")
        let rendition = OpenAPIGenerator.downgradedTo30(full)
        #expect(rendition["openapi"] == .string("3.0.3"))
        #expect(Self.thirtyOneConstructs(rendition) == [])
        #expect(rendition["paths"]?.objectValue?.map(\.0) == full["paths"]?.objectValue?.map(\.0))
        #expect(rendition.at("components/schemas/ListLedgerEntriesV2Result/properties/page/properties/next_cursor")
            == .object([("type", .string("string")),
                        ("description", .string("Where the next page starts; null on the last page.")),
                        ("nullable", .bool(true))]))
    }

    @Test func schemaKeywordsConvert() throws {
        let schema = try JSONParser.parse(#"""
        {"type": "object", "properties": {
          "many": {"type": ["integer", "string", "null"]},
          "none": {"type": "null"},
          "fixed": {"const": 3, "examples": [3, 4]},
          "positive": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
          "blob": {"type": "string", "contentEncoding": "base64"},
          "file": {"type": "string", "contentMediaType": "application/pdf"},
          "ref": {"$ref": "#/components/schemas/X", "description": "An X."},
          "tuple": {"type": "array", "prefixItems": [{"type": "string"}]},
          "anything": true, "nothing": false,
          "map": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
          "closed": {"type": "object", "additionalProperties": false}
        }}
        """#)
        let out = Downgrade.schema(schema)
        #expect(out.at("properties/many") == .object([
            ("anyOf", .array([.object([("type", .string("integer"))]), .object([("type", .string("string"))])])),
            ("nullable", .bool(true))]))
        #expect(out.at("properties/none") == .object([("enum", .array([.null])), ("nullable", .bool(true))]))
        #expect(out.at("properties/fixed") == .object([("enum", .array([.integer(3)])), ("example", .integer(3))]))
        #expect(out.at("properties/positive") == .object([
            ("type", .string("number")), ("minimum", .integer(0)), ("exclusiveMinimum", .bool(true)),
            ("maximum", .integer(10)), ("exclusiveMaximum", .bool(true))]))
        #expect(out.at("properties/blob/format") == .string("byte"))
        #expect(out.at("properties/file/format") == .string("binary"))
        #expect(out.at("properties/ref") == .object([("description", .string("An X.")),
                                                     ("allOf", .array([.ref("schemas", "X")]))]))
        #expect(out.at("properties/tuple/x-oas31-prefixItems") != nil && out.at("properties/tuple/prefixItems") == nil)
        #expect(out.at("properties/anything") == .object([]))
        #expect(out.at("properties/nothing") == .object([("not", .object([]))]))
        #expect(out.at("properties/map/additionalProperties") == .object([("type", .string("string")), ("nullable", .bool(true))]))
        #expect(out.at("properties/closed/additionalProperties") == .bool(false))
    }

    @Test func documentLevelConstructsGo() throws {
        let doc = try JSONParser.parse(#"""
        {"openapi": "3.1.0", "jsonSchemaDialect": "x", "info": {"title": "t", "version": "1", "summary": "s",
         "license": {"name": "MIT", "identifier": "MIT"}}, "paths": {}, "webhooks": {},
         "components": {"pathItems": {}, "parameters": {"p": {"name": "p", "in": "query", "schema": {"const": "a"}}}}}
        """#)
        let out = OpenAPIGenerator.downgradedTo30(doc)
        #expect(out["jsonSchemaDialect"] == nil && out["webhooks"] == nil && out.at("components/pathItems") == nil)
        #expect(out.at("info/summary") == nil && out.at("info/license") == .object([("name", .string("MIT"))]))
        #expect(out.at("components/parameters/p/schema") == .object([("enum", .strings(["a"]))]))
    }
}
