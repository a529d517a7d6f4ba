import GatewayHTTP
import GatewayProxy

/// The changelog of API versions, built from the configuration: one entry
/// per deprecated version, newest announcement first. Served as JSON at
/// `GET /changelog` and as an Atom 1.0 feed at `GET /changelog.atom`.
///
/// Entries depend on the configuration only (never on the clock), so their
/// ids and the documents are stable across restarts and reloads: a feed
/// reader sees an entry once, and again only when its content changes.
public struct Changelog: Sendable {
    /// One deprecated version.
    public struct Entry: Sendable, Equatable {
        /// Stable id: `<issuer>/changelog#<api>-<version>`.
        public var id: String
        public var api: String
        public var version: String
        /// When the deprecation was announced (seconds since the epoch).
        public var deprecatedAt: Int64
        /// When the version stops answering (410 afterwards), if set.
        public var sunset: Int64?
        /// The first later version that is not deprecated.
        public var successor: String?
        /// Where integrators read about the change (absolute: a configured path is put under `baseURL`).
        public var link: String?

        public var title: String { "\(api) \(version) is deprecated" }

        /// One paragraph for people: what, when, what to do.
        public var summary: String {
            var text = "\(api) \(version) is deprecated since \(InfoText.date(deprecatedAt))."
            if let sunset {
                text += " It stops answering on \(InfoText.date(sunset)); requests after that get 410 Gone."
            }
            if let successor { text += " Move to \(successor)." }
            if let link { text += " Details: \(link)" }
            return text
        }
    }

    /// The base URL the ids and links use (the issuer, without a trailing slash).
    public var baseURL: String
    public var entries: [Entry]

    public init(config: GatewayConfig) {
        let base = OpenAPIGenerator.trimmedIssuer(config)
        baseURL = base
        var entries: [Entry] = []
        for api in config.apis {
            for (index, version) in api.versions.enumerated() {
                guard let deprecatedAt = version.deprecatedAt else { continue }
                let successor = api.versions[(index + 1)...].first { $0.deprecatedAt == nil }?.version
                entries.append(Entry(id: "\(base)/changelog#\(api.name)-\(version.version)", api: api.name,
                                     version: version.version, deprecatedAt: deprecatedAt, sunset: version.sunset,
                                     successor: successor,
                                     link: version.link.map { $0.hasPrefix("/") ? base + $0 : $0 }))
            }
        }
        self.entries = entries.sorted { a, b in
            if a.deprecatedAt != b.deprecatedAt { return a.deprecatedAt > b.deprecatedAt }
            if a.api != b.api { return a.api < b.api }
            return a.version < b.version
        }
    }

    /// When the changelog last changed: the newest announcement, or the epoch when there is none.
    public var updated: Int64 { entries.map(\.deprecatedAt).max() ?? 0 }

    public var feedURL: String { baseURL + "/changelog.atom" }

    /// The `GET /changelog` document (schema `Changelog` in the OpenAPI document).
    public var json: JSONValue {
        .object([
            ("feed", .string(feedURL)),
            ("entries", .array(entries.map { entry in
                .object([
                    ("id", .string(entry.id)),
                    ("api", .string(entry.api)),
                    ("version", .string(entry.version)),
                    ("status", .string("deprecated")),
                    ("deprecated_at", .string(HTTPDate.rfc3339(entry.deprecatedAt))),
                    ("sunset", entry.sunset.map { .string(HTTPDate.rfc3339($0)) } ?? .null),
                    ("successor", entry.successor.map(JSONValue.string) ?? .null),
                    ("link", entry.link.map(JSONValue.string) ?? .null),
                    ("title", .string(entry.title)),
                    ("summary", .string(entry.summary)),
                ])
            })),
        ])
    }
}
