#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Validates OAuth 2.0 bearer access tokens locally: JWTs per RFC 9068, checked
/// as RFC 8725 advises. Shared by every event loop; `verify` is synchronous,
/// never blocks on I/O, and never throws anything but `TokenVerificationError`.
///
/// Order of checks (the first failure is the answer):
/// 1. size ≤ `maxTokenBytes` (8 KiB default);
/// 2. cache: an exact earlier success whose `exp` + leeway has not passed and
///    whose key is still in the ring skips to step 9;
/// 3. three non-empty base64url parts (strict: no padding, canonical);
/// 4. header is a JSON object; `alg` ∈ {RS256, ES256}; no `crit`; `typ` is
///    `at+jwt` or `application/at+jwt` (ASCII case-insensitive); `jku`, `x5u`,
///    `jwk`, `x5c` are ignored, never fetched or trusted;
/// 5. `kid` names a key in the `KeyRing`, and that key was made for `alg`
///    (a token can never pick an algorithm for a key);
/// 6. signature verifies over `header.payload`;
/// 7. claims (only now parsed): `iss` equals the issuer; `aud` contains the audience;
///    `exp` (required) + leeway > now; `nbf` and `iat` (required) ≤ now + leeway;
///    `sub`, `client_id`, `org_id`, `jti` are strings; `scope`, when present, a string;
/// 8. the success is cached;
/// 9. the `RevocationSet` is consulted (client, `jti`, subject) — hit or miss.
public final class AccessTokenVerifier: Sendable {
    public let configuration: Configuration
    public let keys: KeyRing
    public let revocations: RevocationSet
    /// nil turns caching off (every check verifies the signature).
    public let cache: VerifiedTokenCache?
    /// Seconds since the epoch; used by the `verify` overloads without `now`.
    public let clock: @Sendable () -> Int64

    public init(configuration: Configuration, keys: KeyRing, revocations: RevocationSet = RevocationSet(),
                cache: VerifiedTokenCache? = VerifiedTokenCache(),
                clock: @escaping @Sendable () -> Int64 = AccessTokenVerifier.wallClockSeconds) {
        self.configuration = configuration
        self.keys = keys
        self.revocations = revocations
        self.cache = cache
        self.clock = clock
    }

    /// The system's wall clock in whole seconds since the epoch.
    @Sendable public static func wallClockSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }

    /// Verifies `token` (the credentials of an `Authorization: Bearer` header) at `now`.
    public func verify(_ token: Substring, now: Int64) throws(TokenVerificationError) -> VerifiedToken {
        if let result = token.utf8.withContiguousStorageIfAvailable({ verifyResult(UnsafeRawBufferPointer($0), now: now) }) {
            return try result.get()
        }
        return try Array(token.utf8).withUnsafeBytes { verifyResult($0, now: now) }.get()
    }

    /// Verifies `token` at `now`.
    public func verify(_ token: String, now: Int64) throws(TokenVerificationError) -> VerifiedToken {
        try verify(token[...], now: now)
    }

    /// Verifies `token` at the verifier's clock.
    public func verify(_ token: some StringProtocol) throws(TokenVerificationError) -> VerifiedToken {
        try verify(Substring(token), now: clock())
    }

    /// Verifies the token held in `bytes` (ASCII) at `now`.
    public func verify(bytes: UnsafeRawBufferPointer, now: Int64) throws(TokenVerificationError) -> VerifiedToken {
        try verifyResult(bytes, now: now).get()
    }

    private func verifyResult(_ token: UnsafeRawBufferPointer, now: Int64) -> Result<VerifiedToken, TokenVerificationError> {
        guard token.count <= configuration.maxTokenBytes else { return .failure(.tooLarge) }
        guard !token.isEmpty else { return .failure(.malformed) }
        let verified: VerifiedToken
        if let cache, let hit = cache.lookup(token, now: now), hit.keyEpoch == keys.removalEpoch {
            verified = hit
        } else {
            do throws(TokenVerificationError) {
                verified = try verifyUncached(token, now: now)
            } catch {
                return .failure(error)
            }
            cache?.insert(token, verified, now: now)
        }
        if let refusal = revocations.refusal(for: verified) { return .failure(refusal) }
        return .success(verified)
    }
}
