/// The JWS algorithms Portcullis signs and accepts (RFC 7518 §3.1): the allow-list.
///
/// Everything else (`none`, the HMAC family, RSASSA-PSS, other curves) is refused
/// by construction: a header names an algorithm only through `init(headerValue:)`,
/// which knows these two. Each key is made for exactly one algorithm.
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256, RSA keys of at least 2048 bits.
    case rs256 = "RS256"
    /// ECDSA on P-256 with SHA-256; signatures are the 64-byte `r || s` (RFC 7518 §3.4).
    case es256 = "ES256"

    /// The algorithm named by a JOSE header `alg` value (case-sensitive), or nil
    /// when it is not on the allow-list.
    public init?(headerValue: some StringProtocol) {
        if headerValue.utf8.elementsEqual("RS256".utf8) {
            self = .rs256
        } else if headerValue.utf8.elementsEqual("ES256".utf8) {
            self = .es256
        } else {
            return nil
        }
    }

    /// The JWK `kty` of keys for this algorithm.
    public var keyType: String {
        switch self {
        case .rs256: "RSA"
        case .es256: "EC"
        }
    }
}
