import GatewayHTTP

/// Answers `GET`/`HEAD` with one document rendered ahead of time (the
/// OpenAPI documents and the changelog are built once per configuration,
/// not per request). Sends a strong `ETag` and answers a matching
/// `If-None-Match` with 304; other methods get 405 with `Allow`.
public struct StaticDocumentResponder: HTTPResponder {
    public let contentType: String
    public let body: [UInt8]
    public let etag: String

    public init(contentType: String, body: [UInt8]) {
        self.contentType = contentType
        self.body = body
        etag = "\"" + Fingerprint.hex(String(decoding: body, as: UTF8.self)) + "\""
    }

    public func respond(to request: HTTPServerRequest, _ done: @escaping @Sendable (HTTPServerResponse) -> Void) {
        done(response(to: request))
    }

    /// The answer to `request`, synchronously.
    public func response(to request: HTTPServerRequest) -> HTTPServerResponse {
        let method = request.head.method
        guard method == "GET" || method == "HEAD" else {
            return ProblemDetails(status: 405, detail: "This document answers GET and HEAD only.")
                .response(headers: ["Allow": "GET, HEAD"])
        }
        var headers: HTTPHeaders = ["ETag": etag, "Cache-Control": "no-cache"]
        let candidates = request.head.headers.values(name: "If-None-Match")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters() }
        if candidates.contains(where: { $0 == "*" || $0 == etag || $0 == "W/" + etag }) {
            return HTTPServerResponse(status: 304, headers: headers)
        }
        headers.replaceOrAdd(name: "Content-Type", value: contentType)
        return HTTPServerResponse(status: 200, headers: headers, body: body)
    }
}

private extension Substring {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
