import GatewayHTTP

/// A JSON object under construction that keeps members in insertion order,
/// so generated documents are byte-for-byte stable. Setting a key that is
/// already present replaces its value in place; setting `nil` does nothing.
struct OrderedObject {
    private(set) var members: [(String, JSONValue)] = []

    init() {}

    init(_ members: [(String, JSONValue)]) {
        self.members = members
    }

    subscript(key: String) -> JSONValue? {
        get { members.last { $0.0 == key }?.1 }
        set {
            guard let newValue else { return }
            if let i = members.firstIndex(where: { $0.0 == key }) {
                members[i].1 = newValue
            } else {
                members.append((key, newValue))
            }
        }
    }

    mutating func remove(_ key: String) {
        members.removeAll { $0.0 == key }
    }

    var isEmpty: Bool { members.isEmpty }
    var value: JSONValue { .object(members) }
}

extension JSONValue {
    /// An array of strings.
    static func strings(_ items: [String]) -> JSONValue { .array(items.map { .string($0) }) }

    /// `{"$ref": "#/components/<section>/<name>"}`.
    static func ref(_ section: String, _ name: String) -> JSONValue {
        .object([("$ref", .string("#/components/\(section)/\(name)"))])
    }
}
