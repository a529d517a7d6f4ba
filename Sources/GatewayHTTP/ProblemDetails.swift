/// An RFC 9457 problem document (`application/problem+json`), the body of
/// every error the gateway itself makes outside the OAuth endpoints.
public struct ProblemDetails: Sendable, Equatable {
    public var status: Int
    public var title: String
    public var detail: String?
    /// A URI naming the problem type; `about:blank` when the status says it all.
    public var type: String
    /// Extension members, rendered as JSON strings.
    public var extensions: [(String, String)]

    public init(status: Int, title: String? = nil, detail: String? = nil, type: String = "about:blank",
                extensions: [(String, String)] = []) {
        self.status = status
        self.title = title ?? HTTPStatus.reason(status)
        self.detail = detail
        self.type = type
        self.extensions = extensions
    }

    public static func == (a: ProblemDetails, b: ProblemDetails) -> Bool {
        a.status == b.status && a.title == b.title && a.detail == b.detail && a.type == b.type
            && a.extensions.map { $0.0 + "\u{0}" + $0.1 } == b.extensions.map { $0.0 + "\u{0}" + $0.1 }
    }

    public static let contentType = "application/problem+json"

    /// The JSON document.
    public var json: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        out.append(contentsOf: Array("{\"type\":".utf8))
        JSONText.appendString(type, to: &out)
        out.append(contentsOf: Array(",\"title\":".utf8))
        JSONText.appendString(title, to: &out)
        out.append(contentsOf: Array(",\"status\":\(status)".utf8))
        if let detail {
            out.append(contentsOf: Array(",\"detail\":".utf8))
            JSONText.appendString(detail, to: &out)
        }
        for (key, value) in extensions {
            out.append(UInt8(ascii: ","))
            JSONText.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A complete response carrying this problem.
    public func response(headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        var h = headers
        h.replaceOrAdd(name: "Content-Type", value: Self.contentType)
        return HTTPServerResponse(status: status, headers: h, body: json)
    }
}

extension ProblemDetails {
    /// The whole 408 answer to a request head that did not arrive in time
    /// (the connection closes after it).
    public static let requestTimeoutResponse: [UInt8] = {
        let body = ProblemDetails(status: 408, detail: "The request head was not received in time.").json
        let head = HTTPResponseHead(status: 408, headers: [
            "Content-Type": contentType, "Connection": "close", "Content-Length": String(body.count),
        ])
        return head.serialized + body
    }()
}
