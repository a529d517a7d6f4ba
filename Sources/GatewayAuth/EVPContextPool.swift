import COpenSSL
import Synchronization

/// A pair of OpenSSL contexts for one signature operation: the SHA-256 digest
/// context and the key context initialised for signing or verifying.
struct EVPOperationContext: @unchecked Sendable {
    // @unchecked: the pointers are only ever used by the one thread that took the
    // pair out of its pool, and returned before any other thread can take it.
    let digest: OpaquePointer
    let key: OpaquePointer
}

/// A small free list of initialised `EVPOperationContext`s for one key and one
/// operation.
///
/// OpenSSL 3 makes creating and initialising an `EVP_PKEY_CTX` expensive (provider
/// fetches, key-data export: about 10 µs, a third of an RS256 check), while a
/// context initialised once can run any number of sign or verify operations.
/// Contexts are not thread-safe, so each is lent to one caller at a time;
/// the pool keeps at most `capacity` idle ones (default 32) and frees the rest.
final class EVPContextPool: Sendable {
    private let idle: Mutex<[EVPOperationContext]>
    private let make: @Sendable () -> EVPOperationContext?
    private let capacity: Int

    init(capacity: Int = 32, make: @escaping @Sendable () -> EVPOperationContext?) {
        self.idle = Mutex([])
        self.make = make
        self.capacity = capacity
    }

    deinit {
        idle.withLock { contexts in
            for context in contexts { Self.free(context) }
            contexts.removeAll()
        }
    }

    /// Runs `body` with a context nobody else is using; nil when OpenSSL could not create one.
    func withContext<R>(_ body: (EVPOperationContext) -> R) -> R? {
        let taken = idle.withLock { $0.popLast() }
        guard let context = taken ?? make() else { return nil }
        let result = body(context)
        let kept = idle.withLock { contexts -> Bool in
            guard contexts.count < capacity else { return false }
            contexts.append(context)
            return true
        }
        if !kept { Self.free(context) }
        return result
    }

    static func free(_ context: EVPOperationContext) {
        EVP_MD_CTX_free(context.digest)
        EVP_PKEY_CTX_free(context.key)
    }
}

/// The process-wide SHA-256 implementation, fetched once from the default provider.
struct SHA256Digest: @unchecked Sendable {
    // @unchecked: an `EVP_MD` fetched from a provider is immutable and may be used
    // by any number of threads at once.
    let md: OpaquePointer

    static let shared: SHA256Digest = {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else {
            fatalError("OpenSSL has no SHA-256 implementation; check the OpenSSL installation")
        }
        return SHA256Digest(md: md)
    }()

    /// SHA-256 of `data` into `out` (32 bytes), using the scratch context `ctx`.
    static func digest(_ data: UnsafeRawBufferPointer, ctx: OpaquePointer,
                       into out: UnsafeMutablePointer<UInt8>) -> Bool {
        var length: UInt32 = 0
        return EVP_DigestInit_ex2(ctx, shared.md, nil) == 1
            && EVP_DigestUpdate(ctx, data.baseAddress, data.count) == 1
            && EVP_DigestFinal_ex(ctx, out, &length) == 1
            && length == 32
    }

    /// SHA-256 of `data`, or nil when OpenSSL failed.
    static func hash(_ data: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: 32)
        let ok = out.withUnsafeMutableBufferPointer { digest(data, ctx: ctx, into: $0.baseAddress!) }
        return ok ? out : nil
    }
}
