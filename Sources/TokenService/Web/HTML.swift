/// Escaping for server-rendered HTML: every piece of text that did not come from a
/// template literal goes through `escape` (element content and quoted attribute values
/// alike), so names, scopes, URIs and messages can never become markup.
public enum HTML {
    public static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if character.value < 0x20 && character != "\n" && character != "\t" {
                    out += "&#xFFFD;"
                } else {
                    out.unicodeScalars.append(character)
                }
            }
        }
        return out
    }

    /// A hidden form field.
    public static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }
}
