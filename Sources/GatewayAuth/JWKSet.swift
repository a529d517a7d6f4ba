/// A JSON Web Key Set (RFC 7517 §5): the `{"keys":[...]}` document served at
/// `/.well-known/jwks.json` and read back by gateways running apart from the
/// token service.
///
/// Keys keep their order. Parsing accepts any member order, ignores unknown
/// members and private key members, and keeps keys of types Portcullis cannot
/// use so a document round-trips; `verificationKeys()` skips those.
public struct JWKSet: Sendable, Hashable {
    public var keys: [JWK]

    public init(keys: [JWK] = []) {
        self.keys = keys
    }

    /// The set publishing the public halves of `signingKeys`, in order.
    public init(signingKeys: [SigningKey]) {
        self.keys = signingKeys.map(\.publicJWK)
    }

    /// Parses a JWKS document.
    public init(json: some Collection<UInt8>) throws(JOSEError) {
        let value: JSONValue
        do { value = try JSONParser.parse(Array(json)) } catch {
            throw JOSEError("JWKS is not valid JSON (\(error.reason) at byte \(error.offset))")
        }
        guard let array = value.objectValue?["keys"]?.arrayValue else {
            throw JOSEError("JWKS must be an object with a 'keys' array")
        }
        var keys: [JWK] = []
        keys.reserveCapacity(array.count)
        for (index, element) in array.enumerated() {
            guard let object = element.objectValue else { throw JOSEError("JWKS keys[\(index)] is not an object") }
            do { keys.append(try JWK(object: object)) } catch {
                throw JOSEError("JWKS keys[\(index)]: \(error.message)")
            }
        }
        self.keys = keys
    }

    /// Parses a JWKS document held in a string.
    public init(json: String) throws(JOSEError) {
        try self.init(json: Array(json.utf8))
    }

    /// The document, `{"keys":[...]}`, compact, members in the `JWK.json` order.
    public var json: String {
        var out: [UInt8] = Array(#"{"keys":["#.utf8)
        for (index, key) in keys.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            key.append(to: &out)
        }
        out.append(contentsOf: Array("]}".utf8))
        return String(decoding: out, as: UTF8.self)
    }

    /// Verification keys for every usable key (RSA or P-256, `use` absent or `sig`).
    /// Keys that cannot be used are skipped and reported in `skipped` with the reason.
    public func verificationKeys() -> (keys: [VerificationKey], skipped: [(kid: String?, reason: String)]) {
        var usable: [VerificationKey] = []
        var skipped: [(kid: String?, reason: String)] = []
        for jwk in keys {
            do { usable.append(try VerificationKey(jwk: jwk)) } catch { skipped.append((jwk.kid, error.message)) }
        }
        return (usable, skipped)
    }
}
