import Foundation
import GatewayHTTP

/// Places a JSON Schema from the configuration into `components.schemas`.
///
/// A schema written for a file of its own refers to its parts as `#/...`
/// (usually `#/$defs/X`); inside the document `#` is the document's root, so:
/// - each `$defs` (or `definitions`) member becomes a component of its own,
///   named `<Name><Def>`, and `#/$defs/Def` references point to it;
/// - any other `#/...` reference is re-rooted at `#/components/schemas/<Name>/...`;
/// - `$schema` and `$id` are dropped: the document declares the dialect, and
///   an `$id` would change what the rewritten references resolve against.
enum SchemaEmbedding {
    static func embed(_ schema: JSONValue, as name: String, taken: inout Set<String>) -> [(String, JSONValue)] {
        var defs: [(String, String, JSONValue)] = []  // (keyword, def name, schema)
        var root = OrderedObject(schema.objectValue ?? [])
        for keyword in ["$defs", "definitions"] {
            if let members = root[keyword]?.objectValue {
                for (defName, defSchema) in members { defs.append((keyword, defName, defSchema)) }
            }
            root.remove(keyword)
        }
        root.remove("$schema")
        root.remove("$id")
        var defNames: [String: String] = [:]  // "#/$defs/X" → component name
        for (keyword, defName, _) in defs {
            defNames["#/\(keyword)/\(escape(defName))"] = OperationPlan.unique(name + Naming.pascal(defName), in: &taken)
        }
        let rewrite = { (value: JSONValue) in rewriteRefs(value, root: name, defs: defNames) }
        var out: [(String, JSONValue)] = [(name, rewrite(root.value))]
        for (keyword, defName, defSchema) in defs {
            guard let component = defNames["#/\(keyword)/\(escape(defName))"] else { continue }
            out.append((component, rewrite(strip(defSchema))))
        }
        return out
    }

    private static func strip(_ schema: JSONValue) -> JSONValue {
        guard var o = schema.objectValue.map(OrderedObject.init) else { return schema }
        o.remove("$schema")
        o.remove("$id")
        return o.value
    }

    /// JSON Pointer escaping of one reference token (RFC 6901).
    private static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private static func rewriteRefs(_ value: JSONValue, root: String, defs: [String: String]) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.map { key, member in
                guard key == "$ref", case .string(let ref) = member, ref.hasPrefix("#") else {
                    return (key, rewriteRefs(member, root: root, defs: defs))
                }
                for (prefix, component) in defs where ref == prefix || ref.hasPrefix(prefix + "/") {
                    return (key, .string("#/components/schemas/\(component)" + ref.dropFirst(prefix.count)))
                }
                return (key, .string("#/components/schemas/\(root)" + ref.dropFirst()))
            })
        case .array(let items):
            return .array(items.map { rewriteRefs($0, root: root, defs: defs) })
        default:
            return value
        }
    }
}
