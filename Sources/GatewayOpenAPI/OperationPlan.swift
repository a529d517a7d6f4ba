import GatewayHTTP
import GatewayProxy

/// Every configured operation of every version, with the names the document
/// gives it, decided once before anything is written: full path (with the
/// parameter names of the first template of the same shape), a unique
/// operation id, and the names of its request and response schemas.
struct OperationPlan {
    struct Entry {
        var api: APIConfig
        var version: VersionConfig
        /// The version after this one that is not deprecated, if any.
        var successor: String?
        var operation: OperationConfig
        var method: String
        var fullPath: String
        var operationID: String
        var summary: String
        var requestSchemaName: String?
        var responseSchemaName: String?
        /// Schema component name → schema, for the request and response schemas and their `$defs`.
        var schemas: [(String, JSONValue)] = []
    }

    /// Methods a path item can hold, in the order the document lists them.
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    private(set) var entries: [Entry] = []

    /// Plans every operation. `reservedIDs` are the operation ids of the
    /// built-in endpoints; `reservedSchemas` their schema names.
    init(config: GatewayConfig, reservedIDs: Set<String>, reservedSchemas: Set<String>) {
        var ids = reservedIDs
        var shapePaths: [String: String] = [:]
        for api in config.apis {
            for (index, version) in api.versions.enumerated() {
                let successor = api.versions[(index + 1)...].first { $0.deprecatedAt == nil }?.version
                for op in api.operations where op.versions?.contains(version.version) ?? true {
                    let method = op.method.lowercased()
                    guard Self.methods.contains(method) else { continue }
                    let shapeKey = "/\(version.version)" + Self.shape(op.path)
                    let fullPath = shapePaths[shapeKey] ?? "/\(version.version)\(op.path == "/" ? "" : op.path)"
                    shapePaths[shapeKey] = fullPath
                    let words = Naming.operationWords(method: op.method, path: op.path)
                    let base = op.operationID.map { id in
                        id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? id : Naming.camel(Naming.words(id))
                    } ?? Naming.camel(words)
                    let suffix = Naming.pascal(version.version)
                    var id = base + suffix, n = 1
                    while ids.contains(id) {
                        n += 1
                        id = base + String(n) + suffix
                    }
                    ids.insert(id)
                    let summary = op.summary ?? Naming.capitalized(words.joined(separator: " "))
                    entries.append(Entry(api: api, version: version, successor: successor, operation: op,
                                         method: method, fullPath: fullPath, operationID: id, summary: summary))
                }
            }
        }
        nameSchemas(reserved: reservedSchemas, operationIDs: ids)
    }

    /// `/ledger/entries/{}`: the template with parameter names erased.
    static func shape(_ template: String) -> String {
        PathTemplate.segments(template).map { segment in
            if case .literal(let l) = segment { "/" + l } else { "/{}" }
        }.joined()
    }

    static func unique(_ candidate: String, in taken: inout Set<String>) -> String {
        var name = candidate
        var n = 2
        while taken.contains(name) {
            name = candidate + String(n)
            n += 1
        }
        taken.insert(name)
        return name
    }

    /// Names the request and response schemas (`<OperationId>Body`,
    /// `<OperationId>Result`, and `<that><Def>` for their `$defs`), avoiding
    /// names the SDK generators use themselves and the Go `New<Other>` clash.
    private mutating func nameSchemas(reserved: Set<String>, operationIDs: Set<String>) {
        var taken = reserved.union(SchemaNames.generatorReserved)
        for id in operationIDs {
            taken.insert(Naming.pascal(id) + "Request")       // typescript-fetch request parameter types
            taken.insert("Api" + Naming.pascal(id) + "Request") // go request builder types
        }
        var planned: [(entry: Int, isRequest: Bool, name: String, schema: JSONValue)] = []
        for (i, entry) in entries.enumerated() {
            let stem = Naming.pascal(entry.operationID)
            if let schema = entry.operation.requestSchema {
                planned.append((i, true, Self.unique(stem + "Body", in: &taken), schema))
            }
            if let schema = entry.operation.responseSchema {
                planned.append((i, false, Self.unique(stem + "Result", in: &taken), schema))
            }
        }
        for item in planned {
            let embedded = SchemaEmbedding.embed(item.schema, as: item.name, taken: &taken)
            if item.isRequest {
                entries[item.entry].requestSchemaName = item.name
            } else {
                entries[item.entry].responseSchemaName = item.name
            }
            entries[item.entry].schemas += embedded
        }
        // The Go generator writes a constructor `New<Model>()` for every model:
        // a model called `New<Other>` (or `New<Other>WithDefaults`) must not exist.
        let all = Set(reserved).union(entries.flatMap { $0.schemas.map(\.0) })
        let renames = SchemaNames.goConstructorClashes(all)
        guard !renames.isEmpty else { return }
        for i in entries.indices {
            entries[i].schemas = entries[i].schemas.map { (renames[$0.0] ?? $0.0, SchemaNames.renameRefs($0.1, renames)) }
            entries[i].requestSchemaName = entries[i].requestSchemaName.map { renames[$0] ?? $0 }
            entries[i].responseSchemaName = entries[i].responseSchemaName.map { renames[$0] ?? $0 }
        }
    }
}
