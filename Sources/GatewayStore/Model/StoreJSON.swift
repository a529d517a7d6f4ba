import FoundationEssentials

/// The small amount of JSON the store writes itself: string arrays (redirect URIs) and
/// flat string objects (audit `data`), both with a deterministic byte form.
package enum StoreJSON {
    /// `value` as a JSON string literal (RFC 8259 §7), non-ASCII kept as UTF-8.
    package static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `["a","b"]`.
    package static func array(_ values: [String]) -> String {
        "[" + values.map(quote).joined(separator: ",") + "]"
    }

    /// `{"k":"v",…}` with keys in byte order, so equal dictionaries give equal text.
    package static func object(_ values: [String: String]) -> String {
        let keys = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        return "{" + keys.map { quote($0) + ":" + quote(values[$0]!) }.joined(separator: ",") + "}"
    }

    /// Decodes a JSON array of strings; malformed text yields an empty array.
    package static func decodeArray(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// Decodes a flat JSON object of strings; malformed text yields an empty dictionary.
    package static func decodeObject(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
