/// What a caller asks for when registering a client, from the management API's JSON body
/// or the CLI's flags, validated the same way for both.
///
/// Rules: `name` 1–100 characters, no control characters; `scopes` 1–50 valid scope
/// tokens (RFC 6749 §3.3); `externalID` 1–128 printable ASCII characters without spaces;
/// `rpm` 1…1 000 000 (nil = the gateway's `default_rpm`); `redirectURIs` at most 10, each
/// an absolute URI (`scheme:…`) of at most 2000 characters without a fragment, spaces or
/// control characters. A public client (`isPublic`: no secret, authorization code with
/// PKCE only) needs at least one redirect URI. Whether the scopes fit the org's policy
/// is the store's check.
public struct ClientRequest: Sendable, Equatable {
    public var name: String
    public var scopes: [String]
    public var externalID: String?
    public var rpm: Int?
    public var redirectURIs: [String]
    public var isPublic: Bool

    public init(name: String, scopes: [String], externalID: String? = nil, rpm: Int? = nil, redirectURIs: [String] = [],
                isPublic: Bool = false) {
        self.name = name
        self.scopes = scopes
        self.externalID = externalID
        self.rpm = rpm
        self.redirectURIs = redirectURIs
        self.isPublic = isPublic
    }

    /// A refused field: `field` is the JSON member (`name`, `scopes`, `external_id`,
    /// `rpm`, `redirect_uris`), `problem` says what to fix.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: String
        public var problem: String
        public var description: String { "\(field): \(problem)" }
    }

    public static let maxNameLength = 100
    public static let maxScopes = 50
    public static let maxRedirectURIs = 10

    /// Throws the first problem found.
    public func validate() throws(Invalid) {
        let nameLength = name.count
        guard (1...Self.maxNameLength).contains(nameLength) else {
            throw Invalid(field: "name", problem: "must be 1–\(Self.maxNameLength) characters, found \(nameLength)")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Invalid(field: "name", problem: "must not contain control characters")
        }
        guard (1...Self.maxScopes).contains(scopes.count) else {
            throw Invalid(field: "scopes", problem: "must list 1–\(Self.maxScopes) scopes, found \(scopes.count)")
        }
        if let bad = scopes.first(where: { !ScopeResolver.isValidToken($0) || $0.utf8.count > 128 }) {
            throw Invalid(field: "scopes", problem: "\(quoted(bad)) is not a scope token (printable ASCII without spaces, "
                + "quotes or backslashes, at most 128 characters)")
        }
        if let externalID {
            guard (1...128).contains(externalID.utf8.count),
                  externalID.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw Invalid(field: "external_id", problem: "must be 1–128 printable ASCII characters without spaces")
            }
        }
        if let rpm, !(1...1_000_000).contains(rpm) {
            throw Invalid(field: "rpm", problem: "must be a whole number between 1 and 1000000, found \(rpm)")
        }
        guard redirectURIs.count <= Self.maxRedirectURIs else {
            throw Invalid(field: "redirect_uris", problem: "must list at most \(Self.maxRedirectURIs) URIs")
        }
        for uri in redirectURIs where !Self.isRedirectURI(uri) {
            throw Invalid(field: "redirect_uris", problem: "\(quoted(uri)) must be an absolute URI (scheme:…) "
                + "without a fragment, spaces or control characters, at most 2000 characters")
        }
        if isPublic && redirectURIs.isEmpty {
            throw Invalid(field: "redirect_uris", problem: "a public client needs at least one redirect URI: "
                + "it can only use the authorization code grant")
        }
    }

    /// `scheme:rest` with an RFC 3986 scheme, no `#`, no bytes outside printable ASCII.
    static func isRedirectURI(_ uri: String) -> Bool {
        let bytes = Array(uri.utf8)
        guard (1...2000).contains(bytes.count), !bytes.contains(UInt8(ascii: "#")),
              bytes.allSatisfy({ (0x21...0x7E).contains($0) }),
              let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon < bytes.count - 1 else { return false }
        let scheme = bytes[..<colon]
        guard let first = scheme.first, (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first) else {
            return false
        }
        return scheme.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    private func quoted(_ text: String) -> String {
        "\"" + String(text.prefix(60)) + (text.count > 60 ? "…" : "") + "\""
    }
}
