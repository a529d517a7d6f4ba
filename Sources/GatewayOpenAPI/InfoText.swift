import GatewayProxy

/// The prose of the document: its description and the notes on deprecated versions.
enum InfoText {
    /// `2027-03-01` for midnight UTC, else `2027-03-01T12:00:00Z`.
    static func date(_ seconds: Int64) -> String {
        seconds % 86_400 == 0 ? HTTPDate.isoDate(seconds) : HTTPDate.rfc3339(seconds)
    }

    static func deprecationNote(_ entry: OperationPlan.Entry) -> String {
        let version = entry.version
        var text = "**Deprecated**"
        if let at = version.deprecatedAt { text += " since \(date(at))" }
        text += "."
        if let sunset = version.sunset {
            text += " \(version.version) stops answering on \(date(sunset)) and answers 410 Gone afterwards."
        }
        if let successor = entry.successor {
            text += " Move to \(successor) (`/\(successor)\(entry.operation.path)`)."
        }
        if let link = version.link { text += " Details: \(link)" }
        return text
    }

    static func description(_ config: GatewayConfig, version: String?) -> String {
        var lines = [
            "The gateway's APIs and its own endpoints, generated from its configuration"
                + (version.map { " (operations of \($0) only)" } ?? "") + ".",
            "",
            "Authenticate with OAuth 2.0: get an access token from `POST /oauth/token` (client credentials, "
                + "or authorization code with PKCE) and send it as `Authorization: Bearer <token>`. "
                + "Each operation lists the scopes it needs.",
            "",
            "Every answer carries `X-Request-Id`; proxied answers carry `RateLimit-Policy` and `RateLimit`, "
                + "and a client over its rate (on public operations: an address over the public rate) gets 429 "
                + "with `Retry-After`. Errors the gateway makes are "
                + "RFC 9457 problem documents (`application/problem+json`).",
            "",
            "Versions are deprecated at least 90 days before their sunset. A deprecated version's answers carry "
                + "`Deprecation`, `Sunset` and `Link`; after the sunset it answers 410. `GET /changelog` and "
                + "`GET /changelog.atom` list every deprecation.",
            "",
            "APIs:",
        ]
        for api in config.apis {
            let versions = api.versions.filter { version == nil || $0.version == version }
            guard !versions.isEmpty else { continue }
            let parts = versions.map { v -> String in
                guard let at = v.deprecatedAt else { return v.version }
                var note = "deprecated \(date(at))"
                if let sunset = v.sunset { note += ", sunset \(date(sunset))" }
                return "\(v.version) (\(note))"
            }
            lines.append("- \(api.name): " + parts.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
