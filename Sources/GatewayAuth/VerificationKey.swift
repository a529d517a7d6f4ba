/// A public key that checks token signatures, bound to one algorithm.
///
/// Built once from a JWK (RSA `n`/`e`, EC P-256 `x`/`y`) or a `PUBLIC KEY` PEM and
/// then shared by every thread: the underlying `EVP_PKEY` is reused for every
/// check, and ready-made OpenSSL contexts are pooled, so a check allocates
/// nothing on the common path. `verify` never throws; anything wrong is `false`.
public final class VerificationKey: Sendable {
    /// The one algorithm this key verifies; a token whose header names another is refused.
    public let algorithm: JWSAlgorithm
    /// The key id tokens name in their header (the JWK's `kid`, or its RFC 7638 thumbprint).
    public let kid: String
    /// The public JWK, with `kid`, `use: "sig"` and `alg` filled in.
    public let jwk: JWK
    let key: EVPKey

    /// A key from a public JWK. `alg`, when present, must fit `kty`; `use`, when
    /// present, must be `sig`; a missing `kid` becomes the thumbprint.
    public convenience init(jwk: JWK) throws(JOSEError) {
        try self.init(key: EVPKey.publicKey(jwk: jwk), kid: jwk.kid)
    }

    private init(key: EVPKey, kid given: String?) throws(JOSEError) {
        var published = try key.publicJWKMembers()
        let kid: String
        if let given { kid = given } else { kid = try published.thumbprint() }
        published.kid = kid
        published.use = "sig"
        self.key = key
        self.algorithm = key.algorithm
        self.kid = kid
        self.jwk = published
    }

    /// A key from a SubjectPublicKeyInfo PEM; `kid` defaults to the thumbprint.
    public convenience init(pem: String, kid: String? = nil) throws(JOSEError) {
        try self.init(key: EVPKey.publicKey(pem: pem), kid: kid)
    }

    /// Whether `signature` (JOSE form: PKCS#1 v1.5 for RS256, 64-byte `r || s`
    /// for ES256) is this key's signature over `data`.
    public func verify(signature: some Collection<UInt8>, data: some Collection<UInt8>) -> Bool {
        func withBytes<C: Collection<UInt8>>(_ c: C, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
            c.withContiguousStorageIfAvailable { body(UnsafeRawBufferPointer($0)) } ?? Array(c).withUnsafeBytes(body)
        }
        return withBytes(signature) { sig in withBytes(data) { verify(signature: sig, data: $0) } }
    }

    /// The allocation-free form of `verify(signature:data:)` used on the hot path.
    func verify(signature: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) -> Bool {
        switch algorithm {
        case .rs256:
            return key.verify(signature: signature, data: data)
        case .es256:
            guard let der = ECDSASignature.der(fromRaw: signature) else { return false }
            return der.withUnsafeBytes { key.verify(signature: $0, data: data) }
        }
    }
}
