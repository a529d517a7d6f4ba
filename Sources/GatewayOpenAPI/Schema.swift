import GatewayHTTP

/// Small constructors for the JSON Schema (2020-12) values the generator
/// writes itself. Members come out in a fixed order: `type`, `format`,
/// `description`, constraints, `properties`, `required`, `examples`.
enum Schema {
    static func string(_ description: String? = nil, format: String? = nil, enumeration: [String]? = nil,
                       example: String? = nil, nullable: Bool = false, minLength: Int64? = nil,
                       maxLength: Int64? = nil, pattern: String? = nil) -> JSONValue {
        var o = OrderedObject()
        o["type"] = type("string", nullable)
        o["format"] = format.map(JSONValue.string)
        o["description"] = description.map(JSONValue.string)
        o["minLength"] = minLength.map(JSONValue.integer)
        o["maxLength"] = maxLength.map(JSONValue.integer)
        o["pattern"] = pattern.map(JSONValue.string)
        o["enum"] = enumeration.map { .strings($0) }
        o["examples"] = example.map { .array([.string($0)]) }
        return o.value
    }

    static func integer(_ description: String? = nil, format: String? = "int64", minimum: Int64? = nil,
                        maximum: Int64? = nil, example: Int64? = nil, nullable: Bool = false) -> JSONValue {
        var o = OrderedObject()
        o["type"] = type("integer", nullable)
        o["format"] = format.map(JSONValue.string)
        o["description"] = description.map(JSONValue.string)
        o["minimum"] = minimum.map(JSONValue.integer)
        o["maximum"] = maximum.map(JSONValue.integer)
        o["examples"] = example.map { .array([.integer($0)]) }
        return o.value
    }

    static func boolean(_ description: String? = nil) -> JSONValue {
        var o = OrderedObject()
        o["type"] = .string("boolean")
        o["description"] = description.map(JSONValue.string)
        return o.value
    }

    static func array(_ items: JSONValue, _ description: String? = nil, minItems: Int64? = nil,
                      maxItems: Int64? = nil, nullable: Bool = false) -> JSONValue {
        var o = OrderedObject()
        o["type"] = type("array", nullable)
        o["description"] = description.map(JSONValue.string)
        o["minItems"] = minItems.map(JSONValue.integer)
        o["maxItems"] = maxItems.map(JSONValue.integer)
        o["items"] = items
        return o.value
    }

    /// An object with the given properties. `additional` nil leaves
    /// `additionalProperties` out (open, as JSON Schema defaults).
    static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil,
                       additional: Bool? = nil) -> JSONValue {
        var o = OrderedObject()
        o["type"] = .string("object")
        o["description"] = description.map(JSONValue.string)
        if !properties.isEmpty { o["properties"] = .object(properties) }
        if !required.isEmpty { o["required"] = .strings(required) }
        o["additionalProperties"] = additional.map(JSONValue.bool)
        return o.value
    }

    /// Any JSON object.
    static func anyObject(_ description: String? = nil) -> JSONValue {
        object([], description: description, additional: true)
    }

    /// A reference to `#/components/schemas/<name>`.
    static func ref(_ name: String) -> JSONValue { .ref("schemas", name) }

    private static func type(_ name: String, _ nullable: Bool) -> JSONValue {
        nullable ? .strings([name, "null"]) : .string(name)
    }
}
