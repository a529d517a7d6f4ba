import Testing
@testable import GatewayLogging

/// Secret-bearing keys in every place they can appear.
@Suite struct SecretFieldTests {
    let masker = LogMasker()

    static let contractKeys = ["password", "secret", "client_secret", "access_token", "refresh_token", "id_token",
                               "code", "code_verifier", "token", "authorization", "cookie", "set-cookie", "api_key"]

    /// Each key in several spellings: as written, upper case, mixed case.
    static var spellings: [String] {
        contractKeys.flatMap { [$0, $0.uppercased(), $0.prefix(1).uppercased() + $0.dropFirst()] }
    }

    @Test(arguments: spellings)
    func jsonValuesAtAnyDepthAreRedacted(_ key: String) {
        let body = #"{"outer": {"list": [{"\#(key)": "s3cr3t-VALUE"}, 1]}, "\#(key)": 12345, "n": {"\#(key)": {"a": "s3cr3t-VALUE"}}}"#
        let masked = masker.maskBody(Array(body.utf8), contentType: "application/json")
        #expect(!masked.contains("s3cr3t"), "\(masked)")
        #expect(!masked.contains("12345"))
        #expect(masked == #"{"outer": {"list": [{"\#(key)": "[redacted]"}, 1]}, "\#(key)": "[redacted]", "n": {"\#(key)": "[redacted]"}}"#)
    }

    @Test(arguments: spellings)
    func formAndQueryValuesAreRedacted(_ key: String) {
        let form = "user=ann&\(key)=s3cr3t%2BVALUE&note=hi"
        #expect(masker.maskBody(Array(form.utf8), contentType: "application/x-www-form-urlencoded")
            == "user=ann&\(key)=[redacted]&note=hi")
        #expect(masker.maskTarget("/oauth/token?\(key)=s3cr3t&x=1") == "/oauth/token?\(key)=[redacted]&x=1")
    }

    @Test(arguments: spellings)
    func textPairsAreRedacted(_ key: String) {
        for text in ["\(key)=s3cr3t-VALUE", "\(key): s3cr3t-VALUE", "\"\(key)\": \"s3cr3t-VALUE\"", "\(key)='s3cr3t-VALUE'",
                     "<\(key)>s3cr3t-VALUE</\(key)>", "{\\\"\(key)\\\":\\\"s3cr3t-VALUE\\\"}"] {
            let masked = masker.maskBody(Array(("log line " + text + " end").utf8), contentType: "text/plain")
            #expect(!masked.contains("s3cr3t"), "\(text) → \(masked)")
            #expect(masked.contains("[redacted]"))
        }
    }

    @Test func headersAreRedactedCaseInsensitively() {
        for name in ["Authorization", "authorization", "PROXY-AUTHORIZATION", "Cookie", "set-cookie", "X-Api-Key",
                     "X-Auth-Token", "x-csrf-token", "Client-Secret"] {
            #expect(masker.maskHeaderValue(name: name, value: "Bearer abc.def.ghi; sid=1") == "[redacted]", "\(name)")
        }
        #expect(masker.maskHeaderValue(name: "From", value: "ann@example.com") == "[email]")
        #expect(masker.maskHeaderValue(name: "X-Forwarded-Authorization", value: "Bearer x") == "[redacted]")
        #expect(masker.maskHeaderValue(name: "WWW-Authenticate", value: #"Bearer error="invalid_token""#)
            == #"Bearer error="invalid_token""#)
        #expect(masker.maskHeaderValue(name: "Location", value: "https://app.example/cb?code=SplxlOBe&state=xyz")
            == "https://app.example/cb?code=[redacted]&state=xyz")
        #expect(masker.maskHeaderValue(name: "Content-Type", value: "application/json; charset=utf-8")
            == "application/json; charset=utf-8")
    }

    @Test func nonSecretLookalikesStayLegible() {
        let body = #"{"currency_code": "GBP", "country_code": "GB", "error_code": "E42", "token_type": "Bearer", "expires_in": 900, "token_endpoint": "https://x/oauth/token", "token_type_hint": "refresh_token"}"#
        #expect(masker.maskBody(Array(body.utf8), contentType: "application/json") == body)
    }

    @Test func credentialKeysInTextRunToTheEndOfTheLine() {
        let text = "GET / HTTP/1.1\r\nCookie: sid=abc; other=xyz\r\nAuthorization: Basic dXNlcjpwYXNz\r\nHost: x\r\n"
        let masked = masker.maskText(text)
        #expect(masked == "GET / HTTP/1.1\r\nCookie: [redacted]\r\nAuthorization: [redacted]\r\nHost: x\r\n")
    }

    @Test func extraKeysAreHonoured() {
        let custom = LogMasker(secretKeys: SecretKeys(extra: ["Account-PIN"]))
        #expect(custom.maskTarget("/x?account_pin=1234&y=2") == "/x?account_pin=[redacted]&y=2")
        #expect(masker.maskTarget("/x?account_pin=1234&y=2") == "/x?account_pin=1234&y=2")
    }

    @Test func secretKeyRules() {
        let keys = SecretKeys.standard
        for name in ["password", "newPassword", "user.password", "client_secret", "clientSecret", "X-API-KEY",
                     "refresh_token", "id_token", "cvv", "ns:Password", "sessionid", "jsessionid", "PIN",
                     "code_challenge", "codeChallenge", "sort_code", "SortCode", "bank_account", "bankAccountNumber"] {
            #expect(keys.isSecret(name), "\(name)")
        }
        for name in ["user", "currency_code", "token_type", "scope", "expires_in", "amount", "postcode", "pinned",
                     "code_challenge_method", "account_number", "sort_order"] {
            #expect(!keys.isSecret(name), "\(name)")
        }
        #expect(keys.isSecret(String(repeating: "x", count: 300)))
        for stem in SecretKeys.stems.map({ String(decoding: $0, as: UTF8.self) }) {
            #expect(keys.isSecret(stem) && keys.isSecret("x_" + stem + "_value") && keys.isSecret(stem.uppercased()), "\(stem)")
        }
    }
}
