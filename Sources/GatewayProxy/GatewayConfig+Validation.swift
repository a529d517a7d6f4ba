import GatewayUpstream

extension GatewayConfig {
    /// Minimum notice between announcing a deprecation and the sunset.
    public static let minimumNoticeSeconds: Int64 = 90 * 86_400

    /// Paths the gateway serves itself; no operation may claim them.
    public static let reservedPathPrefixes = ["/oauth/", "/.well-known/", "/portal", "/healthz", "/readyz",
                                              "/metrics", "/openapi.json", "/changelog"]

    /// The rules a configuration must satisfy beyond its shape.
    func validationIssues() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func add(_ path: String, _ message: String) { issues.append(ConfigIssue(path: path, message: message)) }

        if apis.isEmpty { add("apis", "must list at least one API") }
        var apiNames: Set<String> = []
        // (version, method, path shape) → where it was first declared.
        var routeOwners: [String: String] = [:]
        for (a, api) in apis.enumerated() {
            let ap = "apis[\(a)]"
            if !api.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) || api.name.isEmpty {
                add("\(ap).name", "must use letters, digits, '-' or '_'")
            }
            if !apiNames.insert(api.name).inserted { add("\(ap).name", "duplicates another API's name \"\(api.name)\"") }
            if api.versions.isEmpty { add("\(ap).versions", "must list at least one version") }
            var versionNames: Set<String> = []
            for (v, version) in api.versions.enumerated() {
                let vp = "\(ap).versions[\(v)]"
                if version.version.isEmpty || !version.version.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) {
                    add("\(vp).version", "must be a path segment such as v1")
                }
                if !versionNames.insert(version.version).inserted {
                    add("\(vp).version", "duplicates version \"\(version.version)\"")
                }
                if let problem = UpstreamOrigin.problem(with: version.upstream) {
                    add("\(vp).upstream", "\(problem): an http(s) base URL such as http://127.0.0.1:9001 is expected")
                }
                issues += noticeIssues(version, path: vp, api: api, index: v)
            }
            if !api.versions.isEmpty && api.versions.allSatisfy({ $0.deprecatedAt != nil }) {
                add("\(ap).versions", "every version is deprecated: keep at least one current version for integrators to move to")
            }
            for (o, op) in api.operations.enumerated() {
                let op_ = "\(ap).operations[\(o)]"
                issues += operationIssues(op, path: op_, api: api)
                let shape = PathTemplate.shape(op.path)
                for version in api.versions where op.versions?.contains(version.version) ?? true {
                    let key = "\(version.version) \(op.method) \(shape)"
                    if let first = routeOwners[key] {
                        add(op_, "\(op.method) /\(version.version)\(op.path) is already declared at \(first)")
                    } else {
                        routeOwners[key] = op_
                    }
                    let full = "/\(version.version)\(op.path)"
                    if let reserved = GatewayConfig.reservedPathPrefixes.first(where: { full.hasPrefix($0) })
                        ?? (full == "/\(version.version)/openapi.json" ? full : nil)
                        ?? (full == "/v1/token/introspect" || full.hasPrefix("/v1/api-clients") ? full : nil) {
                        add("\(op_).path", "\(full) is served by the gateway itself (\(reserved))")
                    }
                }
            }
        }
        return issues
    }

    private func noticeIssues(_ version: VersionConfig, path vp: String, api: APIConfig, index v: Int) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if let sunset = version.sunset {
            if let deprecated = version.deprecatedAt {
                if sunset - deprecated < GatewayConfig.minimumNoticeSeconds {
                    let earliest = HTTPDate.isoDate(deprecated + GatewayConfig.minimumNoticeSeconds)
                    issues.append(ConfigIssue(path: "\(vp).sunset",
                        message: "must be at least 90 days after deprecated_at (\(HTTPDate.isoDate(deprecated))): \(earliest) at the earliest"))
                }
            } else {
                issues.append(ConfigIssue(path: "\(vp).deprecated_at",
                    message: "is required when sunset is set: announce the deprecation at least 90 days before the sunset"))
            }
        }
        // When every version is deprecated, the API-level issue says so once.
        if version.deprecatedAt != nil, !api.versions.allSatisfy({ $0.deprecatedAt != nil }) {
            let successors = api.versions[(v + 1)...].filter { $0.deprecatedAt == nil }
            if successors.isEmpty {
                issues.append(ConfigIssue(path: "\(vp).deprecated_at",
                    message: "a deprecated version needs a later, current version listed after it to move to"))
            }
        }
        if let link = version.link, !(link.hasPrefix("http://") || link.hasPrefix("https://") || link.hasPrefix("/")) {
            issues.append(ConfigIssue(path: "\(vp).link", message: "must be an http(s) URL or an absolute path"))
        }
        return issues
    }

    private func operationIssues(_ op: OperationConfig, path: String, api: APIConfig) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func add(_ p: String, _ m: String) { issues.append(ConfigIssue(path: p, message: m)) }
        let tokenChars = "!#$%&'*+-.^_`|~"
        if op.method.isEmpty || !op.method.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || tokenChars.contains($0)) }) {
            add("\(path).method", "must be an upper-case HTTP method such as GET or POST")
        }
        if let problem = PathTemplate.problem(op.path) { add("\(path).path", problem) }
        if op.isPublic {
            if !op.scopes.isEmpty { add("\(path).scopes", "a public operation takes no scopes") }
        } else if op.scopes.isEmpty {
            add("\(path).scopes", "must list at least one scope (deny by default), or mark the operation \"public\": true")
        }
        for (i, scope) in op.scopes.enumerated() where !ScopeSyntax.isValid(scope) {
            add("\(path).scopes[\(i)]", "must be a non-empty scope token without spaces or quotes (RFC 6749 §3.3)")
        }
        if let versions = op.versions {
            let known = Set(api.versions.map(\.version))
            for (i, name) in versions.enumerated() where !known.contains(name) {
                add("\(path).versions[\(i)]", "names no version of API \"\(api.name)\"")
            }
            if versions.isEmpty { add("\(path).versions", "must name at least one version, or be left out") }
        }
        return issues
    }
}

/// Scope tokens as RFC 6749 §3.3 defines them: printable ASCII except space, `"` and `\`.
public enum ScopeSyntax {
    public static func isValid(_ scope: String) -> Bool {
        !scope.isEmpty && scope.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }
}
