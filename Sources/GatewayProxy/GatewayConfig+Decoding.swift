import Foundation
import GatewayHTTP
import GatewayPosix

extension GatewayConfig {
    /// Reads, decodes and validates a configuration file. Throws every problem
    /// found, each naming its JSON path.
    public static func load(path: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(ConfigError) -> GatewayConfig {
        try loadFile(path: path, now: now).config
    }

    /// Like `load(path:)`, also returning the file's bytes (to record what was served).
    public static func loadFile(path: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(ConfigError)
        -> (config: GatewayConfig, bytes: [UInt8]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError([ConfigIssue(path: "", message: "cannot read \(path): no such file or not readable")])
        }
        let base = (path as NSString).deletingLastPathComponent
        let bytes = Array(data)
        return (try decode(bytes, baseDirectory: base.isEmpty ? "." : base, now: now), bytes)
    }

    /// Loads a file and checks it against the configuration served last from
    /// `dataDirectory` (if any): every problem, shape or compatibility, is thrown.
    public static func loadChecked(path: String, dataDirectory: String?, previous: GatewayConfig? = nil,
                                   now: Int64 = Int64(Date().timeIntervalSince1970)) throws(ConfigError)
        -> (config: GatewayConfig, bytes: [UInt8]) {
        let loaded = try loadFile(path: path, now: now)
        let baseline = previous ?? dataDirectory.flatMap { ServedConfiguration.load(from: $0) }
        if let baseline {
            let issues = loaded.config.compatibilityIssues(from: baseline, now: now)
            if !issues.isEmpty { throw ConfigError(issues) }
        }
        return loaded
    }

    /// Decodes and validates configuration JSON. Schemas given as file names
    /// are read relative to `baseDirectory`.
    public static func decode(_ bytes: [UInt8], baseDirectory: String = ".",
                              now: Int64 = Int64(Date().timeIntervalSince1970)) throws(ConfigError) -> GatewayConfig {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw ConfigError([ConfigIssue(path: "", message: "\(error)")])
        }
        let sink = ConfigReader.IssueSink()
        guard let root = ConfigReader(json, path: "", sink: sink) else { throw ConfigError(sink.issues) }
        let config = decodeRoot(root, sink: sink, baseDirectory: baseDirectory)
        root.finish()
        if let config { sink.issues += config.validationIssues() }
        guard sink.issues.isEmpty, let config else { throw ConfigError(sink.issues) }
        return config
    }

    private static func decodeRoot(_ r: ConfigReader, sink: ConfigReader.IssueSink, baseDirectory: String) -> GatewayConfig? {
        let listenText = r.string("listen", required: true)
        var listen: SocketAddress?
        if let listenText {
            listen = SocketAddress(parsing: listenText)
            if listen == nil { r.issue("listen", "must be host:port, e.g. 127.0.0.1:8080") }
        }
        let issuer = r.string("issuer", required: true)
        if let issuer, !(issuer.hasPrefix("http://") || issuer.hasPrefix("https://")) {
            r.issue("issuer", "must be an http(s) URL")
        }
        let audience = r.string("audience")
        let ttl = r.int("token_ttl_seconds", in: 1...900) ?? 900
        let rpm = r.int("default_rpm", in: 1...10_000_000) ?? 1000
        let publicRPM = r.int("public_rpm", in: 1...10_000_000) ?? rpm
        let workers = r.int("workers", in: 1...256)
        let maxBody = r.int("max_body_bytes", in: 0...(1 << 34)) ?? 10 * 1024 * 1024
        let headerTimeout = r.int("header_timeout_seconds", in: 1...3600) ?? 10
        let idleTimeout = r.int("idle_timeout_seconds", in: 1...86_400) ?? 60
        let connectTimeout = r.int("connect_timeout_ms", in: 1...600_000) ?? 2000
        let timeout = r.int("timeout_ms", in: 1...3_600_000) ?? 30_000
        let alg = r.string("signing_alg") ?? "RS256"
        if alg != "RS256" && alg != "ES256" { r.issue("signing_alg", "must be RS256 or ES256") }
        let cost = r.int("bcrypt_cost", in: 10...15) ?? 12
        let realm = r.string("realm") ?? "portcullis"
        if realm.contains("\"") || realm.contains("\\") { r.issue("realm", "must not contain quotes or backslashes") }
        var logs = LogSettings()
        if let l = r.object("logs") {
            logs.directory = l.string("dir")
            logs.debugBodyBytes = l.int("debug_body_bytes", in: 0...(1 << 20)) ?? logs.debugBodyBytes
            logs.rotateBytes = l.int("rotate_bytes", in: 0...(1 << 40)) ?? logs.rotateBytes
            logs.keep = l.int("keep", in: 0...100) ?? logs.keep
            l.finish()
        }
        let trusted = r.strings("trusted_proxies") ?? []
        for (i, entry) in trusted.enumerated() {
            if let problem = TrustedProxies.problem(entry) { r.issue("trusted_proxies[\(i)]", problem) }
        }
        let cors = r.object("cors").flatMap(decodeCORS)
        let apis = (r.objects("apis", required: true) ?? []).map { decodeAPI($0, baseDirectory: baseDirectory) }
        guard let listen, let issuer else { return nil }
        return GatewayConfig(listen: listen, issuer: issuer, audience: audience ?? issuer, tokenTTLSeconds: ttl,
                             defaultRPM: rpm, publicRPM: publicRPM, workers: workers, maxBodyBytes: maxBody,
                             headerTimeoutSeconds: headerTimeout, idleTimeoutSeconds: idleTimeout,
                             connectTimeoutMillis: connectTimeout, timeoutMillis: timeout, signingAlgorithm: alg,
                             bcryptCost: cost, realm: realm, logs: logs, trustedProxies: trusted, cors: cors,
                             apis: apis.compactMap { $0 })
    }

    /// `cors`: origins exactly as a browser serialises them (`scheme://host[:port]`, lower
    /// case, no default port, no path) or `*`; header names as HTTP tokens.
    private static func decodeCORS(_ r: ConfigReader) -> CORSSettings? {
        defer { r.finish() }
        let origins = r.strings("allowed_origins", required: true) ?? []
        for (i, origin) in origins.enumerated() where CORSPolicy.originProblem(origin) != nil {
            r.issue("allowed_origins[\(i)]", CORSPolicy.originProblem(origin)!)
        }
        if origins.isEmpty { r.issue("allowed_origins", "must list at least one origin, e.g. https://app.example.com") }
        let headers = r.strings("allowed_headers") ?? []
        for (i, name) in headers.enumerated() where !HTTPHeaders.isValidFieldName(name) {
            r.issue("allowed_headers[\(i)]", "must be a header field name such as X-Tenant")
        }
        let maxAge = r.int("max_age_seconds", in: 0...86_400) ?? 600
        return CORSSettings(allowedOrigins: origins, allowedHeaders: headers, maxAgeSeconds: maxAge)
    }

    private static func decodeAPI(_ r: ConfigReader, baseDirectory: String) -> APIConfig? {
        defer { r.finish() }
        let name = r.string("name", required: true)
        let description = r.string("description")
        let versions = (r.objects("versions", required: true) ?? []).compactMap { decodeVersion($0, baseDirectory: baseDirectory) }
        let operations = (r.objects("operations", required: true) ?? []).compactMap {
            decodeOperation($0, baseDirectory: baseDirectory)
        }
        guard let name else { return nil }
        return APIConfig(name: name, description: description, versions: versions, operations: operations)
    }

    private static func decodeVersion(_ r: ConfigReader, baseDirectory: String) -> VersionConfig? {
        defer { r.finish() }
        let version = r.string("version", required: true)
        let upstream = r.string("upstream", required: true)
        func date(_ key: String) -> Int64? {
            guard let text = r.string(key) else { return nil }
            guard let t = HTTPDate.parse(text) else {
                r.issue(key, "must be a date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
                return nil
            }
            return t
        }
        let deprecatedAt = date("deprecated_at")
        let sunset = date("sunset")
        let link = r.string("link")
        let connect = r.int("connect_timeout_ms", in: 1...600_000)
        let timeout = r.int("timeout_ms", in: 1...3_600_000)
        let forward = r.bool("forward_authorization") ?? false
        let description = r.string("description")
        var caFile = r.string("tls_ca_file")
        if let file = caFile {
            let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
            if !FileManager.default.isReadableFile(atPath: path) {
                r.issue("tls_ca_file", "cannot read \(path): name a PEM file of certificate authorities")
            } else if let upstream, !upstream.hasPrefix("https://") {
                r.issue("tls_ca_file", "applies to https upstreams only")
            }
            caFile = path
        }
        guard let version, let upstream else { return nil }
        var base = upstream
        while base.hasSuffix("/") { base.removeLast() }
        return VersionConfig(version: version, upstream: base, deprecatedAt: deprecatedAt, sunset: sunset, link: link,
                             connectTimeoutMillis: connect, timeoutMillis: timeout, forwardAuthorization: forward,
                             description: description, tlsCAFile: caFile)
    }

    private static func decodeOperation(_ r: ConfigReader, baseDirectory: String) -> OperationConfig? {
        defer { r.finish() }
        let method = r.string("method", required: true)
        let path = r.string("path", required: true)
        let scopes = r.strings("scopes") ?? []
        let isPublic = r.bool("public") ?? false
        let debug = r.bool("debug_log") ?? false
        let summary = r.string("summary")
        let description = r.string("description")
        let operationID = r.string("operation_id")
        let requestSchema = schema(r, "request_schema", baseDirectory: baseDirectory)
        let responseSchema = schema(r, "response_schema", baseDirectory: baseDirectory)
        let versions = r.strings("versions")
        let timeout = r.int("timeout_ms", in: 1...3_600_000)
        guard let method, let path else { return nil }
        return OperationConfig(method: method, path: path, scopes: scopes, isPublic: isPublic, debugLog: debug,
                               summary: summary, description: description, operationID: operationID,
                               requestSchema: requestSchema, responseSchema: responseSchema, versions: versions,
                               timeoutMillis: timeout)
    }

    /// A JSON Schema given inline (an object) or as a file name relative to the config.
    private static func schema(_ r: ConfigReader, _ key: String, baseDirectory: String) -> JSONValue? {
        guard let value = r.value(key) else { return nil }
        switch value {
        case .object:
            return value
        case .string(let file):
            let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                r.issue(key, "cannot read schema file \(path)")
                return nil
            }
            do {
                let schema = try JSONParser.parse(Array(data))
                guard case .object = schema else {
                    r.issue(key, "schema file \(path) must hold a JSON object")
                    return nil
                }
                return schema
            } catch {
                r.issue(key, "schema file \(path): \(error)")
                return nil
            }
        default:
            r.issue(key, "must be a JSON Schema object or a file name, found \(value.typeName)")
            return nil
        }
    }
}
