import GatewayHTTP
import GatewayProxy

/// The gateway's documentation endpoints for one configuration:
/// `/openapi.json`, `/{version}/openapi.json` for every configured version,
/// `/changelog` and `/changelog.atom`. Every document is rendered once
/// here; a reload builds new routes from the new configuration.
public enum OpenAPIRoutes {
    public static let jsonContentType = "application/json"

    /// Local routes to plug into the pipeline.
    public static func localRoutes(config: GatewayConfig) -> [LocalRoute] {
        documents(config: config).map { path, responder in
            LocalRoute(.exact(path), maxBodyBytes: 0, crossOriginMethods: ["GET", "HEAD"], responder: responder)
        }
    }

    /// Path → responder, in a fixed order (the full document first).
    public static func documents(config: GatewayConfig) -> [(String, StaticDocumentResponder)] {
        var out: [(String, StaticDocumentResponder)] = []
        func add(_ path: String, _ contentType: String, _ text: String) {
            out.append((path, StaticDocumentResponder(contentType: contentType, body: Array(text.utf8))))
        }
        if let document = try? OpenAPIGenerator.document(for: config) {
            add("/openapi.json", jsonContentType, document.serialized)
        }
        for version in OpenAPIGenerator.versions(of: config) {
            if let document = try? OpenAPIGenerator.document(for: config, version: version) {
                add("/\(version)/openapi.json", jsonContentType, document.serialized)
            }
        }
        let changelog = Changelog(config: config)
        add("/changelog", jsonContentType, changelog.json.serialized)
        add("/changelog.atom", Changelog.atomContentType, changelog.atom)
        return out
    }
}
