import GatewayHTTP
import GatewayProxy

/// The pipeline's authentication and scope phase: accepts a request only with
/// a valid bearer access token that holds every scope its operation lists.
///
/// In `requestFilter`:
/// - operations marked public pass untouched; so do gateway-local endpoints
///   (`context.isLocal`), which authenticate their callers themselves. A request
///   with no route that is not local still needs a valid token (fail closed);
/// - credentials come only from `Authorization: Bearer <token>` (see
///   `BearerCredentials`). A query-string `access_token` or several
///   `Authorization` headers → 400 `error="invalid_request"`; no bearer
///   credentials → 401 with a bare challenge (RFC 6750 §3.1); a malformed,
///   invalid, expired or revoked token → 401 `error="invalid_token"`;
/// - on success `context.principal` is set, then a token missing a required
///   scope → 403 `error="insufficient_scope", scope="<required scopes>"`.
///
/// For a request no operation matched (404, 405, 410), `identifyCaller` sets
/// `context.principal` from a valid token so the access log names the caller.
///
/// Every refusal carries `WWW-Authenticate: Bearer realm="<realm>"...` in
/// `ProxyError.headers`; details of why a token failed are never sent.
/// "Now" is the request's own start time (`context.startUnixNanos`).
public final class BearerAuthFilter: ProxyFilter {
    public let verifier: AccessTokenVerifier
    /// The `realm` of every challenge; default `portcullis`.
    public let realm: String

    private let missingChallenge: String
    private let invalidTokenChallenge: String
    private let invalidRequestChallenge: String

    public init(verifier: AccessTokenVerifier, realm: String = "portcullis") {
        self.verifier = verifier
        self.realm = realm
        let base = "Bearer realm=" + Self.quoted(realm)
        missingChallenge = base
        invalidTokenChallenge = base + #", error="invalid_token""#
        invalidRequestChallenge = base + #", error="invalid_request""#
    }

    public func requestFilter(_ context: ProxyContext) -> ProxyError? {
        if context.route?.operation.isPublic == true { return nil }
        if context.route == nil, context.isLocal { return nil }

        let token: Substring
        switch BearerCredentials(head: context.head) {
        case .token(let value):
            token = value
        case .none:
            return refusal(.unauthorized, missingChallenge,
                           "This operation needs an access token: send it as 'Authorization: Bearer <token>'.")
        case .malformed:
            return invalidToken
        case .multipleHeaders:
            return refusal(.badRequest, invalidRequestChallenge, "Send exactly one Authorization header.")
        case .tokenInQuery:
            return refusal(.badRequest, invalidRequestChallenge,
                           "Access tokens in the query string are refused; send 'Authorization: Bearer <token>' instead.")
        }

        let verified: VerifiedToken
        do {
            verified = try verifier.verify(token, now: context.startUnixNanos / 1_000_000_000)
        } catch {
            return invalidToken
        }
        context.principal = verified.principal

        guard let required = context.route?.operation.scopes, !required.isEmpty else { return nil }
        for scope in required where !verified.hasScope(scope) {
            let list = required.joined(separator: " ")
            return refusal(.forbidden, missingChallenge + #", error="insufficient_scope", scope="# + Self.quoted(list),
                           "The access token lacks a scope this operation requires (\(list)); request a token with it.")
        }
        return nil
    }

    /// A request no operation matched: a valid bearer token names the caller in
    /// the logs; anything else leaves the request anonymous. Nothing is refused.
    public func identifyCaller(_ context: ProxyContext) {
        guard case .token(let token) = BearerCredentials(head: context.head),
              let verified = try? verifier.verify(token, now: context.startUnixNanos / 1_000_000_000) else { return }
        context.principal = verified.principal
    }

    private var invalidToken: ProxyError {
        refusal(.unauthorized, invalidTokenChallenge,
                "The access token is malformed, expired, revoked or not valid here; request a new one.")
    }

    private func refusal(_ kind: ProxyError.Kind, _ challenge: String, _ detail: String) -> ProxyError {
        ProxyError(kind, detail: detail, headers: HTTPHeaders([("WWW-Authenticate", challenge)]))
    }

    /// `value` as an HTTP quoted-string (RFC 9110 §5.6.4).
    static func quoted(_ value: String) -> String {
        var out = "\""
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(character)
        }
        return out + "\""
    }
}
