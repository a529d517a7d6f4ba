import GatewayHTTP

/// A public JSON Web Key (RFC 7517) for RS256 or ES256: what the JWKS publishes
/// and what `VerificationKey(jwk:)` reads.
///
/// Only public members are modelled; private members (`d`, `p`, `q`, ...) found
/// while parsing are dropped, never kept. Values are the base64url strings as
/// they appear in JSON. `json` writes members in a fixed order (kty, kid, use,
/// alg, then n/e or crv/x/y) and omits nil ones.
public struct JWK: Sendable, Hashable {
    /// Key type: `RSA` or `EC`.
    public var kty: String
    /// Key id; Portcullis uses the RFC 7638 thumbprint (`thumbprint()`).
    public var kid: String?
    /// Public key use; `sig` for every key Portcullis publishes.
    public var use: String?
    /// The one algorithm the key is for (`RS256`, `ES256`).
    public var alg: String?
    /// RSA modulus and exponent, unsigned big-endian, base64url.
    public var n: String?
    public var e: String?
    /// EC curve (`P-256`) and point coordinates, 32 bytes each, base64url.
    public var crv: String?
    public var x: String?
    public var y: String?

    public init(kty: String, kid: String? = nil, use: String? = nil, alg: String? = nil,
                n: String? = nil, e: String? = nil, crv: String? = nil, x: String? = nil, y: String? = nil) {
        self.kty = kty
        self.kid = kid
        self.use = use
        self.alg = alg
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
        self.y = y
    }

    /// Parses one JWK JSON object.
    public init(json: String) throws(JOSEError) {
        let value: JSONValue
        do { value = try JSONParser.parse(Array(json.utf8)) } catch {
            throw JOSEError("JWK is not valid JSON (\(error.reason) at byte \(error.offset))")
        }
        guard let object = value.objectValue else { throw JOSEError("a JWK must be a JSON object") }
        try self.init(object: object)
    }

    init(object: JSONObject) throws(JOSEError) {
        func member(_ name: String) throws(JOSEError) -> String? {
            guard let value = object[name] else { return nil }
            guard let string = value.stringValue else { throw JOSEError("JWK member '\(name)' must be a string") }
            return string
        }
        guard let kty = try member("kty") else { throw JOSEError("JWK has no 'kty' member") }
        self.init(kty: kty, kid: try member("kid"), use: try member("use"), alg: try member("alg"),
                  n: try member("n"), e: try member("e"), crv: try member("crv"), x: try member("x"), y: try member("y"))
    }

    /// The JSON object text, members in the fixed order described above.
    public var json: String {
        var out: [UInt8] = []
        append(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func append(to out: inout [UInt8]) {
        var first = true
        out.append(UInt8(ascii: "{"))
        for (name, value) in [("kty", kty), ("kid", kid), ("use", use), ("alg", alg), ("n", n), ("e", e),
                              ("crv", crv), ("x", x), ("y", y)] {
            guard let value else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The RFC 7638 JWK thumbprint: SHA-256 over the required members in
    /// lexicographic order, base64url. Throws when a required member is missing.
    public func thumbprint() throws(JOSEError) -> String {
        var out: [UInt8] = []
        func add(_ name: String, _ value: String?, last: Bool = false) throws(JOSEError) {
            guard let value else { throw JOSEError("JWK thumbprint needs the '\(name)' member") }
            JSONText.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &out)
            out.append(UInt8(ascii: last ? "}" : ","))
        }
        out.append(UInt8(ascii: "{"))
        switch kty {
        case "RSA":
            try add("e", e)
            try add("kty", kty)
            try add("n", n, last: true)
        case "EC":
            try add("crv", crv)
            try add("kty", kty)
            try add("x", x)
            try add("y", y, last: true)
        default:
            throw JOSEError("JWK thumbprints are only defined here for kty RSA and EC, not '\(kty)'")
        }
        guard let digest = out.withUnsafeBytes({ SHA256Digest.hash($0) }) else {
            throw JOSEError.openSSL("SHA-256 failed")
        }
        return Base64URL.encode(digest)
    }
}
