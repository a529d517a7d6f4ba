import Testing
@testable import GatewayLogging

/// The `path` field: request targets with PII and secrets in the path and query.
@Suite struct TargetMaskingTests {
    let masker = LogMasker()

    @Test(arguments: [
        ("/v1/ledger/entries/42?limit=5", "/v1/ledger/entries/42?limit=5"),
        ("/v1/ledger/entries/550e8400-e29b-41d4-a716-446655440000", "/v1/ledger/entries/550e8400-e29b-41d4-a716-446655440000"),
        ("/v1/invoices/INV-2026-000123?from=2026-01-01&to=2026-01-31&min=1234.56",
         "/v1/invoices/INV-2026-000123?from=2026-01-01&to=2026-01-31&min=1234.56"),
        ("/v1/customers/ann%40example.com/cards/4111111111111111", "/v1/customers/[email]/cards/[card ****1111]"),
        ("/v1/customers/ann@example.com", "/v1/customers/[email]"),
        ("/app;jsessionid=A1B2C3D4?x=1", "/app;jsessionid=[redacted]?x=1"),
        ("/cb?code=SplxlOBe&state=af0ifjsldkj", "/cb?code=[redacted]&state=af0ifjsldkj"),
        ("/x?Access_Token=abc&ACCESS%5FTOKEN=def&refresh_token=", "/x?Access_Token=[redacted]&ACCESS%5FTOKEN=[redacted]&refresh_token=[redacted]"),
        ("/x?q=call+%2B44+20+7946+0958+now", "/x?q=call+[phone]+now"),
        ("/x?iban=GB82%20WEST%201234%205698%207654%2032&ccy=GBP", "/x?iban=[iban]&ccy=GBP"),
        ("/x?note=password%3Dhunter2", "/x?note=password%3D[redacted]"),
        ("/x?a&b=&=c&&", "/x?a&b=&=c&&"),
        ("/x?t=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "/x?t=[token]"),
        ("/v1/reset/eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig/confirm", "/v1/reset/[token]/confirm"),
        ("/x?%ZZ=1&p=100%", "/x?%ZZ=1&p=100%"),
    ])
    func targets(_ target: String, _ expected: String) {
        #expect(masker.maskTarget(target) == expected)
    }

    @Test func unchangedTargetIsTheSameString() {
        let target = "/v1/ledger/entries?limit=50&cursor=abc"
        #expect(masker.maskTarget(target) == target)
    }

    @Test func nestedPercentEncodingIsDecodedAFewTimesThenRedacted() {
        // Layers a client or a redirect chain really produces are decoded and masked.
        #expect(masker.maskTarget("/x?next=%2Fu%3Fm%3Dann%252540example.com") == "/x?next=%2Fu%3Fm%3D[email]")
        // Deeper nesting is not unwrapped layer by layer (one pass per layer, on every
        // logged request): it is redacted whole, whatever it hides.
        #expect(masker.maskTarget("/x?a=%25252525252540&b=1") == "/x?a=[redacted]&b=1")
        #expect(masker.maskText("see ann%252525252540example.com") == "[redacted]")
        // A target made of thousands of layers costs a handful of passes and comes out redacted.
        let deep = "/v1/x?a=%25" + String(repeating: "25", count: 3_000) + "40example.com&b=2"
        #expect(masker.maskTarget(deep) == "/v1/x?a=[redacted]&b=2")
    }

    @Test func newlineCounting() {
        for (text, count) in [("", 0), ("a", 0), ("\n", 1), ("a\nb\n", 2), (String(repeating: "x\n", count: 1000), 1000)] {
            let n = Array(text.utf8).withUnsafeBufferPointer { LogWriter.countNewlines($0) }
            #expect(n == count)
        }
    }
}
