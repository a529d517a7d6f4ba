import GatewayHTTP

/// The body of a form posted by one of the pages: `Content-Type:
/// application/x-www-form-urlencoded` (UTF-8), every field at most once unless the form
/// has repeatable fields (check boxes). Browsers send exactly that for the plain HTML
/// forms Portcullis renders; anything else is refused before the CSRF check.
public enum WebForm {
    /// The decoded form, or nil when the request is not such a form.
    public static func parse(_ request: HTTPServerRequest, allowDuplicates: Bool = false) -> URLEncodedForm? {
        let contentTypes = request.head.headers.values(name: "Content-Type")
        guard contentTypes.count == 1, OAuthFormRequest.isFormMediaType(contentTypes[0]) else { return nil }
        return try? URLEncodedForm.parse(request.body, allowDuplicates: allowDuplicates)
    }

    /// The value of a query parameter that appears exactly once.
    public static func query(_ request: HTTPServerRequest, _ name: String) -> String? {
        guard let query = request.head.query, let form = try? URLEncodedForm.parseQuery(query) else { return nil }
        let values = form.values(name)
        return values.count == 1 ? values[0] : nil
    }
}
