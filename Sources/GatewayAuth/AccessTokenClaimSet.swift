/// The registered and Portcullis claims of an access token, read in one pass
/// over the payload (RFC 9068 §2.2). Values are kept as parsed; the verifier
/// checks their types and meaning. Other claims are parsed and dropped.
struct AccessTokenClaimSet {
    var iss: JSONValue?
    var sub: JSONValue?
    var aud: JSONValue?
    var exp: JSONValue?
    var nbf: JSONValue?
    var iat: JSONValue?
    var jti: JSONValue?
    var clientID: JSONValue?
    var orgID: JSONValue?
    var scope: JSONValue?

    /// The claims in `bytes`, or nil when it is not one well-formed JSON object
    /// or names one of the claims above twice.
    static func read(_ bytes: [UInt8]) -> AccessTokenClaimSet? {
        var claims = AccessTokenClaimSet()
        let ok: Bool = bytes.withUnsafeBytes { raw in
            do throws(JSONParser.Failure) {
                try JSONParser.forEachMember(of: raw) { name, value in
                    claims.take(name, value)
                }
                return true
            } catch {
                return false
            }
        }
        return ok ? claims : nil
    }

    /// Stores `value` under `name` when it is a claim of interest; false for a second occurrence.
    private mutating func take(_ name: UnsafeRawBufferPointer, _ value: JSONValue) -> Bool {
        func store(_ slot: inout JSONValue?) -> Bool {
            guard slot == nil else { return false }
            slot = value
            return true
        }
        switch name.count {
        case 3:
            if JSONParser.matches(name, "iss") { return store(&iss) }
            if JSONParser.matches(name, "sub") { return store(&sub) }
            if JSONParser.matches(name, "aud") { return store(&aud) }
            if JSONParser.matches(name, "exp") { return store(&exp) }
            if JSONParser.matches(name, "nbf") { return store(&nbf) }
            if JSONParser.matches(name, "iat") { return store(&iat) }
            if JSONParser.matches(name, "jti") { return store(&jti) }
        case 5:
            if JSONParser.matches(name, "scope") { return store(&scope) }
        case 6:
            if JSONParser.matches(name, "org_id") { return store(&orgID) }
        case 9:
            if JSONParser.matches(name, "client_id") { return store(&clientID) }
        default:
            break
        }
        return true
    }
}
