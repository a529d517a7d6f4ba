import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// CORS as a browser application on an allowed origin meets it: preflights answered
/// before authentication, every answer readable by the page, other origins and the
/// cookie-bearing pages left out.
@Suite struct CrossOriginTests {
    static let app = "https://app.example.com"
    static let cors = #""cors": { "allowed_origins": ["https://app.example.com"], "allowed_headers": ["X-Tenant"] }"#

    func preflight(_ fixture: GatewayFixture, _ path: String, method: String, origin: String = app)
        throws -> TestHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Origin", value: origin)
        headers.add(name: "Access-Control-Request-Method", value: method)
        headers.add(name: "Access-Control-Request-Headers", value: "authorization, content-type")
        return try fixture.client().request(method: "OPTIONS", target: path, headers: headers)
    }

    func call(_ fixture: GatewayFixture, _ path: String, origin: String?) throws -> TestHTTPResponse {
        var headers = HTTPHeaders()
        if let origin { headers.add(name: "Origin", value: origin) }
        return try fixture.client().request(target: path, headers: headers)
    }

    @Test func preflightsFromAnAllowedOriginAreAnsweredForDeclaredMethods() throws {
        let fixture = try GatewayFixture(top: Self.cors)
        let ok = try preflight(fixture, "/v2/ledger/entries", method: "POST")
        #expect(ok.status == 204 && ok.body.isEmpty)
        #expect(ok.header("Access-Control-Allow-Origin") == Self.app)
        #expect(ok.header("Access-Control-Allow-Methods") == "POST")
        #expect(ok.header("Access-Control-Allow-Headers") == "Authorization, Content-Type, Accept, X-Request-Id, X-Tenant")
        #expect(ok.header("Access-Control-Max-Age") == "600")
        #expect(ok.header("Vary") == "Origin")
        #expect(ok.header("Access-Control-Allow-Credentials") == nil)
        // The token service's endpoints take part with their own methods.
        #expect(try preflight(fixture, "/oauth/token", method: "POST").status == 204)
        #expect(try preflight(fixture, "/.well-known/jwks.json", method: "GET").status == 204)
        // An undeclared method, another origin: 403 saying why, and nothing a browser would accept.
        for refused in [try preflight(fixture, "/v2/ledger/entries", method: "DELETE"),
                        try preflight(fixture, "/oauth/token", method: "GET"),
                        try preflight(fixture, "/v2/ledger/entries", method: "GET", origin: "https://evil.example")] {
            #expect(refused.status == 403 && refused.header("Access-Control-Allow-Origin") == nil)
            #expect(refused.header("Content-Type") == "application/problem+json")
        }
        #expect(try preflight(fixture, "/v2/nothing", method: "GET").status == 404)
        // Pages that carry cookies are never cross-origin: the preflight gets what any OPTIONS gets.
        for page in ["/portal", "/oauth/authorize"] {
            let answer = try preflight(fixture, page, method: "POST")
            #expect(answer.status == 405 && answer.header("Access-Control-Allow-Origin") == nil, "\(page)")
        }
    }

    @Test func answersToAnAllowedOriginAreReadableByThePageErrorsIncluded() throws {
        let fixture = try GatewayFixture(top: Self.cors)
        let ok = try call(fixture, "/v2/ledger/entries", origin: Self.app)
        #expect(ok.status == 200 && ok.header("Access-Control-Allow-Origin") == Self.app)
        #expect(ok.header("Access-Control-Expose-Headers")?.contains("RateLimit") == true)
        #expect(ok.headers.values(name: "Vary").contains("Origin"))
        let missing = try call(fixture, "/v2/nothing", origin: Self.app)
        #expect(missing.status == 404 && missing.header("Access-Control-Allow-Origin") == Self.app)
        // No Origin, or one not listed: no CORS fields, but the answer says it depends on the origin.
        for origin in [nil, "https://evil.example"] as [String?] {
            let plain = try call(fixture, "/v2/ledger/entries", origin: origin)
            #expect(plain.header("Access-Control-Allow-Origin") == nil)
            #expect(plain.headers.values(name: "Vary").contains("Origin"))
        }
        let portal = try call(fixture, "/portal", origin: Self.app)
        #expect(portal.header("Access-Control-Allow-Origin") == nil && !portal.headers.values(name: "Vary").contains("Origin"))
    }

    @Test func theUpstreamsOwnCrossOriginFieldsGiveWayToTheGateways() throws {
        let upstream = try TestTCPServer { connection in
            while try connection.readRequest() != nil {
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Access-Control-Allow-Origin", value: "*")
                headers.add(name: "access-control-allow-credentials", value: "true")
                try connection.respond(status: 200, headers: headers, body: "{}")
            }
        }
        defer { upstream.stop() }
        let fixture = try GatewayFixture(top: Self.cors, v1Upstream: "http://127.0.0.1:\(upstream.port)")
        let answer = try call(fixture, "/v1/ledger/entries", origin: Self.app)
        #expect(answer.status == 200)
        #expect(answer.headers.values(name: "Access-Control-Allow-Origin") == [Self.app])
        #expect(answer.header("Access-Control-Allow-Credentials") == nil)
        // Without an Origin the gateway takes no part, and the upstream's fields pass as they are.
        #expect(try call(fixture, "/v1/ledger/entries", origin: nil).header("Access-Control-Allow-Origin") == "*")
    }

    @Test func anyOriginNeedsNoVary() throws {
        let fixture = try GatewayFixture(top: #""cors": { "allowed_origins": ["*"] }"#)
        let answer = try call(fixture, "/v2/ledger/entries", origin: "https://whoever.example")
        #expect(answer.header("Access-Control-Allow-Origin") == "*")
        #expect(!answer.headers.values(name: "Vary").contains("Origin"))
    }

    @Test func withoutCorsNothingIsAnswered() throws {
        let fixture = try GatewayFixture()
        #expect(try preflight(fixture, "/v2/ledger/entries", method: "GET").status == 405)
        #expect(try call(fixture, "/v2/ledger/entries", origin: Self.app).header("Access-Control-Allow-Origin") == nil)
    }
}
