extension AccessTokenVerifier {
    /// What an access token must say to be accepted here.
    public struct Configuration: Sendable, Equatable {
        /// The only accepted `iss` (compared byte for byte), e.g. `http://127.0.0.1:8080`.
        public var issuer: String
        /// The audience this gateway is; `aud` (string or array) must contain it.
        public var audience: String
        /// Allowed clock skew in seconds for `exp`, `nbf` and `iat`: a token is
        /// accepted until `exp + leeway`, and from `nbf - leeway` / `iat - leeway`.
        /// Default 30, allowed 0...30 (RFC 8725 advises keeping it small).
        public var leewaySeconds: Int64
        /// Longest accepted token in bytes; longer ones are refused before any
        /// decoding. Default 8192 (8 KiB), allowed 512...65536.
        public var maxTokenBytes: Int

        public static let maxLeewaySeconds: Int64 = 30

        /// Throws `AuthConfigurationError` when a value is out of range.
        public init(issuer: String, audience: String, leewaySeconds: Int64 = 30,
                    maxTokenBytes: Int = 8192) throws(AuthConfigurationError) {
            guard !issuer.isEmpty else { throw AuthConfigurationError("auth issuer must not be empty; set it to the token service's issuer URL") }
            guard !audience.isEmpty else { throw AuthConfigurationError("auth audience must not be empty") }
            guard (0...Self.maxLeewaySeconds).contains(leewaySeconds) else {
                throw AuthConfigurationError("auth leeway_seconds is \(leewaySeconds); it must be between 0 and \(Self.maxLeewaySeconds)")
            }
            guard (512...65536).contains(maxTokenBytes) else {
                throw AuthConfigurationError("auth max_token_bytes is \(maxTokenBytes); it must be between 512 and 65536")
            }
            self.issuer = issuer
            self.audience = audience
            self.leewaySeconds = leewaySeconds
            self.maxTokenBytes = maxTokenBytes
        }
    }
}
