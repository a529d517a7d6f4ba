/// A parsed JSON document, as `JSONParser` produces it for JOSE headers, claim
/// sets and JWK sets.
///
/// Objects keep their members in document order; `JSONParser` guarantees member
/// names are unique, so `subscript(key)` is unambiguous.
internal enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}

/// A JSON object with unique member names, in document order.
internal struct JSONObject: Sendable, Equatable {
    var members: [(name: String, value: JSONValue)]

    init(members: [(name: String, value: JSONValue)] = []) {
        self.members = members
    }

    /// The member called `name` (byte-exact comparison), if any.
    subscript(name: String) -> JSONValue? {
        for member in members where UTF8Bytes.equal(member.name, name) { return member.value }
        return nil
    }

    static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count
            && zip(a.members, b.members).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
