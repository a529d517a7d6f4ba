import GatewayProxy

extension Changelog {
    public static let atomContentType = "application/atom+xml; charset=utf-8"

    /// The changelog as an Atom 1.0 feed (RFC 4287): feed id and entry ids
    /// are stable URLs, `updated` is the announcement time, every text is
    /// XML-escaped.
    public var atom: String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        xml += "  <id>\(escape(feedURL))</id>\n"
        xml += "  <title>\(escape(OpenAPIGenerator.title)) changelog</title>\n"
        xml += "  <subtitle>Deprecations and sunsets of API versions.</subtitle>\n"
        xml += "  <updated>\(HTTPDate.rfc3339(updated))</updated>\n"
        xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(escape(feedURL))\"/>\n"
        xml += "  <link rel=\"alternate\" type=\"application/json\" href=\"\(escape(baseURL + "/changelog"))\"/>\n"
        xml += "  <author><name>\(escape(OpenAPIGenerator.title))</name></author>\n"
        for entry in entries {
            xml += "  <entry>\n"
            xml += "    <id>\(escape(entry.id))</id>\n"
            xml += "    <title>\(escape(entry.title))</title>\n"
            xml += "    <published>\(HTTPDate.rfc3339(entry.deprecatedAt))</published>\n"
            xml += "    <updated>\(HTTPDate.rfc3339(entry.deprecatedAt))</updated>\n"
            if let link = entry.link {
                xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(escape(link))\"/>\n"
            }
            xml += "    <category term=\"\(escape(entry.api))\"/>\n"
            xml += "    <summary type=\"text\">\(escape(entry.summary))</summary>\n"
            xml += "  </entry>\n"
        }
        xml += "</feed>\n"
        return xml
    }

    /// Escapes the five XML special characters and drops characters XML 1.0 forbids.
    func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0xFFFE...0xFFFF).contains(v) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
