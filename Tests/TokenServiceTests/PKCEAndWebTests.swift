import Foundation
import GatewayHTTP
import Testing
@testable import TokenService

@Suite("PKCE, redirects, cookies and page headers")
struct PKCEAndWebTests {
    @Test("RFC 7636 appendix B: the verifier hashes to the published challenge")
    func rfc7636Vector() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(PKCE.challenge(for: verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify(verifier: verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        // The challenge with a changed tail (as sometimes misquoted) does not verify.
        #expect(!PKCE.verify(verifier: verifier, challenge: "E9Melhoa2OwvFrEXvxHpjL3rGjZhqN7LSjdBhFUuzQ9w"))
        // plain would compare the verifier itself: never accepted.
        #expect(!PKCE.verify(verifier: verifier, challenge: verifier))
    }

    @Test("challenges and verifiers are 43–128 unreserved characters")
    func wellFormed() {
        #expect(PKCE.isWellFormed(String(repeating: "a", count: 43)))
        #expect(PKCE.isWellFormed(String(repeating: "-._~Z9", count: 21) + "xy"))
        #expect(!PKCE.isWellFormed(String(repeating: "a", count: 42)))
        #expect(!PKCE.isWellFormed(String(repeating: "a", count: 129)))
        #expect(!PKCE.isWellFormed(String(repeating: "a", count: 42) + "+"))
        #expect(!PKCE.isWellFormed(String(repeating: "a", count: 42) + "="))
        #expect(!PKCE.verify(verifier: "short", challenge: PKCE.challenge(for: "short")))
    }

    @Test("a verifier for a code without a challenge is a downgrade and refused")
    func downgrade() {
        #expect(DelegatedGrants.checkVerifier(nil, challenge: "") == nil)
        #expect(DelegatedGrants.checkVerifier(String(repeating: "v", count: 43), challenge: "")?.code == .invalidGrant)
        #expect(DelegatedGrants.checkVerifier(nil, challenge: "abc")?.code == .invalidGrant)
    }

    @Test("redirects keep the registered query, encode every value and add state and iss")
    func redirects() {
        let location = AuthorizationRedirect.location("https://app.example/cb?tenant=7", [("code", "abc")],
                                                      state: "a b&c=d/é", issuer: "https://id.example")
        #expect(location == "https://app.example/cb?tenant=7&code=abc&state=a%20b%26c%3Dd%2F%C3%A9&iss=https%3A%2F%2Fid.example")
        let error = AuthorizationRedirect.error("com.example.app:/cb", .accessDenied, "no", state: nil, issuer: "i")
        #expect(error == "com.example.app:/cb?error=access_denied&error_description=no&iss=i")
    }

    @Test("form-action sources: origins and private-use schemes, nothing that could inject policy")
    func formActionSources() {
        #expect(FormActionSource.of("https://App.Example:8443/cb?x=1") == "https://app.example:8443")
        #expect(FormActionSource.of("http://127.0.0.1:9999/cb") == "http://127.0.0.1:9999")
        #expect(FormActionSource.of("com.example.app:/callback") == "com.example.app:")
        #expect(FormActionSource.of("https://evil.example;script-src/cb") == nil)
        #expect(FormActionSource.of("https://user@app.example/cb") == nil)
        #expect(FormActionSource.of("https:no-slashes") == nil)
    }

    @Test("the session cookie is __Host- and Secure only for an https issuer, always HttpOnly and SameSite")
    func cookies() {
        let secure = SessionCookie(secure: true)
        #expect(secure.set("abc") == "__Host-portcullis_session=abc; Path=/; Secure; HttpOnly; SameSite=Lax")
        let plain = SessionCookie(secure: false)
        #expect(plain.set("abc") == "portcullis_session=abc; Path=/; HttpOnly; SameSite=Lax")
        #expect(plain.clear().contains("Max-Age=0"))
        let headers = HTTPHeaders([("Cookie", "a=1; portcullis_session=xyz; b=2"), ("Cookie", "portcullis_session=later")])
        #expect(plain.value(in: headers) == "xyz")
        #expect(secure.value(in: headers) == nil)
        #expect(TokenServiceConfiguration(issuer: "https://id.example").isSecureOrigin)
        #expect(!TokenServiceConfiguration(issuer: "http://127.0.0.1:8080").isSecureOrigin)
    }

    @Test("pages carry a strict CSP whose style hash matches the inline stylesheet, and every other header")
    func pageHeaders() throws {
        let response = HTMLPage(title: "T <x>", body: "<p>hi</p>", formActionSources: ["https://app.example"]).response()
        let csp = try #require(response.headers.first(name: "Content-Security-Policy"))
        #expect(csp.hasPrefix("default-src 'none'; "))
        #expect(csp.contains("form-action 'self' https://app.example;"))
        #expect(csp.contains("frame-ancestors 'none'"))
        #expect(!csp.contains("unsafe-inline") && !csp.contains("script-src"))
        let hash = Data(SHA256Hash.digest(HTMLPage.stylesheet)).base64EncodedString()
        #expect(csp.contains("style-src 'sha256-\(hash)';"))
        #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
        #expect(response.headers.first(name: "Cache-Control") == "no-store")
        #expect(response.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(html.contains("<title>T &lt;x&gt; · Portcullis</title>"))
        #expect(html.contains("<style>" + HTMLPage.stylesheet + "</style>"))
        #expect(!html.contains("<script"))
    }

    @Test("HTML escaping covers markup and attribute quotes")
    func escaping() {
        #expect(HTML.escape("<a href=\"x\" onclick='y'>&</a>")
            == "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
        #expect(HTML.hidden("n", "\"><script>") == "<input type=\"hidden\" name=\"n\" value=\"&quot;&gt;&lt;script&gt;\">")
    }

    @Test("scopes in words: explicit sentences, built-ins, then the shape of the name")
    func scopeWords() {
        let descriptions = ScopeCatalog.descriptions(operations: [
            .init(method: "GET", path: "/ledger/entries", summary: "List entries", scopes: ["ledger:read"]),
            .init(method: "GET", path: "/ledger/entries/{id}", summary: nil, scopes: ["ledger:read"]),
        ])
        let catalog = ScopeCatalog(descriptions: descriptions)
        #expect(catalog.describe("ledger:read")
            == "Read your organisation's ledger data — List entries (GET /ledger/entries); GET /ledger/entries/{id}")
        #expect(catalog.describe("payroll_runs:write") == "Create and change your organisation's payroll runs data")
        #expect(catalog.describe("clients:write").hasPrefix("Register"))
        #expect(catalog.describe("odd") == "Use the permission odd")
    }
}
