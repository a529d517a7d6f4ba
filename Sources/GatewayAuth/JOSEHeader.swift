/// The members of a JWS protected header the verifier looks at, read in one
/// pass (RFC 7515 §4.1). Everything else (`jku`, `x5u`, `jwk`, `x5c`, ...) is
/// parsed for well-formedness and dropped: keys never come from the token.
struct JOSEHeader {
    var alg: JSONValue?
    var typ: JSONValue?
    var kid: JSONValue?
    var hasCrit = false

    /// The header in `bytes`, or nil when it is not one well-formed JSON object
    /// or names `alg`, `typ`, `kid` or `crit` twice.
    static func read(_ bytes: [UInt8]) -> JOSEHeader? {
        var header = JOSEHeader()
        let ok: Bool = bytes.withUnsafeBytes { raw in
            do throws(JSONParser.Failure) {
                try JSONParser.forEachMember(of: raw) { name, value in
                    func take(_ slot: inout JSONValue?) -> Bool {
                        guard slot == nil else { return false }
                        slot = value
                        return true
                    }
                    if JSONParser.matches(name, "alg") { return take(&header.alg) }
                    if JSONParser.matches(name, "typ") { return take(&header.typ) }
                    if JSONParser.matches(name, "kid") { return take(&header.kid) }
                    if JSONParser.matches(name, "crit") {
                        guard !header.hasCrit else { return false }
                        header.hasCrit = true
                    }
                    return true
                }
                return true
            } catch {
                return false
            }
        }
        return ok ? header : nil
    }
}
