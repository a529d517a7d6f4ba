import GatewayHTTP

extension OpenAPIGenerator {
    /// Keywords of JSON Schema 2020-12 that OpenAPI 3.0's schema object does
    /// not know. The 3.0 rendition keeps them, unenforced, as `x-oas31-<keyword>`.
    static let keywordsWithout30Equivalent = [
        "$schema", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$comment", "$vocabulary", "$defs",
        "definitions", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
        "dependencies", "prefixItems", "contains", "minContains", "maxContains", "patternProperties",
        "propertyNames", "if", "then", "else", "contentSchema", "contentEncoding", "contentMediaType",
    ]

    /// The same document as OpenAPI 3.0.3, for SDK generators that lag on 3.1:
    /// - `openapi` becomes `3.0.3`; `jsonSchemaDialect`, `webhooks`,
    ///   `components.pathItems`, `info.summary` and `info.license.identifier` go;
    /// - in every schema: `type: [T, "null"]` → `type: T, nullable: true`
    ///   (several types → `anyOf`), `const` → a one-value `enum`, `examples`
    ///   → `example` (the first), numeric `exclusiveMinimum`/`exclusiveMaximum`
    ///   → `minimum`/`maximum` with the boolean form, a `$ref` with siblings →
    ///   `allOf: [{$ref}]` beside them, `true`/`false` schemas → `{}`/`{not: {}}`,
    ///   `contentEncoding: base64` → `format: byte`, binary `contentMediaType`
    ///   → `format: binary`; other 2020-12-only keywords are kept as `x-oas31-*`.
    public static func downgradedTo30(_ document: JSONValue) -> JSONValue {
        var doc = OrderedObject(document.objectValue ?? [])
        doc["openapi"] = .string("3.0.3")
        doc.remove("jsonSchemaDialect")
        doc.remove("webhooks")
        if var info = doc["info"]?.objectValue.map(OrderedObject.init) {
            info.remove("summary")
            if var license = info["license"]?.objectValue.map(OrderedObject.init) {
                license.remove("identifier")
                info["license"] = license.value
            }
            doc["info"] = info.value
        }
        if let paths = doc["paths"]?.objectValue {
            doc["paths"] = .object(paths.map { ($0.0, Downgrade.pathItem($0.1)) })
        }
        if var components = doc["components"]?.objectValue.map(OrderedObject.init) {
            components.remove("pathItems")
            Downgrade.mapMembers(&components, "schemas", Downgrade.schema)
            Downgrade.mapMembers(&components, "responses", Downgrade.response)
            Downgrade.mapMembers(&components, "parameters", Downgrade.withSchema)
            Downgrade.mapMembers(&components, "headers", Downgrade.withSchema)
            Downgrade.mapMembers(&components, "requestBodies", Downgrade.withContent)
            doc["components"] = components.value
        }
        return doc.value
    }
}
