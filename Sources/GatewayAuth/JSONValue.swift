/// A parsed JSON document, as `JSONParser` produces it for JOSE headers, claim
/// sets and JWK sets.
///
/// Objects keep their members in document order; `JSONParser` guarantees member
/// names are unique, so `subscript(key)` is unambiguous.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    package var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}

/// A JSON object with unique member names, in document order.
package struct JSONObject: Sendable, Equatable {
    package var members: [(name: String, value: JSONValue)]

    package init(members: [(name: String, value: JSONValue)] = []) {
        self.members = members
    }

    /// The member called `name` (byte-exact comparison), if any.
    package subscript(name: String) -> JSONValue? {
        for member in members where UTF8Bytes.equal(member.name, name) { return member.value }
        return nil
    }

    package static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count
            && zip(a.members, b.members).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
