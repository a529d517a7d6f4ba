import GatewayHTTP
import GatewayOpenAPI
import GatewayProxy
import Synchronization
import Testing

/// The documentation endpoints: which paths, what they answer, built once per configuration.
@Suite struct DocumentRoutesTests {
    func request(_ method: String, _ path: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerRequest {
        HTTPServerRequest(head: HTTPRequestHead(method: method, target: path, headers: headers))
    }

    @Test func routesCoverEveryDocument() throws {
        let routes = OpenAPIRoutes.localRoutes(config: try OpenAPIFixtures.config())
        let paths = routes.map { route -> String in
            if case .exact(let p) = route.match { return p }
            return "?"
        }
        #expect(paths == ["/openapi.json", "/v1/openapi.json", "/v2/openapi.json", "/changelog", "/changelog.atom"])
        #expect(routes.allSatisfy { $0.maxBodyBytes == 0 })
    }

    @Test func documentsAnswerWithTheGeneratedBytes() throws {
        let config = try OpenAPIFixtures.config()
        let documents = Dictionary(uniqueKeysWithValues: OpenAPIRoutes.documents(config: config))
        let full = try #require(documents["/openapi.json"]).response(to: request("GET", "/openapi.json"))
        #expect(full.status == 200)
        #expect(full.headers.first(name: "Content-Type") == "application/json")
        #expect(try JSONParser.parse(full.body, maxDepth: 128) == (try OpenAPIGenerator.document(for: config)))
        let v2 = try #require(documents["/v2/openapi.json"]).response(to: request("GET", "/v2/openapi.json"))
        #expect(try JSONParser.parse(v2.body, maxDepth: 128) == (try OpenAPIGenerator.document(for: config, version: "v2")))
        let changelog = try #require(documents["/changelog"]).response(to: request("GET", "/changelog"))
        #expect(try JSONParser.parse(changelog.body) == Changelog(config: config).json)
        let atom = try #require(documents["/changelog.atom"]).response(to: request("GET", "/changelog.atom"))
        #expect(atom.headers.first(name: "Content-Type") == "application/atom+xml; charset=utf-8")
        #expect(String(decoding: atom.body, as: UTF8.self) == Changelog(config: config).atom)
    }

    @Test func conditionalRequestsAndMethods() throws {
        let responder = StaticDocumentResponder(contentType: "application/json", body: Array("{}".utf8))
        let first = responder.response(to: request("GET", "/openapi.json"))
        let etag = try #require(first.headers.first(name: "ETag"))
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        #expect(first.headers.first(name: "Cache-Control") == "no-cache")
        let cached = responder.response(to: request("GET", "/openapi.json", headers: ["If-None-Match": "\"other\", \(etag)"]))
        #expect(cached.status == 304 && cached.body.isEmpty)
        let stale = responder.response(to: request("GET", "/openapi.json", headers: ["If-None-Match": "\"other\""]))
        #expect(stale.status == 200)
        #expect(responder.response(to: request("HEAD", "/openapi.json")).status == 200)
        let post = responder.response(to: request("POST", "/openapi.json"))
        #expect(post.status == 405 && post.headers.first(name: "Allow") == "GET, HEAD")
        #expect(post.headers.first(name: "Content-Type") == ProblemDetails.contentType)
    }

    @Test func responderCallsDoneOnce() throws {
        let responder = StaticDocumentResponder(contentType: "text/plain", body: Array("x".utf8))
        let calls = Atomic<Int>(0)
        responder.respond(to: request("GET", "/")) { _ in calls.add(1, ordering: .relaxed) }
        #expect(calls.load(ordering: .relaxed) == 1)
    }
}
