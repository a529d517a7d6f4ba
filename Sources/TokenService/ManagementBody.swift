import GatewayHTTP

/// Decoding of the management API's JSON bodies, strictly: `Content-Type:
/// application/json`, one JSON object, no unknown or repeated keys, each value of the
/// documented type. Problems are reported as `ClientRequest.Invalid` naming the member.
enum ManagementBody {
    static let createKeys: Set<String> = ["name", "scopes", "external_id", "rpm", "redirect_uris", "public"]

    /// Whether the content type is JSON (`application/json`, parameters allowed).
    static func isJSON(_ request: HTTPServerRequest) -> Bool {
        let values = request.head.headers.values(name: "Content-Type")
        guard values.count == 1, let type = values[0].split(separator: ";").first else { return false }
        return type.trimmingASCIIWhitespace().equalsIgnoringASCIICase("application/json")
    }

    /// The members of a JSON object body, refusing unknown and repeated keys.
    static func object(_ body: [UInt8], allowed: Set<String>) throws(ClientRequest.Invalid) -> [String: JSONValue] {
        let value: JSONValue
        do throws(JSONParser.Error) {
            value = try JSONParser.parse(body, maxDepth: 8)
        } catch {
            throw ClientRequest.Invalid(field: "body", problem: "is not valid JSON (\(error.reason) at byte \(error.offset))")
        }
        guard let members = value.objectValue else {
            throw ClientRequest.Invalid(field: "body", problem: "must be a JSON object, found \(value.typeName)")
        }
        var out: [String: JSONValue] = [:]
        for (key, member) in members {
            guard allowed.contains(key) else {
                let list = allowed.sorted().joined(separator: ", ")
                throw ClientRequest.Invalid(field: String(key.prefix(60)), problem: "unknown key; allowed keys are \(list)")
            }
            guard out.updateValue(member, forKey: key) == nil else {
                throw ClientRequest.Invalid(field: key, problem: "appears more than once")
            }
        }
        return out
    }

    /// A `ClientRequest` from a create body.
    static func clientRequest(_ body: [UInt8]) throws(ClientRequest.Invalid) -> ClientRequest {
        let members = try object(body, allowed: createKeys)
        guard let nameValue = members["name"] else {
            throw ClientRequest.Invalid(field: "name", problem: "is required")
        }
        let name = try string(nameValue, "name")
        guard let scopesValue = members["scopes"] else {
            throw ClientRequest.Invalid(field: "scopes", problem: "is required (an array of scope strings)")
        }
        let scopes = try strings(scopesValue, "scopes")
        var externalID: String?
        if let value = members["external_id"].flatMap(optional) { externalID = try string(value, "external_id") }
        var rpm: Int?
        if let value = members["rpm"].flatMap(optional) {
            guard case .integer(let number) = value, let small = Int(exactly: number) else {
                throw ClientRequest.Invalid(field: "rpm", problem: "must be a whole number, found \(value.typeName)")
            }
            rpm = small
        }
        var redirectURIs: [String] = []
        if let value = members["redirect_uris"].flatMap(optional) { redirectURIs = try strings(value, "redirect_uris") }
        var isPublic = false
        if let value = members["public"].flatMap(optional) {
            guard case .bool(let flag) = value else {
                throw ClientRequest.Invalid(field: "public", problem: "must be true or false, found \(value.typeName)")
            }
            isPublic = flag
        }
        let request = ClientRequest(name: name, scopes: scopes, externalID: externalID, rpm: rpm,
                                    redirectURIs: redirectURIs, isPublic: isPublic)
        try request.validate()
        return request
    }

    /// The optional `reason` of a revoke body (an empty body means none).
    static func revokeReason(_ body: [UInt8]) throws(ClientRequest.Invalid) -> String? {
        guard body.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return nil }
        let members = try object(body, allowed: ["reason"])
        guard let value = members["reason"].flatMap(optional) else { return nil }
        let reason = try string(value, "reason")
        guard ClientAdministration.isReasonCode(reason) else {
            throw ClientRequest.Invalid(field: "reason",
                                        problem: "must be a short code of 1–64 characters a-z 0-9 _ . - (e.g. compromised)")
        }
        return reason
    }

    private static func optional(_ value: JSONValue) -> JSONValue? {
        value == .null ? nil : value
    }

    private static func string(_ value: JSONValue, _ field: String) throws(ClientRequest.Invalid) -> String {
        guard let text = value.stringValue else {
            throw ClientRequest.Invalid(field: field, problem: "must be a string, found \(value.typeName)")
        }
        return text
    }

    private static func strings(_ value: JSONValue, _ field: String) throws(ClientRequest.Invalid) -> [String] {
        guard let items = value.arrayValue else {
            throw ClientRequest.Invalid(field: field, problem: "must be an array of strings, found \(value.typeName)")
        }
        var out: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else {
                throw ClientRequest.Invalid(field: "\(field)[\(index)]", problem: "must be a string, found \(item.typeName)")
            }
            out.append(text)
        }
        return out
    }
}
