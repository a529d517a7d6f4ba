import COpenSSL

/// One OpenSSL `EVP_PKEY` made for one JWS algorithm, with pools of ready
/// contexts for signing (private keys only) and verifying.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never modified after `init`, and
/// OpenSSL 3 allows concurrent sign and verify operations on a shared key; the
/// non-thread-safe per-operation contexts are lent out exclusively by the pools.
final class EVPKey: @unchecked Sendable {
    let pkey: OpaquePointer
    let algorithm: JWSAlgorithm
    let hasPrivateKey: Bool
    private let verifyPool: EVPContextPool
    private let signPool: EVPContextPool

    /// Takes ownership of `pkey` (one reference), which must already have been
    /// checked to suit `algorithm`.
    init(taking pkey: OpaquePointer, algorithm: JWSAlgorithm, hasPrivateKey: Bool) {
        self.pkey = pkey
        self.algorithm = algorithm
        self.hasPrivateKey = hasPrivateKey
        let handle = PKeyHandle(pkey: pkey)
        self.verifyPool = EVPContextPool { Self.makeContext(handle, algorithm: algorithm, sign: false) }
        self.signPool = EVPContextPool { Self.makeContext(handle, algorithm: algorithm, sign: true) }
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Checks `signature` (DER for ECDSA, raw for RSA) over `data`. Never throws:
    /// any failure, including a malformed signature, is `false`.
    func verify(signature: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) -> Bool {
        let ok = verifyPool.withContext { context -> Bool in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
                guard SHA256Digest.digest(data, ctx: context.digest, into: digest.baseAddress!) else { return false }
                return signature.withMemoryRebound(to: UInt8.self) { sig in
                    EVP_PKEY_verify(context.key, sig.baseAddress, sig.count, digest.baseAddress, 32) == 1
                }
            }
        } ?? false
        if !ok { ERR_clear_error() }
        return ok
    }

    /// Signs `data`: PKCS#1 v1.5 bytes for RSA, DER `ECDSA-Sig-Value` for EC.
    func sign(_ data: UnsafeRawBufferPointer) throws(JOSEError) -> [UInt8] {
        guard hasPrivateKey else { throw JOSEError("this key has no private part; load the private key to sign") }
        let result = signPool.withContext { context -> [UInt8]? in
            var digest = [UInt8](repeating: 0, count: 32)
            guard digest.withUnsafeMutableBufferPointer({
                SHA256Digest.digest(data, ctx: context.digest, into: $0.baseAddress!)
            }) else { return nil }
            var length = 0
            guard EVP_PKEY_sign(context.key, nil, &length, digest, 32) == 1 else { return nil }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_sign(context.key, &signature, &length, digest, 32) == 1 else { return nil }
            signature.removeSubrange(length...)
            return signature
        }
        guard let signature = result ?? nil else { throw JOSEError.openSSL("signing failed") }
        return signature
    }

    private static func makeContext(_ handle: PKeyHandle, algorithm: JWSAlgorithm, sign: Bool) -> EVPOperationContext? {
        guard let digest = EVP_MD_CTX_new() else { return nil }
        guard let key = EVP_PKEY_CTX_new_from_pkey(nil, handle.pkey, nil) else {
            EVP_MD_CTX_free(digest)
            return nil
        }
        var ok = (sign ? EVP_PKEY_sign_init(key) : EVP_PKEY_verify_init(key)) == 1
        if ok, algorithm == .rs256 { ok = copenssl_evp_pkey_ctx_set_rsa_padding(key, RSA_PKCS1_PADDING) == 1 }
        if ok { ok = EVP_PKEY_CTX_set_signature_md(key, SHA256Digest.shared.md) == 1 }
        guard ok else {
            EVP_MD_CTX_free(digest)
            EVP_PKEY_CTX_free(key)
            ERR_clear_error()
            return nil
        }
        return EVPOperationContext(digest: digest, key: key)
    }
}

/// An `EVP_PKEY` pointer that may cross threads: its owner (`EVPKey`) outlives
/// every pool that holds the handle and never mutates the key.
struct PKeyHandle: @unchecked Sendable {
    let pkey: OpaquePointer
}
