import Foundation
import GatewayAuth
import GatewayHTTP
import GatewayProxy

/// Token-check costs: the cached check every request with a reused token pays,
/// the uncached RS256 and ES256 checks a fresh token pays once, and the JSON
/// claim parsing inside the uncached path (hand-written vs Foundation).
func benchAuth() {
    let now: Int64 = 1_750_000_000
    let rsa = try! SigningKey.generate(.rs256)
    let ec = try! SigningKey.generate(.es256)
    let ring = KeyRing([rsa.verificationKey, ec.verificationKey])
    let configuration = try! AccessTokenVerifier.Configuration(issuer: "http://127.0.0.1:8080", audience: "portcullis")
    let claims = AccessTokenClaims(issuer: "http://127.0.0.1:8080", subject: "cl_4fQ2mX8rT1vY6bN3", audience: ["portcullis"],
                                   clientID: "cl_4fQ2mX8rT1vY6bN3", orgID: "org_acme", scopes: ["ledger:read", "ledger:write"],
                                   tokenID: "Jm3kq9ZtV0xLw2Rb7PcYsA", issuedAt: now - 10, expiresAt: now + 890)
    let rsToken = try! JWTSigner(key: rsa).sign(claims)
    let esToken = try! JWTSigner(key: ec).sign(claims)

    let cached = AccessTokenVerifier(configuration: configuration, keys: ring)
    let uncached = AccessTokenVerifier(configuration: configuration, keys: ring, cache: nil)
    var sink = 0
    _ = try! cached.verify(rsToken, now: now)
    measure("auth.cached_check_rs256", iterations: 2_000_000) {
        sink &+= (try? cached.verify(rsToken, now: now))?.scopes.count ?? 0
    }

    let revoked = RevocationSet(RevocationSnapshot(
        revokedClients: Set((0..<10_000).map { "cl_revoked_\($0)" }),
        revokedTokens: Dictionary(uniqueKeysWithValues: (0..<10_000).map { ("jti_\($0)", now + 900) }),
        disabledSubjects: Set((0..<10_000).map { "user_\($0)" })))
    let cachedWithRevocations = AccessTokenVerifier(configuration: configuration, keys: ring, revocations: revoked)
    _ = try! cachedWithRevocations.verify(rsToken, now: now)
    measure("auth.cached_check_10k_revocations", iterations: 2_000_000) {
        sink &+= (try? cachedWithRevocations.verify(rsToken, now: now))?.scopes.count ?? 0
    }

    let filter = BearerAuthFilter(verifier: cached)
    let head = HTTPRequestHead(method: "GET", target: "/v1/ledger/entries?limit=5",
                               headers: HTTPHeaders([("Host", "api.test"), ("Authorization", "Bearer " + rsToken)]))
    let context = ProxyContext(requestID: "r", head: head, remoteAddress: "127.0.0.1", startMonotonicNanos: 0,
                               startUnixNanos: now * 1_000_000_000)
    context.route = RouteMatch(api: "ledger", version: "v1",
                               operation: CompiledOperation(method: "GET", pathTemplate: "/ledger/entries", scopes: ["ledger:read"]),
                               upstream: UpstreamTarget(baseURL: "http://127.0.0.1:9001"))
    measure("auth.filter_cached", iterations: 1_000_000) {
        sink &+= filter.requestFilter(context) == nil ? 1 : 0
    }

    measure("auth.uncached_check_rs256", iterations: 20_000) {
        sink &+= (try? uncached.verify(rsToken, now: now))?.scopes.count ?? 0
    }
    measure("auth.uncached_check_es256", iterations: 5_000) {
        sink &+= (try? uncached.verify(esToken, now: now))?.scopes.count ?? 0
    }
    let data = Array("header.payload".utf8)
    let rsSignature = try! rsa.sign(data)
    measure("auth.rs256_signature_only", iterations: 20_000) {
        sink &+= rsa.verificationKey.verify(signature: rsSignature, data: data) ? 1 : 0
    }

    if sink == 42 { print("") }
}
