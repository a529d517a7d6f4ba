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
        var literals = SmallByteMap<Node>()
        var parameter: Node?
        var methods: [(method: String, route: RouteMatch, policy: VersionPolicy)] = []

        func entry(for method: String) -> (RouteMatch, VersionPolicy)? {
            for entry in methods where entry.method == method { return (entry.route, entry.policy) }
            return nil
        }
    }

    private let roots: SmallByteMap<Node>

    public init(config: GatewayConfig) {
        var roots = SmallByteMap<Node>()
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
                        forwardAuthorization: version.forwardAuthorization, caFile: version.tlsCAFile)
                    let compiled = CompiledOperation(method: op.method, pathTemplate: op.path, scopes: op.scopes,
                                                     isPublic: op.isPublic, debugLog: op.debugLog)
                    let match = RouteMatch(api: api.name, version: version.version, operation: compiled,
                                           upstream: upstream)
                    node.methods.removeAll { $0.method == op.method }
                    node.methods.append((op.method, match, policy))
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
    ///
    /// Works on the path's bytes in place: segments are byte ranges, every
    /// level of the table a `SmallByteMap`, so a lookup allocates nothing.
    public func lookup(method: String, path: Substring, now: Int64) -> Lookup {
        withContiguousUTF8(path) { lookup(method: method, path: $0, now: now) }
    }

    private func lookup(method: String, path: UnsafeBufferPointer<UInt8>, now: Int64) -> Lookup {
        guard path.first == UInt8(ascii: "/") else { return .badPath("the path must start with '/'") }
        if Self.hasEncodedSeparator(path) {
            return .badPath("percent-encoded '/', '\\' or '.' are not accepted in paths")
        }
        if Self.hasDotSegment(path) { return .badPath("dot segments are not accepted") }
        let versionEnd = Self.segmentEnd(path, from: 1)
        guard let root = roots.value(for: UnsafeBufferPointer(rebasing: path[1..<versionEnd])) else { return .notFound }
        guard let node = Self.match(root, path, from: versionEnd) else { return .notFound }
        let entry = node.entry(for: method) ?? (method == "HEAD" ? node.entry(for: "GET") : nil)
        guard let (route, policy) = entry else {
            var allow = Set(node.methods.map(\.method))
            if allow.contains("GET") { allow.insert("HEAD") }
            return .methodNotAllowed(allow: allow.sorted())
        }
        if let sunset = policy.sunset, now >= sunset { return .gone(policy) }
        return .matched(route, policy)
    }

    /// The end of the segment starting at `start`: the next `/` or the end of the path.
    private static func segmentEnd(_ path: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < path.count, path[i] != UInt8(ascii: "/") { i += 1 }
        return i
    }

    /// Whether a segment after the leading `/` is `.` or `..`.
    private static func hasDotSegment(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 1
        while start <= path.count {
            let end = segmentEnd(path, from: start)
            let length = end - start
            if length == 1 || length == 2,
               path[start] == UInt8(ascii: "."), length == 1 || path[start + 1] == UInt8(ascii: ".") { return true }
            start = end + 1
        }
        return false
    }

    /// Matches the segments of `path` from `offset` (at a `/`, or the end) below
    /// `node`: a literal child first, then the parameter child (backtracking).
    private static func match(_ node: Node, _ path: UnsafeBufferPointer<UInt8>, from offset: Int) -> Node? {
        guard offset < path.count else { return node.methods.isEmpty ? nil : node }
        let start = offset + 1  // past the `/`
        let end = segmentEnd(path, from: start)
        if !node.literals.isEmpty, let next = node.literals.value(for: UnsafeBufferPointer(rebasing: path[start..<end])),
           let found = match(next, path, from: end) { return found }
        if end > start, let param = node.parameter { return match(param, path, from: end) }
        return nil
    }

    private static func hasEncodedSeparator(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        var it = path.makeIterator()
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
