import GatewayAuth
import GatewayHTTP
import GatewayPosix

/// The client management API under `/v1/api-clients`, acting in the caller's org:
///
/// | request | scope | answer |
/// |---|---|---|
/// | `POST /v1/api-clients` `{name, scopes[], external_id?, rpm?, redirect_uris?, public?}` | `clients:write` | `201 {client_id, client_secret, …}` (no secret for a public client); replay of an `external_id` → `200` without secret; different body → `409` |
/// | `GET /v1/api-clients` | `clients:read` or `clients:write` | `200 {"clients": […]}` |
/// | `GET /v1/api-clients/{id}` | `clients:read` or `clients:write` | `200` client, `404` for unknown or another org's |
/// | `POST /v1/api-clients/{id}/revoke` `{reason?}` | `clients:write` | `200` client (REVOKED; terminal, repeat is a no-op) |
/// | `POST /v1/api-clients/{id}/rotate-secret` | `clients:write` | `200 {client_id, client_secret, …}`; revoked → `409` |
///
/// The caller is a bearer access token checked by the gateway's `AccessTokenVerifier`:
/// none → 401 with a bare `Bearer` challenge; invalid → 401 `error="invalid_token"`;
/// missing scope → 403 `error="insufficient_scope"`. Errors are `application/problem+json`
/// saying what to fix; a scope outside the org policy adds `"error": "invalid_scope"`.
/// No answer ever holds a secret hash; a secret appears once, on creation or rotation.
/// Every answer carries `Cache-Control: no-store`. bcrypt and the store run on the pool.
public struct ClientManagementEndpoint: HTTPResponder {
    public static let basePath = "/v1/api-clients"
    public static let writeScope = "clients:write"
    public static let readScope = "clients:read"

    let configuration: TokenServiceConfiguration
    let verifier: AccessTokenVerifier
    let administration: ClientAdministration
    let pool: WorkerPool

    public init(configuration: TokenServiceConfiguration, verifier: AccessTokenVerifier,
                administration: ClientAdministration, pool: WorkerPool) {
        self.configuration = configuration
        self.verifier = verifier
        self.administration = administration
        self.pool = pool
    }

    /// The operation a path and method name.
    enum Operation: Equatable {
        case list, create, show(String), revoke(String), rotateSecret(String)
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let path = request.head.path
        guard let (operation, allow) = Self.route(method: request.head.method, path: path) else {
            return done(problem(404, "No management operation lives at \(String(path.prefix(200)))."))
        }
        let caller: VerifiedToken
        switch authenticate(request) {
        case .success(let token): caller = token
        case .failure(let refusal): return done(refusal.response)
        }
        guard let operation else {
            return done(problem(405, "\(request.head.method) is not allowed here; use \(allow).", headers: ["Allow": allow]))
        }
        let needsWrite = operation != .list && !Self.isShow(operation)
        let holds = caller.hasScope(Self.writeScope) || (!needsWrite && caller.hasScope(Self.readScope))
        guard holds else {
            let scope = needsWrite ? Self.writeScope : Self.readScope
            return done(problem(403, "This operation needs an access token with the \(scope) scope.",
                                headers: ["WWW-Authenticate": challenge(#"error="insufficient_scope", scope="\#(scope)""#)]))
        }
        let work: @Sendable () -> HTTPServerResponse
        switch prepare(operation, request: request, caller: caller) {
        case .success(let prepared): work = prepared
        case .failure(let refusal): return done(refusal.response)
        }
        if !pool.submit({ done(work()) }) {
            done(problem(503, "The service is busy; retry shortly.", headers: ["Retry-After": "1"]))
        }
    }

    /// The operation for `method` on `path` (nil operation: the path exists but not the
    /// method; `allow` lists the methods it has), or nil for an unknown path.
    static func route(method: String, path: Substring) -> (Operation?, allow: String)? {
        guard path.hasPrefix(basePath) else { return nil }
        var rest = path.dropFirst(basePath.count)
        if rest.isEmpty || rest == "/" { return (method == "GET" ? .list : method == "POST" ? .create : nil, "GET, POST") }
        guard rest.first == "/" else { return nil }
        rest = rest.dropFirst()
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = parts.first, (1...128).contains(first.utf8.count),
              first.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "%") }) else { return nil }
        let id = String(first)
        switch parts.count {
        case 1: return (method == "GET" ? .show(id) : nil, "GET")
        case 2 where parts[1] == "revoke": return (method == "POST" ? .revoke(id) : nil, "POST")
        case 2 where parts[1] == "rotate-secret": return (method == "POST" ? .rotateSecret(id) : nil, "POST")
        default: return nil
        }
    }

    private static func isShow(_ operation: Operation) -> Bool {
        if case .show = operation { return true }
        return false
    }

    struct Refusal: Error {
        var response: HTTPServerResponse
    }

    /// The caller's verified access token, or the 400/401 answer.
    private func authenticate(_ request: HTTPServerRequest) -> Result<VerifiedToken, Refusal> {
        switch BearerCredentials(head: request.head) {
        case .none:
            return .failure(Refusal(response: problem(401, "Send an access token with the \(Self.writeScope) scope as "
                + "'Authorization: Bearer <token>'.", headers: ["WWW-Authenticate": challenge(nil)])))
        case .malformed:
            return .failure(invalidToken())
        case .multipleHeaders, .tokenInQuery:
            return .failure(Refusal(response: problem(400, "Send the access token once, in the Authorization header.",
                headers: ["WWW-Authenticate": challenge(#"error="invalid_request""#)])))
        case .token(let token):
            do throws(TokenVerificationError) {
                return .success(try verifier.verify(token))
            } catch {
                return .failure(invalidToken())
            }
        }
    }

    private func invalidToken() -> Refusal {
        Refusal(response: problem(401, "The access token is invalid, expired or revoked; get a new one from /oauth/token.",
                                  headers: ["WWW-Authenticate": challenge(#"error="invalid_token""#)]))
    }

    func challenge(_ parameters: String?) -> String {
        "Bearer realm=" + JSONText.quoted(configuration.realm) + (parameters.map { ", " + $0 } ?? "")
    }

    /// An `application/problem+json` answer with `Cache-Control: no-store`.
    func problem(_ status: Int, _ detail: String, headers: HTTPHeaders = HTTPHeaders(),
                 extensions: [(String, String)] = []) -> HTTPServerResponse {
        var fields = headers
        fields.replaceOrAdd(name: "Cache-Control", value: "no-store")
        return ProblemDetails(status: status, detail: detail, extensions: extensions).response(headers: fields)
    }
}
