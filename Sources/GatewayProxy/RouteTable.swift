import GatewayHTTP

/// The compiled, immutable route table: version prefix + operation path
/// templates → operation and upstream. Built once per configuration and
/// shared by every event loop.
public final class RouteTable: Sendable {
    /// A version's lifecycle, precomputed from the configuration (one shared instance per version).
    public final class VersionPolicy: Sendable {
        public let api: String
        public let version: String
        /// Headers every answer from this version carries (`Deprecation`, `Sunset`, `Link`).
        public let headers: [(String, String)]
        /// After this instant (seconds since the epoch) the version answers 410.
        public let sunset: Int64?
        /// The version integrators should move to.
        public let successor: String?

        init(api: String, version: String, headers: [(String, String)], sunset: Int64?, successor: String?) {
            self.api = api
            self.version = version
            self.headers = headers
            self.sunset = sunset
            self.successor = successor
        }
    }

    public enum Lookup: Sendable {
        case matched(RouteMatch, VersionPolicy)
        /// The path exists, the method does not: the methods that do.
        case methodNotAllowed(allow: [String])
        case notFound
        /// The version is past its sunset.
        case gone(VersionPolicy)
        /// The path is not acceptable (dot segments, encoded slashes).
        case badPath(String)
    }

    private final class Node: @unchecked Sendable {
        // Mutated only while the table is built, read-only afterwards.
        var literals: [String: Node] = [:]
        var parameter: Node?
        var methods: [String: (RouteMatch, VersionPolicy)] = [:]
    }

    private let roots: [String: Node]

    public init(config: GatewayConfig) {
        var roots: [String: Node] = [:]
        for api in config.apis {
            for (index, version) in api.versions.enumerated() {
                let policy = Self.policy(api: api, index: index)
                let root = roots[version.version] ?? Node()
                roots[version.version] = root
                for op in api.operations where op.versions?.contains(version.version) ?? true {
                    var node = root
                    for segment in PathTemplate.segments(op.path) {
                        switch segment {
                        case .literal(let text):
                            let next = node.literals[text] ?? Node()
                            node.literals[text] = next
                            node = next
                        case .parameter:
                            let next = node.parameter ?? Node()
                            node.parameter = next
                            node = next
                        }
                    }
                    let upstream = UpstreamTarget(
                        baseURL: version.upstream,
                        connectTimeoutMillis: version.connectTimeoutMillis ?? config.connectTimeoutMillis,
                        totalTimeoutMillis: op.timeoutMillis ?? version.timeoutMillis ?? config.timeoutMillis,
                        forwardAuthorization: version.forwardAuthorization)
                    let compiled = CompiledOperation(method: op.method, pathTemplate: op.path, scopes: op.scopes,
                                                     isPublic: op.isPublic, debugLog: op.debugLog)
                    node.methods[op.method] = (RouteMatch(api: api.name, version: version.version,
                                                          operation: compiled, upstream: upstream), policy)
                }
            }
        }
        self.roots = roots
    }

    private static func policy(api: APIConfig, index: Int) -> VersionPolicy {
        let version = api.versions[index]
        var headers: [(String, String)] = []
        if let deprecated = version.deprecatedAt { headers.append(("Deprecation", "@\(deprecated)")) }
        if let sunset = version.sunset { headers.append(("Sunset", HTTPDate.imfFixdate(sunset))) }
        if version.deprecatedAt != nil, let link = version.link {
            headers.append(("Link", "<\(link)>; rel=\"deprecation\"; type=\"text/html\""))
        }
        let successor = api.versions[(index + 1)...].first { $0.deprecatedAt == nil }?.version
        if version.deprecatedAt != nil, let successor {
            headers.append(("Link", "</\(successor)>; rel=\"successor-version\""))
        }
        return VersionPolicy(api: api.name, version: version.version, headers: headers, sunset: version.sunset,
                             successor: successor)
    }

    /// Matches a request. `now` (seconds since the epoch) decides sunsets.
    public func lookup(method: String, path: Substring, now: Int64) -> Lookup {
        let utf8 = path.utf8
        guard utf8.first == UInt8(ascii: "/") else { return .badPath("the path must start with '/'") }
        if Self.hasEncodedSeparator(path) {
            return .badPath("percent-encoded '/', '\\' or '.' are not accepted in paths")
        }
        let parts = Self.segments(path)
        if parts.contains(where: { $0 == "." || $0 == ".." }) { return .badPath("dot segments are not accepted") }
        guard let versionPart = parts.first, let root = roots[String(versionPart)] else { return .notFound }
        guard let node = Self.match(root, parts[1...]) else { return .notFound }
        let entry = node.methods[method] ?? (method == "HEAD" ? node.methods["GET"] : nil)
        guard let (route, policy) = entry else {
            var allow = Set(node.methods.keys)
            if allow.contains("GET") { allow.insert("HEAD") }
            return .methodNotAllowed(allow: allow.sorted())
        }
        if let sunset = policy.sunset, now >= sunset { return .gone(policy) }
        return .matched(route, policy)
    }

    /// The segments after the leading `/`, split on bytes (`/a//b` → `a`, ``, `b`).
    private static func segments(_ path: Substring) -> ArraySlice<Substring> {
        let utf8 = path.utf8
        var parts: [Substring] = []
        parts.reserveCapacity(6)
        var start = utf8.index(after: utf8.startIndex)
        var i = start
        while i != utf8.endIndex {
            if utf8[i] == UInt8(ascii: "/") {
                parts.append(Substring(utf8[start..<i]))
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        parts.append(Substring(utf8[start..<utf8.endIndex]))
        return parts[...]
    }

    private static func match(_ node: Node, _ parts: ArraySlice<Substring>) -> Node? {
        guard let part = parts.first else { return node.methods.isEmpty ? nil : node }
        let rest = parts.dropFirst()
        if !node.literals.isEmpty, let next = node.literals[String(part)], let found = match(next, rest) { return found }
        if !part.isEmpty, let param = node.parameter { return match(param, rest) }
        return nil
    }

    private static func hasEncodedSeparator(_ path: Substring) -> Bool {
        var it = path.utf8.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "\\") { return true }
            guard c == UInt8(ascii: "%") else { continue }
            guard let h = it.next(), let l = it.next() else { return true }
            if h == UInt8(ascii: "2"), l == UInt8(ascii: "f") || l == UInt8(ascii: "F") || l == UInt8(ascii: "e") || l == UInt8(ascii: "E") {
                return true
            }
            if h == UInt8(ascii: "5"), l == UInt8(ascii: "c") || l == UInt8(ascii: "C") { return true }
        }
        return false
    }
}
