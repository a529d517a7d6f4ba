import GatewayHTTP
import GatewayStore

/// Validation of `GET /oauth/authorize` (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 9700 §2.1),
/// before any page is shown.
///
/// Order matters: until the client and its redirect URI are known to be genuine, no
/// error may be sent to the redirect URI (it could be an attacker's), so these answer an
/// HTML error page (400) instead:
/// 1. a query that does not decode, `client_id` missing or repeated, unknown or revoked;
/// 2. `redirect_uri` missing, repeated, or not byte-for-byte one of the client's
///    registered URIs (no prefix, wildcard or normalisation: RFC 9700 §4.1.3).
///
/// Then errors go back to the redirect URI (§4.1.2.1), with `state` when it was usable:
/// 3. `state` repeated or over 1024 bytes → `invalid_request` (sent without `state`);
/// 4. `response_type` missing or repeated → `invalid_request`; not `code` →
///    `unsupported_response_type` (there is no implicit grant);
/// 5. `code_challenge_method` missing, repeated, `plain` or anything but `S256` →
///    `invalid_request`; `code_challenge` missing, repeated or not 43–128 unreserved
///    characters → `invalid_request`;
/// 6. `scope` malformed, outside the client's grant or the org policy, or empty after
///    defaulting → `invalid_scope`.
/// Parameters it does not know are ignored (§3.1). Pure apart from `lookup`.
public enum AuthorizationRequest {
    public enum Validation: Sendable, Equatable {
        /// Show this message on a 400 error page; never redirect.
        case errorPage(String)
        /// Redirect to this `Location` (an `error=` answer to the client).
        case redirect(String)
        /// Proceed to login and consent.
        case valid(PendingAuthorization)
    }

    public static let maxStateBytes = 1024

    /// Validates the query of an authorization request. `lookup` returns the client and
    /// its org (nil: no such client); its errors propagate.
    public static func validate(query: Substring?, issuer: String, now: Int64,
                                lookup: (String) throws -> (client: ClientRecord, org: OrgRecord)?) throws -> Validation {
        let form: URLEncodedForm
        do throws(URLEncodingError) {
            form = try URLEncodedForm.parseQuery(query ?? "", allowDuplicates: true)
        } catch {
            return .errorPage("The authorization request's query is malformed (\(error.reason)). "
                + "Ask the application's developer to fix the link.")
        }
        func single(_ name: String) -> (value: String?, repeated: Bool) {
            let values = form.values(name)
            return (values.first, values.count > 1)
        }
        let clientID = single("client_id")
        guard let id = clientID.value, !id.isEmpty, !clientID.repeated else {
            return .errorPage("The request names no application (client_id is missing or repeated).")
        }
        guard id.utf8.count <= 128, let (client, org) = try lookup(id), client.status == .active else {
            return .errorPage("The application that sent you here is not registered or has been revoked.")
        }
        let redirect = single("redirect_uri")
        guard let redirectURI = redirect.value, !redirect.repeated else {
            return .errorPage("The request has no single redirect_uri; the application must send one of its "
                + "registered redirect URIs.")
        }
        guard client.redirectURIs.contains(where: { ConstantTime.equals($0, redirectURI) }) else {
            return .errorPage("The redirect_uri is not registered for this application (it must match a "
                + "registered URI exactly). You were not sent back, to keep the response away from an unknown site.")
        }

        func fail(_ code: AuthorizationRedirect.ErrorCode, _ description: String, state: String?) -> Validation {
            .redirect(AuthorizationRedirect.error(redirectURI, code, description, state: state, issuer: issuer))
        }
        let stateParameter = single("state")
        if stateParameter.repeated {
            return fail(.invalidRequest, "state must appear at most once", state: nil)
        }
        if let value = stateParameter.value, value.utf8.count > maxStateBytes {
            return fail(.invalidRequest, "state must be at most \(maxStateBytes) bytes", state: nil)
        }
        let state = stateParameter.value
        let responseType = single("response_type")
        guard let type = responseType.value, !responseType.repeated else {
            return fail(.invalidRequest, "response_type is required once and must be code", state: state)
        }
        guard type == "code" else {
            return fail(.unsupportedResponseType, "only response_type=code is supported (authorization code with PKCE)",
                        state: state)
        }
        let method = single("code_challenge_method")
        guard let methodValue = method.value, !method.repeated else {
            return fail(.invalidRequest, "code_challenge_method=S256 is required (PKCE, RFC 7636)", state: state)
        }
        guard methodValue == PKCE.method else {
            return fail(.invalidRequest, "code_challenge_method must be S256; plain and other methods are refused",
                        state: state)
        }
        let challenge = single("code_challenge")
        guard let challengeValue = challenge.value, !challenge.repeated, PKCE.isWellFormed(challengeValue) else {
            return fail(.invalidRequest, "code_challenge is required: 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
                        state: state)
        }
        let scopeParameter = single("scope")
        if scopeParameter.repeated { return fail(.invalidRequest, "scope must appear at most once", state: state) }
        let scopes: [String]
        switch ScopeResolver.resolve(requested: scopeParameter.value, clientScopes: client.scopes,
                                     orgPolicy: org.scopePolicy) {
        case .success(let value): scopes = value
        case .failure(let error): return fail(.invalidScope, error.description, state: state)
        }
        guard !scopes.isEmpty else {
            return fail(.invalidScope, "the application holds no scope its organisation allows", state: state)
        }
        return .valid(PendingAuthorization(
            clientID: client.clientID, clientName: client.name, orgID: client.orgID, orgName: org.name,
            redirectURI: redirectURI, scopes: scopes, state: state, codeChallenge: challengeValue, createdAt: now))
    }
}
