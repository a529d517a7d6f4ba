import GatewayProxy
import Testing

@Suite struct RouteTableTests {
    let table = RouteTable(config: try! ConfigFixtures.decode(ConfigFixtures.valid))
    let before = HTTPDateSample.day("2026-12-01")

    @Test func matchesLiteralAndParameterSegments() {
        guard case .matched(let route, let policy) = table.lookup(method: "GET", path: "/v1/ledger/entries/42", now: before) else {
            Issue.record("no match")
            return
        }
        #expect(route.version == "v1" && route.api == "ledger")
        #expect(route.operation.pathTemplate == "/ledger/entries/{id}")
        #expect(route.operation.scopes == ["ledger:read"])
        #expect(route.upstream.baseURL == "http://127.0.0.1:9001")
        #expect(policy.headers.map(\.0) == ["Deprecation", "Sunset", "Link", "Link"])
        #expect(policy.headers[0].1 == "@1788220800")
        #expect(policy.headers[1].1 == "Mon, 01 Mar 2027 00:00:00 GMT")
        if case .matched(let v2, let p2) = table.lookup(method: "POST", path: "/v2/ledger/entries", now: before) {
            #expect(v2.operation.scopes == ["ledger:write"] && v2.upstream.baseURL == "http://127.0.0.1:9002")
            #expect(p2.headers.isEmpty)
        } else {
            Issue.record("v2 POST did not match")
        }
    }

    @Test func unknownPathsAreNotFoundAndWrongMethodsListWhatIsAllowed() {
        guard case .notFound = table.lookup(method: "GET", path: "/v3/ledger/entries", now: before) else { Issue.record("v3"); return }
        guard case .notFound = table.lookup(method: "GET", path: "/v1/ledger/entries/42/lines", now: before) else { Issue.record("deeper"); return }
        guard case .notFound = table.lookup(method: "GET", path: "/v1/ledger/entries/", now: before) else { Issue.record("empty id"); return }
        guard case .methodNotAllowed(let allow) = table.lookup(method: "DELETE", path: "/v1/ledger/entries", now: before) else {
            Issue.record("405"); return
        }
        #expect(allow == ["GET", "HEAD", "POST"])
    }

    @Test func headFallsBackToGet() {
        guard case .matched(let route, _) = table.lookup(method: "HEAD", path: "/v2/ledger/entries/7", now: before) else {
            Issue.record("HEAD"); return
        }
        #expect(route.operation.method == "GET")
    }

    @Test func aVersionPastItsSunsetIsGoneWithItsSuccessor() {
        guard case .gone(let policy) = table.lookup(method: "GET", path: "/v1/ledger/entries", now: HTTPDateSample.day("2027-03-01")) else {
            Issue.record("410"); return
        }
        #expect(policy.successor == "v2")
        guard case .matched = table.lookup(method: "GET", path: "/v2/ledger/entries", now: HTTPDateSample.day("2030-01-01")) else {
            Issue.record("v2 stays"); return
        }
    }

    @Test func edgesOfThePathAreNotFound() {
        for path in ["/", "/v1", "/v1/", "//v1/ledger/entries", "/v1//ledger/entries", "/v1/ledger/entries//",
                     "/V1/ledger/entries", "/v1/Ledger/entries", "/v1/ledger/entriesX", "/v1/ledger"] {
            guard case .notFound = table.lookup(method: "GET", path: Substring(path), now: before) else {
                Issue.record("\(path) matched")
                continue
            }
        }
        // The path of a longer string, as the parser hands it over (a Substring of the target).
        let target = "/v2/ledger/entries/9?limit=1"
        let path = target[..<target.firstIndex(of: "?")!]
        guard case .matched(let route, _) = table.lookup(method: "GET", path: path, now: before) else {
            Issue.record("substring"); return
        }
        #expect(route.operation.pathTemplate == "/ledger/entries/{id}")
    }

    @Test func aFailedLiteralBranchFallsBackToTheParameter() throws {
        let text = ConfigFixtures.valid.replacingOccurrences(
            of: #"{ "method": "GET",  "path": "/ledger/entries/{id}", "scopes": ["ledger:read"] }"#,
            with: #"{ "method": "GET",  "path": "/ledger/entries/{id}/lines", "scopes": ["ledger:read"] },"#
                + #"{ "method": "GET",  "path": "/ledger/entries/export/csv", "scopes": ["ledger:read"] }"#)
        let table = RouteTable(config: try ConfigFixtures.decode(text))
        guard case .matched(let lines, _) = table.lookup(method: "GET", path: "/v2/ledger/entries/export/lines", now: before),
              case .matched(let csv, _) = table.lookup(method: "GET", path: "/v2/ledger/entries/export/csv", now: before) else {
            Issue.record("no match"); return
        }
        #expect(lines.operation.pathTemplate == "/ledger/entries/{id}/lines")
        #expect(csv.operation.pathTemplate == "/ledger/entries/export/csv")
        guard case .notFound = table.lookup(method: "GET", path: "/v2/ledger/entries/export", now: before) else {
            Issue.record("a prefix of two routes matched"); return
        }
    }

    @Test func pathTricksAreRefused() {
        for path in ["/v1/ledger/../admin", "/v1/ledger/%2e%2e/admin", "/v1/ledger%2Fentries", "/v1/ledger/./entries",
                     "/v1\\ledger", "/v1/ledger/entries/%5c", "/..", "/.", "/v1/ledger/entries/.", "/v1/ledger/entries/..",
                     "/v9/../v1/ledger/entries"] {
            guard case .badPath = table.lookup(method: "GET", path: Substring(path), now: before) else {
                Issue.record("\(path) was not refused")
                continue
            }
        }
    }
}

enum HTTPDateSample {
    static func day(_ text: String) -> Int64 { HTTPDate.parse(text)! }
}
