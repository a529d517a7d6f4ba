import GatewayHTTP

/// The checks every form-posting OAuth endpoint (token, introspection, revocation) makes
/// before any work: `POST`, `Content-Type: application/x-www-form-urlencoded`, a body
/// that decodes (valid escapes, UTF-8, no repeated parameter — RFC 6749 §3.1), no client
/// secret in the query string (RFC 6749 §2.3.1), and parseable client credentials.
struct OAuthFormRequest {
    var form: URLEncodedForm
    var credentials: ClientCredentials

    /// The complete answer refusing a request.
    struct Refusal: Error {
        var response: HTTPServerResponse
    }

    /// The parsed request and its required parameter `name` (present, not empty);
    /// nil after answering the refusal through `done`.
    static func parse(_ request: HTTPServerRequest, realm: String, requiring name: String,
                      _ done: @Sendable (HTTPServerResponse) -> Void) -> (request: OAuthFormRequest, value: String)? {
        switch parse(request, realm: realm) {
        case .failure(let refusal):
            done(refusal.response)
            return nil
        case .success(let parsed):
            guard let value = parsed.form[name], !value.isEmpty else {
                done(OAuthError(.invalidRequest, "\(name) is required").response(realm: realm))
                return nil
            }
            return (parsed, value)
        }
    }

    /// The parsed request, or the complete answer refusing it.
    static func parse(_ request: HTTPServerRequest, realm: String) -> Result<OAuthFormRequest, Refusal> {
        guard request.head.method == "POST" else {
            var headers = OAuthResponse.noStoreHeaders
            headers.add(name: "Allow", value: "POST")
            return .failure(Refusal(response: OAuthResponse.json(status: 405, .object([
                ("error", .string("invalid_request")),
                ("error_description", .string("this endpoint only accepts POST")),
            ]), headers: headers)))
        }
        switch form(of: request) {
        case .failure(let error):
            return .failure(Refusal(response: error.response(realm: realm)))
        case .success(let form):
            switch ClientCredentials.parse(head: request.head, form: form) {
            case .success(let credentials): return .success(OAuthFormRequest(form: form, credentials: credentials))
            case .failure(let error): return .failure(Refusal(response: error.response(realm: realm)))
            }
        }
    }

    /// The decoded form body.
    static func form(of request: HTTPServerRequest) -> Result<URLEncodedForm, OAuthError> {
        let contentTypes = request.head.headers.values(name: "Content-Type")
        guard contentTypes.count == 1, isFormMediaType(contentTypes[0]) else {
            return .failure(OAuthError(.invalidRequest, "send the parameters as Content-Type: application/x-www-form-urlencoded"))
        }
        if let query = request.head.query, let parsed = try? URLEncodedForm.parseQuery(query),
           parsed["client_secret"] != nil {
            return .failure(OAuthError(.invalidRequest, "client_secret must not be sent in the URL; send it in the body or with HTTP Basic"))
        }
        do throws(URLEncodingError) {
            return .success(try URLEncodedForm.parse(request.body))
        } catch {
            return .failure(OAuthError(.invalidRequest, "the form body is malformed: \(error.reason)"))
        }
    }

    /// `application/x-www-form-urlencoded`, any case, optionally with parameters
    /// (`; charset=UTF-8`); any charset other than UTF-8 is refused.
    static func isFormMediaType(_ value: String) -> Bool {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        guard let type = parts.first, type.trimmingASCIIWhitespace().equalsIgnoringASCIICase("application/x-www-form-urlencoded")
        else { return false }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return false }
            if pair[0].trimmingASCIIWhitespace().equalsIgnoringASCIICase("charset") {
                var charset = pair[1].trimmingASCIIWhitespace()
                if charset.hasPrefix("\""), charset.hasSuffix("\""), charset.count >= 2 {
                    charset = charset.dropFirst().dropLast()
                }
                guard charset.equalsIgnoringASCIICase("utf-8") else { return false }
            }
        }
        return true
    }
}
