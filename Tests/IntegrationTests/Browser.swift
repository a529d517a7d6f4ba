import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// What a browser does with the gateway's pages, at the HTTP level: keeps cookies (by
/// name, honouring `Max-Age=0`), sends them back, reads forms out of HTML, posts them
/// form-encoded, and shows where redirects point without following them (tests follow
/// them on purpose, one step at a time).
final class Browser {
    let port: Int
    private(set) var cookies: [String: String] = [:]
    /// Every `Set-Cookie` value seen, for attribute checks.
    private(set) var setCookies: [String] = []

    init(port: Int) {
        self.port = port
    }

    func get(_ target: String) throws -> TestHTTPResponse {
        try send("GET", target, body: nil)
    }

    func head(_ target: String) throws -> TestHTTPResponse {
        try send("HEAD", target, body: nil)
    }

    /// Posts `fields` form-encoded.
    func post(_ target: String, _ fields: [(String, String)]) throws -> TestHTTPResponse {
        let body = fields.map { PercentEncoding.encodeFormComponent($0.0) + "=" + PercentEncoding.encodeFormComponent($0.1) }
            .joined(separator: "&")
        return try send("POST", target, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Posts the first form of `page` whose action is `action` (or the first form), with
    /// its hidden fields plus `fields`.
    func submit(_ page: TestHTTPResponse, action: String? = nil, _ fields: [(String, String)] = []) throws -> TestHTTPResponse {
        let form = try #require(Self.forms(page.bodyString).first { action == nil || $0.action == action },
                                "no form \(action ?? "") on the page: \(page.bodyString.prefix(400))")
        let named = Set(fields.map(\.0))
        return try post(form.action, form.hidden.filter { !named.contains($0.0) } + fields)
    }

    private func send(_ method: String, _ target: String, body: String?, contentType: String? = nil) throws -> TestHTTPResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: "Cookie", value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: "; "))
        }
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        let client = try TestHTTPClient(port: port, timeout: .seconds(10))
        defer { client.close() }
        let response = try client.request(method: method, target: target, headers: headers, body: body.map { Array($0.utf8) })
        for value in response.headers.values(name: "Set-Cookie") {
            setCookies.append(value)
            let pair = value.split(separator: ";")[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), cookie = String(pair[pair.index(after: equals)...])
            if value.contains("Max-Age=0") || cookie.isEmpty { cookies[name] = nil } else { cookies[name] = cookie }
        }
        return response
    }

    /// A form on a page: its action and hidden fields.
    struct Form {
        var action: String
        var hidden: [(String, String)]
    }

    /// The forms of an HTML page (enough HTML for the pages Portcullis renders).
    static func forms(_ html: String) -> [Form] {
        html.components(separatedBy: "<form").dropFirst().map { chunk in
            let form = chunk.components(separatedBy: "</form>")[0]
            let action = attribute("action", in: form.components(separatedBy: ">")[0]) ?? ""
            let hidden = form.components(separatedBy: "<input").dropFirst().compactMap { input -> (String, String)? in
                let tag = input.components(separatedBy: ">")[0]
                guard attribute("type", in: tag) == "hidden", let name = attribute("name", in: tag) else { return nil }
                return (name, attribute("value", in: tag) ?? "")
            }
            return Form(action: action, hidden: hidden)
        }
    }

    /// The unescaped value of `name="…"` in a tag.
    static func attribute(_ name: String, in tag: String) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return unescape(String(rest[..<end]))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The query parameters of a `Location` (or any URL).
    static func parameters(_ location: String) -> [String: String] {
        guard let components = URLComponents(string: location) else { return [:] }
        var out: [String: String] = [:]
        for item in components.queryItems ?? [] { out[item.name] = item.value ?? "" }
        return out
    }
}
