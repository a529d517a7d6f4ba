import Synchronization

/// An upstream service's base URL, parsed once when the route table is built:
/// where to connect (`scheme://host:port`, for libcurl), the `Host` field to
/// send, and the base path that precedes every proxied target.
///
/// Accepted: `http://` or `https://`, a host name, IPv4 address or bracketed
/// IPv6 address, an optional port (1–65535; default 80 or 443), an optional
/// base path. Refused: user information, a query or fragment, an empty host.
/// A trailing `/` of the base path is dropped, so `http://h:9001/` and
/// `http://h:9001` send the same targets.
///
/// Origins with the same scheme, host, port and trust settings share one id,
/// process-wide, so their connection pools survive a configuration reload.
public final class UpstreamOrigin: Sendable {
    /// The base URL as configured.
    public let url: String
    /// Why the URL cannot be used (the transport answers 502), or nil.
    public let problem: String?
    public let isTLS: Bool
    public let host: String
    public let port: Int
    /// `scheme://host:port`: what libcurl connects to.
    public let connectURL: String
    /// `Host: host[:port]\r\n`, the port left out when it is the scheme's default.
    let hostField: [UInt8]
    /// The base path without a trailing `/` (often empty).
    let basePath: [UInt8]
    /// A PEM file of the certificate authorities trusted for this upstream
    /// (TLS only); nil: the system's.
    public let caFile: String?
    /// Shared by every origin with the same connection settings.
    public let id: Int

    public init(_ url: String, caFile: String? = nil) {
        self.url = url
        self.caFile = caFile
        let parsed = Self.parse(url)
        problem = parsed.problem
        isTLS = parsed.tls
        host = parsed.host
        port = parsed.port
        basePath = Array(parsed.path.utf8)
        let defaultPort = parsed.tls ? 443 : 80
        hostField = Array("Host: \(parsed.host)\(parsed.port == defaultPort ? "" : ":\(parsed.port)")\r\n".utf8)
        connectURL = "\(parsed.tls ? "https" : "http")://\(parsed.host):\(parsed.port)"
        id = Self.intern(connectURL + "\u{0}" + (caFile ?? ""))
    }

    /// Why `url` is not a usable upstream base URL, or nil.
    public static func problem(with url: String) -> String? { parse(url).problem }

    private static func parse(_ url: String) -> (tls: Bool, host: String, port: Int, path: String, problem: String?) {
        func refuse(_ why: String) -> (Bool, String, Int, String, String?) { (false, "invalid", 0, "", why) }
        let tls: Bool
        var rest: Substring
        if url.hasPrefix("http://") {
            tls = false
            rest = url.dropFirst(7)
        } else if url.hasPrefix("https://") {
            tls = true
            rest = url.dropFirst(8)
        } else {
            return refuse("must start with http:// or https://")
        }
        if rest.contains("?") || rest.contains("#") { return refuse("must not have a query or fragment") }
        guard rest.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\\" && $0.asciiValue! > 0x20 && $0.asciiValue! < 0x7F }) else {
            return refuse("must be printable ASCII without spaces or backslashes")
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        if authority.contains("@") { return refuse("must not carry user information (name:password@)") }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return refuse("has an unterminated IPv6 address") }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return refuse("has characters after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty, host != "[]" else { return refuse("has no host") }
        var port = tls ? 443 : 80
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value), portText.allSatisfy(\.isNumber) else {
                return refuse("has a port that is not a number from 1 to 65535")
            }
            port = value
        }
        if path.contains("%") || path.contains(";") {
            return refuse("must have a plain base path (no percent-escapes or ';')")
        }
        return (tls, String(host), port, path, nil)
    }

    private static let registry = Mutex<[String: Int]>([:])

    private static func intern(_ key: String) -> Int {
        registry.withLock { ids in
            if let id = ids[key] { return id }
            let id = ids.count
            ids[key] = id
            return id
        }
    }
}
