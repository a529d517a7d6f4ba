import GatewayHTTP

/// JSON for the command line's stdout: one line per document, `": "` and `", "` between
/// members (`{"client_id": "cl_…", "client_secret": "…"}`), easy to read and to cut with
/// `jq` or `sed`.
enum CLIJSON {
    static func line(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    static func print(_ value: JSONValue) {
        Swift.print(line(value))
    }

    private static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                write(item, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { out += ", " }
                out += JSONText.quoted(key) + ": "
                write(member, into: &out)
            }
            out += "}"
        default:
            out += value.serialized
        }
    }

    /// Splits a `--scopes a,b c` value on commas and spaces.
    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
}
