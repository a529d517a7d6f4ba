import COpenSSL

/// Creating keys and moving them in and out of PEM and JWK form.
extension EVPKey {
    /// A fresh key pair: RSA 2048 for RS256, P-256 for ES256.
    static func generate(_ algorithm: JWSAlgorithm) throws(JOSEError) -> EVPKey {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, algorithm == .rs256 ? "RSA" : "EC", nil) else {
            throw JOSEError.openSSL("cannot create a key generation context")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var ok = EVP_PKEY_keygen_init(ctx) == 1
        if ok {
            ok = algorithm == .rs256
                ? copenssl_evp_pkey_ctx_set_rsa_keygen_bits(ctx, 2048) == 1
                : EVP_PKEY_CTX_set_group_name(ctx, "P-256") == 1
        }
        var pkey: OpaquePointer?
        if ok { ok = EVP_PKEY_generate(ctx, &pkey) == 1 }
        guard ok, let pkey else { throw JOSEError.openSSL("\(algorithm.rawValue) key generation failed") }
        return EVPKey(taking: pkey, algorithm: algorithm, hasPrivateKey: true)
    }

    /// A private key from PEM (PKCS#8 `PRIVATE KEY`, or the traditional RSA/EC forms).
    /// Encrypted PEM is refused rather than prompting for a passphrase.
    static func privateKey(pem: String) throws(JOSEError) -> EVPKey {
        let pkey = try withPEMBIO(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, noPassphrase, nil) }
        guard let pkey else {
            throw JOSEError.openSSL("not a readable unencrypted private key PEM; expected -----BEGIN PRIVATE KEY-----")
        }
        return try checked(pkey, hasPrivateKey: true)
    }

    /// A public key from PEM (`PUBLIC KEY`, SubjectPublicKeyInfo).
    static func publicKey(pem: String) throws(JOSEError) -> EVPKey {
        let pkey = try withPEMBIO(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, noPassphrase, nil) }
        guard let pkey else { throw JOSEError.openSSL("not a readable public key PEM; expected -----BEGIN PUBLIC KEY-----") }
        return try checked(pkey, hasPrivateKey: false)
    }

    /// Wraps `pkey` after checking it is an RSA key of 2048–16384 bits with a sane
    /// public exponent, or a P-256 key;
    /// frees it and throws otherwise.
    static func checked(_ pkey: OpaquePointer, hasPrivateKey: Bool) throws(JOSEError) -> EVPKey {
        let algorithm: JWSAlgorithm
        if EVP_PKEY_is_a(pkey, "RSA") == 1 {
            let bits = EVP_PKEY_get_bits(pkey)
            guard bits >= 2048, bits <= 16384 else {
                EVP_PKEY_free(pkey)
                throw JOSEError("RSA keys must have 2048 to 16384 bits; this one has \(bits)")
            }
            // e = 1 (or even) would make "signatures" trivial to forge; OpenSSL does not refuse it.
            var e: OpaquePointer?
            let exponentOK = EVP_PKEY_get_bn_param(pkey, "e", &e) == 1 && e.map {
                BN_is_odd($0) == 1 && (2...64).contains(BN_num_bits($0))
            } == true
            BN_free(e)
            guard exponentOK else {
                EVP_PKEY_free(pkey)
                ERR_clear_error()
                throw JOSEError("RSA public exponent must be odd, at least 3 and at most 64 bits (use 65537)")
            }
            algorithm = .rs256
        } else if EVP_PKEY_is_a(pkey, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            let group = EVP_PKEY_get_utf8_string_param(pkey, "group", &name, name.count, &length) == 1
                ? name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : ""
            guard group == "prime256v1" || group == "P-256" else {
                EVP_PKEY_free(pkey)
                ERR_clear_error()
                throw JOSEError("EC keys must be on P-256 (ES256); this one is on '\(group)'")
            }
            algorithm = .es256
        } else {
            EVP_PKEY_free(pkey)
            throw JOSEError("unsupported key type; use an RSA (RS256) or P-256 EC (ES256) key")
        }
        return EVPKey(taking: pkey, algorithm: algorithm, hasPrivateKey: hasPrivateKey)
    }

    /// The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), unencrypted.
    func privateKeyPEM() throws(JOSEError) -> String {
        guard hasPrivateKey else { throw JOSEError("this key has no private part to export") }
        return try writePEM { bio in PEM_write_bio_PKCS8PrivateKey(bio, pkey, nil, nil, 0, nil, nil) }
    }

    /// The public key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    func publicKeyPEM() throws(JOSEError) -> String {
        try writePEM { bio in PEM_write_bio_PUBKEY(bio, pkey) }
    }

    /// The public JWK members (`n`/`e` or `crv`/`x`/`y`), with `kty` and `alg`; no `kid`.
    func publicJWKMembers() throws(JOSEError) -> JWK {
        switch algorithm {
        case .rs256:
            let n = try bignumParam("n", width: nil), e = try bignumParam("e", width: nil)
            return JWK(kty: "RSA", alg: algorithm.rawValue, n: Base64URL.encode(n), e: Base64URL.encode(e))
        case .es256:
            let x = try bignumParam("qx", width: 32), y = try bignumParam("qy", width: 32)
            return JWK(kty: "EC", alg: algorithm.rawValue, crv: "P-256", x: Base64URL.encode(x), y: Base64URL.encode(y))
        }
    }

    private func bignumParam(_ name: String, width: Int?) throws(JOSEError) -> [UInt8] {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let bn else {
            throw JOSEError.openSSL("cannot read the public key parameter '\(name)'")
        }
        defer { BN_free(bn) }
        let size = width ?? Int((BN_num_bits(bn) + 7) / 8)
        var out = [UInt8](repeating: 0, count: size)
        guard BN_bn2binpad(bn, &out, Int32(size)) == Int32(size) else {
            throw JOSEError.openSSL("public key parameter '\(name)' does not fit \(size) bytes")
        }
        return out
    }

    private func writePEM(_ write: (OpaquePointer) -> Int32) throws(JOSEError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw JOSEError.openSSL("cannot allocate a memory BIO") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw JOSEError.openSSL("PEM export failed") }
        var data: UnsafeMutablePointer<CChar>?
        let length = copenssl_bio_get_mem_data(bio, &data)
        guard length > 0, let data else { throw JOSEError.openSSL("PEM export produced no data") }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    private static func withPEMBIO(_ pem: String, _ read: (OpaquePointer) -> OpaquePointer?) throws(JOSEError) -> OpaquePointer? {
        var bytes = Array(pem.utf8)
        guard let bio = BIO_new_mem_buf(&bytes, Int32(bytes.count)) else {
            throw JOSEError.openSSL("cannot allocate a memory BIO")
        }
        defer { BIO_free(bio) }
        return read(bio)
    }
}

/// A PEM passphrase callback that supplies none, so encrypted keys fail instead
/// of OpenSSL prompting on the terminal.
private let noPassphrase: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = {
    _, _, _, _ in 0
}
