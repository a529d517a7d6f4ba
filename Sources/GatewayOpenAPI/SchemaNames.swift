import GatewayHTTP

/// Rules for schema component names that keep the generated SDKs compiling.
enum SchemaNames {
    /// Names the SDK generators give their own types (Python's `ApiClient`,
    /// `Configuration`, `ApiResponse`; typescript-fetch's runtime types; Go's
    /// `APIClient`, `ServerConfiguration`): a model with one of these names
    /// would shadow or clash with it.
    static let generatorReserved: Set<String> = [
        "ApiClient", "APIClient", "ApiException", "ApiResponse", "APIResponse", "ApiTypeError", "ApiValueError",
        "ApiKeyError", "ApiAttributeError", "Configuration", "RESTClientObject", "RESTResponse", "Exceptions",
        "BaseAPI", "BaseApi", "RequiredError", "ResponseError", "FetchError", "JSONApiResponse", "TextApiResponse",
        "BlobApiResponse", "VoidApiResponse", "Middleware", "RequestContext", "ResponseContext", "ErrorContext",
        "HTTPHeaders", "HTTPQuery", "HTTPBody", "HTTPMethod", "ModelPropertyNaming", "InitOverrideFunction",
        "ServerConfiguration", "ServerConfigurations", "ServerVariable", "GenericOpenAPIError", "NullableBool",
        "NullableInt", "NullableString", "NullableFloat32", "NullableFloat64", "NullableTime", "MappedNullable",
        "Object", "Date", "File", "Error", "Any", "String", "Number", "Integer", "Boolean", "Array", "Map",
    ]

    /// Renames so that no name is `New<Other>` or `New<Other>WithDefaults`
    /// for another name `<Other>` in the set (Go constructors). Each clashing
    /// name gets `Model` appended, as often as needed.
    static func goConstructorClashes(_ names: Set<String>) -> [String: String] {
        var renames: [String: String] = [:]
        var current = names
        for name in names.sorted() {
            var candidate = name
            while clashes(candidate, current.subtracting([candidate])) {
                candidate += "Model"
            }
            if candidate != name {
                renames[name] = candidate
                current.remove(name)
                current.insert(candidate)
            }
        }
        return renames
    }

    private static func clashes(_ name: String, _ others: Set<String>) -> Bool {
        guard name.hasPrefix("New"), name.count > 3 else { return false }
        let rest = String(name.dropFirst(3))
        if others.contains(rest) { return true }
        if rest.hasSuffix("WithDefaults"), others.contains(String(rest.dropLast("WithDefaults".count))) { return true }
        return false
    }

    /// Rewrites `$ref`s to renamed schema components.
    static func renameRefs(_ value: JSONValue, _ renames: [String: String]) -> JSONValue {
        let prefix = "#/components/schemas/"
        switch value {
        case .object(let members):
            return .object(members.map { key, member in
                if key == "$ref", case .string(let ref) = member, ref.hasPrefix(prefix) {
                    let rest = ref.dropFirst(prefix.count)
                    let name = String(rest.prefix { $0 != "/" })
                    if let renamed = renames[name] {
                        return (key, .string(prefix + renamed + rest.dropFirst(name.count)))
                    }
                }
                return (key, renameRefs(member, renames))
            })
        case .array(let items):
            return .array(items.map { renameRefs($0, renames) })
        default:
            return value
        }
    }
}
