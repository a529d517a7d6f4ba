import GatewayHTTP

/// The session cookie shared by the authorization pages and the portal.
///
/// With an `https` issuer: `__Host-portcullis_session=<id>; Path=/; Secure; HttpOnly;
/// SameSite=Lax` — the `__Host-` prefix makes browsers refuse it unless it is Secure,
/// host-only and for `/`, so no sibling domain or plain-HTTP page can set or shadow it.
/// With an `http` issuer (local development) browsers would reject a `Secure` or
/// `__Host-` cookie sent over plain HTTP, so the cookie is `portcullis_session=<id>;
/// Path=/; HttpOnly; SameSite=Lax`. No `Domain`, no `Max-Age`: it ends with the browser
/// session, and the server ends it sooner (`WebSessionStore`).
///
/// `SameSite=Lax` rather than `Strict`: an application sends the user to
/// `/oauth/authorize` by a cross-site top-level navigation, and a logged-in user should
/// then see the consent page directly; `Strict` would hide the session on that request.
/// Lax still withholds the cookie from cross-site POSTs, and every form also carries a
/// CSRF token. The value is never logged (the log masker redacts `Cookie` and `Set-Cookie`).
public struct SessionCookie: Sendable, Equatable {
    public let name: String
    public let secure: Bool

    public init(secure: Bool) {
        self.secure = secure
        name = secure ? "__Host-portcullis_session" : "portcullis_session"
    }

    /// `Set-Cookie` for a session id.
    public func set(_ id: String) -> String {
        name + "=" + id + "; Path=/" + (secure ? "; Secure" : "") + "; HttpOnly; SameSite=Lax"
    }

    /// `Set-Cookie` that deletes the cookie.
    public func clear() -> String {
        name + "=; Path=/; Max-Age=0" + (secure ? "; Secure" : "") + "; HttpOnly; SameSite=Lax"
    }

    /// The session id the request carries, if any (the first cookie of that name).
    public func value(in headers: HTTPHeaders) -> String? {
        for field in headers where field.name.equalsIgnoringASCIICase("Cookie") {
            for pair in field.value.split(separator: ";") {
                let trimmed = pair.trimmingASCIIWhitespace()
                guard let equals = trimmed.firstIndex(of: "=") else { continue }
                if trimmed[..<equals] == name {
                    let value = trimmed[trimmed.index(after: equals)...]
                    return value.isEmpty ? nil : String(value)
                }
            }
        }
        return nil
    }
}
