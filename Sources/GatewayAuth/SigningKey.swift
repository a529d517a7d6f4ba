/// A private key that signs access tokens: RSA 2048 for RS256 or P-256 for ES256.
///
/// Made by `generate(_:)` or loaded from PKCS#8 PEM (`init(pkcs8PEM:)`); the
/// token service keeps that PEM in a file only its user can read (mode 0600).
/// Each key is bound to exactly one algorithm, its `kid` is the RFC 7638
/// thumbprint of its public JWK, and `publicJWK` is what goes into the JWKS.
/// Immutable and safe to share across threads.
public final class SigningKey: Sendable {
    /// The one algorithm this key signs with.
    public let algorithm: JWSAlgorithm
    /// The RFC 7638 JWK thumbprint (base64url SHA-256), used as the JOSE `kid`.
    public let kid: String
    /// The public half as a JWK with `kty`, `kid`, `use: "sig"`, `alg` and the key members.
    public let publicJWK: JWK
    /// The public half, ready to verify what this key signs.
    public let verificationKey: VerificationKey
    let key: EVPKey

    private init(key: EVPKey) throws(JOSEError) {
        self.key = key
        self.algorithm = key.algorithm
        var jwk = try key.publicJWKMembers()
        let kid = try jwk.thumbprint()
        jwk.kid = kid
        jwk.use = "sig"
        self.kid = kid
        self.publicJWK = jwk
        self.verificationKey = try VerificationKey(jwk: jwk)
    }

    /// A fresh random key for `algorithm` (RSA 2048 for RS256, P-256 for ES256).
    public static func generate(_ algorithm: JWSAlgorithm) throws(JOSEError) -> SigningKey {
        try SigningKey(key: EVPKey.generate(algorithm))
    }

    /// Loads a private key from PEM (PKCS#8 `PRIVATE KEY`; traditional RSA/EC PEM also
    /// accepted). The algorithm follows from the key: RSA ≥ 2048 bits → RS256,
    /// P-256 → ES256; anything else, and encrypted PEM, is refused.
    public convenience init(pkcs8PEM pem: String) throws(JOSEError) {
        try self.init(key: EVPKey.privateKey(pem: pem))
    }

    /// The private key as unencrypted PKCS#8 PEM. Secret: store it with mode 0600
    /// and never log it.
    public func pkcs8PEM() throws(JOSEError) -> String {
        try key.privateKeyPEM()
    }

    /// The public key as SubjectPublicKeyInfo PEM.
    public func publicKeyPEM() throws(JOSEError) -> String {
        try key.publicKeyPEM()
    }

    /// The JWS signature of `data` (RFC 7515 §5.1 signing input): 256 bytes of
    /// PKCS#1 v1.5 for RS256, the 64-byte `r || s` for ES256.
    public func sign(_ data: some Collection<UInt8>) throws(JOSEError) -> [UInt8] {
        let result: Result<[UInt8], JOSEError>? = data.withContiguousStorageIfAvailable { signRaw(UnsafeRawBufferPointer($0)) }
        return try (result ?? Array(data).withUnsafeBytes { signRaw($0) }).get()
    }

    private func signRaw(_ data: UnsafeRawBufferPointer) -> Result<[UInt8], JOSEError> {
        do throws(JOSEError) {
            let signature = try key.sign(data)
            guard algorithm == .es256 else { return .success(signature) }
            guard let raw = ECDSASignature.raw(fromDER: signature) else {
                return .failure(JOSEError("OpenSSL returned a malformed ECDSA signature"))
            }
            return .success(raw)
        } catch {
            return .failure(error)
        }
    }
}
