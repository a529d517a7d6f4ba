import COpenSSL

/// Building public keys from JWK members with OpenSSL 3's `EVP_PKEY_fromdata`.
extension EVPKey {
    /// A public key from an RSA (`n`, `e`) or P-256 EC (`x`, `y`) JWK. The JWK's
    /// `alg`, when present, must match the key type; when absent it is inferred
    /// (RSA → RS256, P-256 → ES256).
    static func publicKey(jwk: JWK) throws(JOSEError) -> EVPKey {
        let algorithm: JWSAlgorithm
        switch jwk.kty {
        case "RSA": algorithm = .rs256
        case "EC": algorithm = .es256
        default: throw JOSEError("unsupported JWK kty '\(jwk.kty)'; use RSA (RS256) or EC (ES256)")
        }
        if let alg = jwk.alg, JWSAlgorithm(headerValue: alg) != algorithm {
            throw JOSEError("JWK alg '\(alg)' does not fit kty '\(jwk.kty)'; expected \(algorithm.rawValue)")
        }
        if let use = jwk.use, use != "sig" {
            throw JOSEError("JWK use '\(use)' is not 'sig'; only signature keys verify tokens")
        }
        guard let builder = OSSL_PARAM_BLD_new() else { throw JOSEError.openSSL("cannot allocate OpenSSL parameters") }
        defer { OSSL_PARAM_BLD_free(builder) }
        var bignums: [OpaquePointer] = []
        defer { for bn in bignums { BN_free(bn) } }
        var octets: [UInt8] = []

        func decode(_ name: String, _ value: String?) throws(JOSEError) -> [UInt8] {
            guard let value, let bytes = Base64URL.decode(value), !bytes.isEmpty else {
                throw JOSEError("JWK member '\(name)' is missing or not base64url")
            }
            return bytes
        }

        switch algorithm {
        case .rs256:
            for (name, value) in [("n" as StaticString, jwk.n), ("e", jwk.e)] {
                let bytes = try decode("\(name)", value)
                guard bytes[0] != 0 else { throw JOSEError("JWK member '\(name)' has a leading zero byte (RFC 7518 §6.3.1)") }
                guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw JOSEError.openSSL("bad RSA '\(name)'") }
                bignums.append(bn)
                guard OSSL_PARAM_BLD_push_BN(builder, cString(name), bn) == 1 else { throw JOSEError.openSSL("bad RSA '\(name)'") }
            }
        case .es256:
            guard jwk.crv == "P-256" else { throw JOSEError("EC JWK crv must be 'P-256', not '\(jwk.crv ?? "none")'") }
            let x = try decode("x", jwk.x), y = try decode("y", jwk.y)
            guard x.count == 32, y.count == 32 else { throw JOSEError("EC JWK x and y must be 32 bytes each") }
            octets = [0x04] + x + y
            guard OSSL_PARAM_BLD_push_utf8_string(builder, cString("group"), cString("prime256v1"), 0) == 1 else {
                throw JOSEError.openSSL("cannot set the EC group")
            }
        }
        let keyType = algorithm == .rs256 ? "RSA" : "EC"
        let pkey: OpaquePointer? = octets.withUnsafeBytes { point in
            if !octets.isEmpty {
                guard OSSL_PARAM_BLD_push_octet_string(builder, cString("pub"), point.baseAddress, point.count) == 1 else { return nil }
            }
            guard let params = OSSL_PARAM_BLD_to_param(builder) else { return nil }
            defer { OSSL_PARAM_free(params) }
            guard let ctx = EVP_PKEY_CTX_new_from_name(nil, keyType, nil) else { return nil }
            defer { EVP_PKEY_CTX_free(ctx) }
            var pkey: OpaquePointer?
            // EVP_PKEY_PUBLIC_KEY, spelled out because it is a compound macro Swift does not import.
            let selection = OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS
                | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS
            guard EVP_PKEY_fromdata_init(ctx) == 1,
                  EVP_PKEY_fromdata(ctx, &pkey, selection, params) == 1 else { return nil }
            return pkey
        }
        guard let pkey else { throw JOSEError.openSSL("JWK does not describe a valid \(keyType) public key") }
        if algorithm == .es256 {
            // Refuse points off the curve (invalid-curve attacks) once, at import.
            let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil)
            let valid = ctx.map { EVP_PKEY_public_check($0) == 1 } ?? false
            EVP_PKEY_CTX_free(ctx)
            guard valid else {
                EVP_PKEY_free(pkey)
                throw JOSEError.openSSL("EC JWK point is not on P-256")
            }
        }
        return try checked(pkey, hasPrivateKey: false)
    }
}

/// A C string that lives for the whole process. `OSSL_PARAM_BLD` keeps the
/// pointers it is given until `OSSL_PARAM_BLD_to_param`, so temporaries bridged
/// from Swift strings would dangle.
private func cString(_ literal: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)
}
