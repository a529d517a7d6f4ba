import GatewayStore
import Testing
@testable import TokenService

@Suite("Authorization request validation (before any page)")
struct AuthorizationRequestTests {
    static let challenge = PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    let fixture: ServiceFixture
    let client: ClientRecord
    /// The org as the lookup reports it: a narrower policy than the client's grant.
    let org = OrgRecord(id: "acme", name: "Acme Ltd", scopePolicy: ["ledger:read", "ledger:write"],
                        createdAt: Timestamp(seconds: 0))

    init() throws {
        fixture = try ServiceFixture(policy: ["ledger:read", "ledger:write", "payroll:read"])
        guard case .created(let record) = try fixture.store.clients.create(NewClient(
            clientID: "cl_app", orgID: "acme", name: "App", secretHash: nil,
            scopes: ["ledger:read", "ledger:write", "payroll:read"],
            redirectURIs: ["https://app.example/cb", "com.example.app:/cb"], isPublic: true), audit: fixture.cli) else {
            throw FixtureFailure("client not created")
        }
        client = record
    }

    func validate(_ query: String, client: ClientRecord? = nil) throws -> AuthorizationRequest.Validation {
        let known = client ?? self.client
        return try AuthorizationRequest.validate(query: query[...], issuer: "https://id.example", now: 5) { id in
            id == known.clientID ? (known, org) : nil
        }
    }

    func query(dropping: String? = nil, _ overrides: [(String, String)] = []) -> String {
        var pairs: [(String, String)] = [("response_type", "code"), ("client_id", "cl_app"),
                                         ("redirect_uri", "https://app.example/cb"), ("state", "st"),
                                         ("code_challenge", Self.challenge), ("code_challenge_method", "S256")]
        pairs.removeAll { $0.0 == dropping || overrides.map(\.0).contains($0.0) }
        pairs += overrides
        return pairs.map { $0.0 + "=" + $0.1.addingPercentEncodingForTest() }.joined(separator: "&")
    }

    func expectPage(_ validation: AuthorizationRequest.Validation, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .errorPage = validation else {
            Issue.record("expected an error page, got \(validation)", sourceLocation: sourceLocation)
            return
        }
    }

    func expectRedirect(_ validation: AuthorizationRequest.Validation, _ error: String, state: String? = "st",
                        sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .redirect(let location) = validation else {
            Issue.record("expected a redirect, got \(validation)", sourceLocation: sourceLocation)
            return
        }
        #expect(location.hasPrefix("https://app.example/cb?error=\(error)&"), sourceLocation: sourceLocation)
        #expect(location.contains("&state=") == (state != nil), sourceLocation: sourceLocation)
        #expect(location.hasSuffix("&iss=https%3A%2F%2Fid.example"), sourceLocation: sourceLocation)
    }

    @Test("a valid request keeps the client, its org, the exact redirect URI, state, challenge and default scopes")
    func valid() throws {
        guard case .valid(let pending) = try validate(query()) else { Issue.record("not valid"); return }
        #expect(pending.clientID == "cl_app" && pending.clientName == "App" && pending.orgName == "Acme Ltd")
        #expect(pending.redirectURI == "https://app.example/cb")
        #expect(pending.scopes == ["ledger:read", "ledger:write"])  // payroll:read is outside the org policy
        #expect(pending.state == "st" && pending.codeChallenge == Self.challenge && pending.createdAt == 5)
        guard case .valid(let narrow) = try validate(query([("scope", "ledger:read")])) else { return }
        #expect(narrow.scopes == ["ledger:read"])
        guard case .valid(let stateless) = try validate(query(dropping: "state")) else { return }
        #expect(stateless.state == nil)
    }

    @Test("unknown or revoked clients and unregistered redirect URIs get a page, never a redirect")
    func neverRedirected() throws {
        expectPage(try validate(query([("client_id", "cl_nobody")])))
        expectPage(try validate(query(dropping: "client_id")))
        expectPage(try validate(query() + "&client_id=cl_app"))
        var revoked = client
        revoked.status = ClientStatus.revoked
        expectPage(try validate(query(), client: revoked))
        for uri in ["https://evil.example/cb", "https://app.example/cb/", "https://app.example/cb?x=1",
                    "https://APP.example/cb", "https://app.example/c", "https://app.example/cb#f", ""] {
            expectPage(try validate(query([("redirect_uri", uri)])))
        }
        expectPage(try validate(query(dropping: "redirect_uri")))
        expectPage(try validate(query() + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb"))
        expectPage(try validate("client_id=%zz"))
        // Even with everything else wrong, a bad redirect URI wins: no redirect.
        expectPage(try validate(query([("redirect_uri", "https://evil.example/cb"), ("response_type", "token")])))
    }

    @Test("PKCE: S256 only, challenge present and well formed")
    func pkce() throws {
        expectRedirect(try validate(query(dropping: "code_challenge_method")), "invalid_request")
        expectRedirect(try validate(query([("code_challenge_method", "plain")])), "invalid_request")
        expectRedirect(try validate(query([("code_challenge_method", "s256")])), "invalid_request")
        expectRedirect(try validate(query(dropping: "code_challenge")), "invalid_request")
        expectRedirect(try validate(query([("code_challenge", String(repeating: "a", count: 42))])), "invalid_request")
        expectRedirect(try validate(query([("code_challenge", String(repeating: "a", count: 129))])), "invalid_request")
        expectRedirect(try validate(query([("code_challenge", String(repeating: "a", count: 42) + "=")])),
                       "invalid_request")
        expectRedirect(try validate(query() + "&code_challenge=" + Self.challenge), "invalid_request")
    }

    @Test("response types, scopes and state")
    func otherErrors() throws {
        expectRedirect(try validate(query([("response_type", "token")])), "unsupported_response_type")
        expectRedirect(try validate(query(dropping: "response_type")), "invalid_request")
        expectRedirect(try validate(query([("scope", "payroll:read")])), "invalid_scope")
        expectRedirect(try validate(query([("scope", "clients:write")])), "invalid_scope")
        expectRedirect(try validate(query([("scope", "bad\"scope")])), "invalid_scope")
        expectRedirect(try validate(query() + "&state=again"), "invalid_request", state: nil)
        expectRedirect(try validate(query([("state", String(repeating: "s", count: 1025))])), "invalid_request", state: nil)
        // Another registered URI gets its own errors, with its own form.
        guard case .redirect(let location) = try validate(query([("redirect_uri", "com.example.app:/cb"),
                                                                 ("response_type", "token")])) else { return }
        #expect(location.hasPrefix("com.example.app:/cb?error=unsupported_response_type&"))
    }
}

extension String {
    /// Query-component encoding for building test requests.
    func addingPercentEncodingForTest() -> String {
        var out = ""
        for byte in utf8 {
            if (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded()
            }
        }
        return out
    }

    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
