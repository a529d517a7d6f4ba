/// Scopes in words, for the consent page and the portal: a person deciding whether to let
/// an application act for them must read what each scope allows, not a token such as
/// `ledger:write`.
///
/// A scope is described by, in order: an explicit sentence from
/// `TokenServiceConfiguration.scopeDescriptions` (the composition fills it from the
/// operations in `routes.json`, see `descriptions(operations:)`); the built-in words for
/// `clients:read` and `clients:write`; its shape — `<thing>:read` → "Read <thing> data",
/// `<thing>:write` → "Create and change <thing> data"; otherwise "Use the permission
/// <scope>". Pure.
public struct ScopeCatalog: Sendable {
    /// One operation of the route table that needs scopes.
    public struct Operation: Sendable, Equatable {
        public var method: String
        public var path: String
        public var summary: String?
        public var scopes: [String]

        public init(method: String, path: String, summary: String?, scopes: [String]) {
            self.method = method
            self.path = path
            self.summary = summary
            self.scopes = scopes
        }
    }

    public let explicit: [String: String]

    public init(descriptions: [String: String] = [:]) {
        explicit = descriptions
    }

    /// The words for `scope`.
    public func describe(_ scope: String) -> String {
        explicit[scope] ?? Self.base(scope)
    }

    /// Sentences for every scope the operations name: the base words plus what the scope
    /// lets an application call (at most four operations, then "and N more").
    public static func descriptions(operations: [Operation]) -> [String: String] {
        var uses: [String: [String]] = [:]
        for operation in operations {
            let label = operation.summary.map { "\($0) (\(operation.method) \(operation.path))" }
                ?? "\(operation.method) \(operation.path)"
            for scope in operation.scopes where !(uses[scope]?.contains(label) ?? false) {
                uses[scope, default: []].append(label)
            }
        }
        var out: [String: String] = [:]
        for (scope, labels) in uses {
            let shown = labels.prefix(4).joined(separator: "; ")
            let more = labels.count > 4 ? "; and \(labels.count - 4) more" : ""
            out[scope] = base(scope) + " — " + shown + more
        }
        return out
    }

    /// Words from the scope's name alone.
    public static func base(_ scope: String) -> String {
        switch scope {
        case "clients:read": return "See the API applications registered for your organisation"
        case "clients:write": return "Register, re-key and revoke API applications for your organisation"
        default: break
        }
        let parts = scope.split(separator: ":", maxSplits: 1)
        if parts.count == 2 {
            let thing = String(parts[0].map { $0 == "_" ? " " : $0 })
            switch parts[1] {
            case "read": return "Read your organisation's \(thing) data"
            case "write": return "Create and change your organisation's \(thing) data"
            case "admin": return "Administer your organisation's \(thing) data"
            default: break
            }
        }
        return "Use the permission \(scope)"
    }
}
