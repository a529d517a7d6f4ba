import GatewayHTTP

/// Produces compact JWS access tokens (`header.payload.signature`, RFC 7515 §7.1)
/// with one `SigningKey`.
///
/// The header is always `{"alg":<key's algorithm>,"typ":"at+jwt","kid":<key's kid>}`
/// (RFC 9068 §2.1): the algorithm comes from the key, never from the caller.
public struct JWTSigner: Sendable {
    public let key: SigningKey
    /// The base64url header, computed once.
    private let encodedHeader: [UInt8]

    public init(key: SigningKey) {
        self.key = key
        var header: [UInt8] = Array(#"{"alg":"#.utf8)
        JSONText.appendString(key.algorithm.rawValue, to: &header)
        header.append(contentsOf: Array(#","typ":"at+jwt","kid":"#.utf8))
        JSONText.appendString(key.kid, to: &header)
        header.append(UInt8(ascii: "}"))
        var encoded: [UInt8] = []
        Base64URL.encode(header, into: &encoded)
        self.encodedHeader = encoded
    }

    /// A signed access token carrying `claims`.
    public func sign(_ claims: AccessTokenClaims) throws(JOSEError) -> String {
        try sign(claimsJSON: claims.json)
    }

    /// A signed token whose payload is `claimsJSON` exactly as given (it must be a
    /// JSON object; the caller is responsible for its content).
    public func sign(claimsJSON: some Collection<UInt8>) throws(JOSEError) -> String {
        var token = encodedHeader
        token.append(UInt8(ascii: "."))
        Base64URL.encode(claimsJSON, into: &token)
        let signature = try key.sign(token)
        token.append(UInt8(ascii: "."))
        Base64URL.encode(signature, into: &token)
        return String(decoding: token, as: UTF8.self)
    }
}
