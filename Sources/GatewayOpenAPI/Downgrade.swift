import GatewayHTTP

/// The walk behind `OpenAPIGenerator.downgradedTo30`: knows where schemas sit.
enum Downgrade {
    static func mapMembers(_ object: inout OrderedObject, _ key: String, _ transform: (JSONValue) -> JSONValue) {
        guard let members = object[key]?.objectValue else { return }
        object[key] = .object(members.map { ($0.0, transform($0.1)) })
    }

    static func pathItem(_ item: JSONValue) -> JSONValue {
        guard var o = item.objectValue.map(OrderedObject.init) else { return item }
        if let parameters = o["parameters"]?.arrayValue { o["parameters"] = .array(parameters.map(withSchema)) }
        for method in OperationPlan.methods { o[method] = o[method].map(operation) }
        return o.value
    }

    static func operation(_ op: JSONValue) -> JSONValue {
        guard var o = op.objectValue.map(OrderedObject.init) else { return op }
        if let parameters = o["parameters"]?.arrayValue { o["parameters"] = .array(parameters.map(withSchema)) }
        o["requestBody"] = o["requestBody"].map(withContent)
        mapMembers(&o, "responses", response)
        return o.value
    }

    static func response(_ response: JSONValue) -> JSONValue {
        guard var o = withContent(response).objectValue.map(OrderedObject.init) else { return response }
        mapMembers(&o, "headers", withSchema)
        return o.value
    }

    /// A request body or response: each media type's `schema`.
    static func withContent(_ value: JSONValue) -> JSONValue {
        guard var o = value.objectValue.map(OrderedObject.init) else { return value }
        mapMembers(&o, "content", withSchema)
        return o.value
    }

    /// A parameter, header or media type: its `schema`.
    static func withSchema(_ value: JSONValue) -> JSONValue {
        guard var o = value.objectValue.map(OrderedObject.init) else { return value }
        o["schema"] = o["schema"].map(schema)
        return o.value
    }

    static func schema(_ value: JSONValue) -> JSONValue {
        switch value {
        case .bool(true): return .object([])
        case .bool(false): return .object([("not", .object([]))])
        case .object(let members): return schemaObject(members)
        default: return value
        }
    }

    private static func schemaObject(_ members: [(String, JSONValue)]) -> JSONValue {
        var o = OrderedObject()
        var nullable = false
        for (key, value) in members {
            switch key {
            case "type":
                guard case .array(let types) = value else { o[key] = value; continue }
                let names = types.compactMap(\.stringValue)
                let concrete = names.filter { $0 != "null" }
                nullable = nullable || concrete.count < names.count
                if concrete.count == 1 {
                    o["type"] = .string(concrete[0])
                } else if concrete.count > 1 {
                    o["anyOf"] = .array(concrete.map { .object([("type", .string($0))]) })
                }
            case "const":
                o["enum"] = .array([value])
            case "examples":
                if o["example"] == nil, let first = value.arrayValue?.first { o["example"] = first }
            case "exclusiveMinimum", "exclusiveMaximum":
                guard value.boolValue == nil else { o[key] = value; continue }
                o[key == "exclusiveMinimum" ? "minimum" : "maximum"] = value
                o[key] = .bool(true)
            case "contentEncoding" where value.stringValue == "base64":
                o["format"] = .string("byte")
            case "contentMediaType" where members.contains { $0.0 == "contentEncoding" } == false
                && !(value.stringValue ?? "").hasPrefix("text/") && value.stringValue != "application/json":
                o["format"] = .string("binary")
            case "properties":
                o[key] = .object((value.objectValue ?? []).map { ($0.0, schema($0.1)) })
            case "items", "not":
                o[key] = schema(value)
            case "additionalProperties":
                o[key] = value.boolValue != nil ? value : schema(value)
            case "allOf", "anyOf", "oneOf":
                o[key] = .array((value.arrayValue ?? []).map(schema))
            default:
                if OpenAPIGenerator.keywordsWithout30Equivalent.contains(key) {
                    o["x-oas31-" + key.replacingDollar] = value
                } else {
                    o[key] = value
                }
            }
        }
        if case .string("null")? = o["type"] {
            o.remove("type")
            nullable = true
            if o["enum"] == nil { o["enum"] = .array([.null]) }
        }
        if nullable { o["nullable"] = .bool(true) }
        if let ref = o["$ref"], o.members.count > 1 {
            o.remove("$ref")
            let existing = o["allOf"]?.arrayValue ?? []
            o["allOf"] = .array([.object([("$ref", ref)])] + existing)
        }
        return o.value
    }
}

private extension String {
    /// `$defs` → `defs`: extension names are plain words.
    var replacingDollar: String { hasPrefix("$") ? String(dropFirst()) : self }
}
