import Foundation
import GatewayHTTP
import GatewayTestSupport
import Synchronization
import Testing

/// Hostile or odd input on the enforcement path: oversized and deeply nested
/// tokens, unicode and control characters in claims, many distinct tokens and
/// clients, pathological bodies for the debug log. The gateway must answer each
/// with the right refusal (or pass it), never crash, and keep serving.
@Suite struct EnforcementBadInputTests {
    static func expectAlive(_ fixture: EnforcementFixture, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try fixture.client().request(target: "/healthz").status == 200, sourceLocation: sourceLocation)
    }

    @Test func oversizedNestedAndDuplicatedTokensAreRefused() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient()
        _ = try fixture.token(id, secret)
        let connection = try fixture.client()
        let status = { (token: String) throws -> Int in
            try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection).status
        }
        // Large but legal claims pass (a 5 kB token); 10 kB of claims is over the 8 KiB token limit.
        let large = try fixture.forge(clientID: id) { $0.append(("padding", EnforcementFixture.json(String(repeating: "p", count: 3500)))) }
        #expect(large.utf8.count > 5000 && large.utf8.count < 8192)
        #expect(try status(large) == 200)
        let huge = try fixture.forge(clientID: id) { $0.append(("padding", EnforcementFixture.json(String(repeating: "p", count: 10_000)))) }
        #expect(huge.utf8.count > 10_000)
        #expect(try status(huge) == 401)
        // Many claims rather than one long one.
        let many = try fixture.forge(clientID: id) { claims in
            for index in 0..<700 { claims.append(("c\(index)", "\(index)")) }
        }
        #expect(try status(many) == 401)

        // A header of 40 kB is refused by the HTTP parser; the connection's next request is not needed.
        let giant = try fixture.call("/v1/ledger/entries", token: String(repeating: "A", count: 40_000))
        #expect(giant.status == 431 || giant.status == 400, "\(giant.status)")
        try Self.expectAlive(fixture)

        // Nesting in the unauthenticated JOSE header is capped before any signature work.
        let deepHeader = EnforcementAuthTests.base64url(#"{"alg":"RS256","typ":"at+jwt","kid":"k","x":"#
            + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}")
        #expect(try status(deepHeader + ".e30.c2ln") == 401)
        // Signed claims with deep nesting, a duplicated scope, a non-string scope: refused.
        let deepClaims = try fixture.forge(clientID: id) {
            $0.append(("x", String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)))
        }
        #expect(try status(deepClaims) == 401)
        let duplicated = try fixture.forge(clientID: id, scope: "ledger:read") { $0.append(("scope", #""clients:write""#)) }
        #expect(try status(duplicated) == 401)
        let arrayScope = try fixture.forge(clientID: id) { claims in
            claims.removeAll { $0.0 == "scope" }
            claims.append(("scope", #"["ledger:read"]"#))
        }
        #expect(try status(arrayScope) == 401)
        try Self.expectAlive(fixture)
    }

    @Test func unicodeAndControlCharactersInClaimsDoNotGrantOrInject() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient()
        _ = try fixture.token(id, secret)
        let connection = try fixture.client()
        let echo = { (token: String) throws -> TestHTTPResponse in try fixture.call("/v1/_echo", token: token, on: connection) }

        // Look-alike scopes grant nothing: Cyrillic "а", a combining accent, full-width colon.
        for scope in ["ledger:re\u{0430}d", "ledger:rea\u{0301}d", "ledger\u{FF1A}read", "LEDGER:READ"] {
            let response = try echo(try fixture.forge(clientID: id, scope: scope))
            #expect(response.status == 403, "\(scope.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Unicode scopes next to the right one: the request passes; the upstream gets the scopes.
        // (Refusing scope tokens outside RFC 6749's ASCII syntax would be as right: 401.)
        let mixed = try echo(try fixture.forge(clientID: id, scope: "ledger:read 会計:読む"))
        #expect(mixed.status == 200 || mixed.status == 401)
        if mixed.status == 200 {
            #expect(try EchoedRequest(mixed).values("X-Portcullis-Scopes").first?.hasPrefix("ledger:read") == true)
        }

        // Line breaks in signed claims must never become headers of the upstream request.
        let injected = [
            try fixture.forge(clientID: id, scope: "ledger:read\r\nX-Injected: scope"),
            try fixture.forge(clientID: id + "\r\nX-Injected: client"),
            try fixture.forge(clientID: id) { claims in
                claims.removeAll { $0.0 == "org_id" }
                claims.append(("org_id", EnforcementFixture.json("acme\nX-Injected: org")))
            },
        ]
        // Such claims are refused (401): `sub`, `client_id`, `org_id` and `scope` become header
        // values of the upstream request.
        for token in injected {
            let response = try fixture.call("/v1/_echo", token: token)
            #expect(response.status == 401, "\(response.status) \(response.bodyString.prefix(300))")
            if response.status == 200 {
                #expect(try EchoedRequest(response).values("X-Injected").isEmpty)
            }
        }
        try Self.expectAlive(fixture)

        // The token endpoint refuses scopes outside RFC 6749's syntax.
        var form = HTTPHeaders()
        form.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        form.add(name: "Authorization", value: TokenServiceFixture.basic(id, secret))
        let refused = try fixture.client().request(method: "POST", target: "/oauth/token", headers: form,
                                                   body: "grant_type=client_credentials&scope=" + PercentEncoding.encodeFormComponent("会計:読む"))
        #expect(refused.status == 400)
        #expect(try refused.jsonObject()["error"] as? String == "invalid_scope")
    }

    @Test func manyDistinctTokensAndClientsAreServed() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient()
        _ = try fixture.token(id, secret)
        // 2,000 tokens of 2,000 distinct client ids: each a signature check, a cache entry, a bucket.
        let count = 2000
        let tokens = try (0..<count).map { index in try fixture.forge(clientID: "cl_bulk_\(index)") }
        let threads = 4
        nonisolated(unsafe) let connections = try (0..<threads).map { _ in try fixture.client() }  // one per thread
        let statuses = Mutex<[Int: Int]>([:])
        let errors = Mutex<[String]>([])
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let connection = connections[thread]
            var seen: [Int: Int] = [:]
            do {
                for index in stride(from: thread, to: count, by: threads) {
                    seen[try fixture.call("/v1/ledger/entries?limit=1", token: tokens[index], on: connection).status, default: 0] += 1
                }
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
            statuses.withLock { for (status, n) in seen { $0[status, default: 0] += n } }
        }
        print("[enforcement] \(count) distinct clients' tokens over \(threads) connections in \(millisecondsSince(start)) ms")
        #expect(errors.withLock { $0 }.isEmpty)
        #expect(statuses.withLock { $0 } == [200: count])
        // Each token again: now from the cache; still all accepted.
        for index in stride(from: 0, to: count, by: 97) {
            #expect(try fixture.call("/v1/ledger/entries?limit=1", token: tokens[index], on: connections[0]).status == 200)
        }
        try Self.expectAlive(fixture)
    }

    @Test func pathologicalBodiesForTheDebugLogDoNotStopTheGateway() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient()
        let token = try fixture.token(id, secret)
        var json = HTTPHeaders()
        json.add(name: "Content-Type", value: "application/json")
        let bodies = [
            String(repeating: "[", count: 200_000),
            String(repeating: #"{"a":"#, count: 50_000),
            String(repeating: #"\"#, count: 100_000),
            "{\"password\":\"" + String(repeating: "x", count: 100_000),
            String(repeating: "4111 ", count: 20_000),
            String(repeating: "a@b.", count: 30_000),
        ]
        for body in bodies {
            let response = try fixture.call("/v1/_echo", token: token, method: "POST", headers: json, body: body)
            #expect(response.status == 200)
        }
        try Self.expectAlive(fixture)
        fixture.stopGateway()
        let debug = try String(contentsOfFile: fixture.dataPath + "/logs/debug.log", encoding: .utf8)
        #expect(debug.split(separator: "\n").count == bodies.count)
        #expect(!debug.contains(String(repeating: "x", count: 100)))
    }
}
