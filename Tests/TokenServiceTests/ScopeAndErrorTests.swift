import GatewayHTTP
import Testing
@testable import TokenService

@Suite("Scope rules and OAuth error answers")
struct ScopeAndErrorTests {
    let grant = ["ledger:read", "ledger:write", "clients:write"]
    let policy = ["ledger:read", "ledger:write", "ledger:export"]

    @Test("no scope parameter gives the client's grant that the org policy still allows, sorted")
    func defaultScopes() {
        #expect(ScopeResolver.resolve(requested: nil, clientScopes: grant, orgPolicy: policy)
                == .success(["ledger:read", "ledger:write"]))
        #expect(ScopeResolver.resolve(requested: "   ", clientScopes: grant, orgPolicy: policy)
                == .success(["ledger:read", "ledger:write"]))
    }

    @Test("requested scopes must be granted and inside the policy; the result is deduplicated")
    func subsets() {
        #expect(ScopeResolver.resolve(requested: "ledger:write ledger:read ledger:read", clientScopes: grant,
                                      orgPolicy: policy) == .success(["ledger:read", "ledger:write"]))
        #expect(code(ScopeResolver.resolve(requested: "ledger:export", clientScopes: grant, orgPolicy: policy))
                == .invalidScope)  // in the policy, not granted
        #expect(code(ScopeResolver.resolve(requested: "clients:write", clientScopes: grant, orgPolicy: policy))
                == .invalidScope)  // granted, but the policy no longer allows it
        #expect(code(ScopeResolver.resolve(requested: "ledger:read \"x\"", clientScopes: grant, orgPolicy: policy))
                == .invalidScope)  // malformed token
        #expect(code(ScopeResolver.resolve(requested: "ledger:read\\", clientScopes: grant, orgPolicy: policy))
                == .invalidScope)
    }

    @Test("RFC 6749 §5.2 statuses, no-store headers, and a Basic challenge on every 401")
    func errorResponses() throws {
        let cases: [(OAuthError.Code, Int)] = [
            (.invalidRequest, 400), (.invalidClient, 401), (.invalidGrant, 400), (.unauthorizedClient, 400),
            (.unsupportedGrantType, 400), (.invalidScope, 400), (.slowDown, 429), (.temporarilyUnavailable, 503),
            (.serverError, 500),
        ]
        for (code, status) in cases {
            let response = OAuthError(code, "what to fix", retryAfterSeconds: status == 429 || status == 503 ? 7 : nil)
                .response(realm: "portcullis")
            #expect(response.status == status)
            #expect(response.headers.first(name: "Cache-Control") == "no-store")
            #expect(response.headers.first(name: "Pragma") == "no-cache")
            #expect(response.headers.first(name: "Content-Type") == "application/json")
            let body = try JSONParser.parse(response.body)
            #expect(body["error"]?.stringValue == code.rawValue)
            #expect(body["error_description"]?.stringValue == "what to fix")
            #expect((response.headers.first(name: "WWW-Authenticate") == "Basic realm=\"portcullis\"") == (status == 401))
            #expect((response.headers.first(name: "Retry-After") == "7") == (status == 429 || status == 503))
        }
    }

    private func code(_ result: Result<[String], OAuthError>) -> OAuthError.Code? {
        if case .failure(let error) = result { return error.code }
        return nil
    }
}
