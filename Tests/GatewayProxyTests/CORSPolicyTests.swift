import GatewayProxy
import Testing

@Suite struct CORSPolicyTests {
    @Test func onlyListedOriginsAreAllowed() {
        let policy = CORSPolicy(CORSSettings(allowedOrigins: ["https://app.example.com", "http://localhost:3000"]))
        #expect(policy.allowOrigin(for: "https://app.example.com") == "https://app.example.com")
        #expect(policy.allowOrigin(for: "http://localhost:3000") == "http://localhost:3000")
        for other in ["https://app.example.com.evil.example", "http://app.example.com", "https://APP.example.com",
                      "null", "", "https://app.example.com/"] {
            #expect(policy.allowOrigin(for: other) == nil, "\(other)")
        }
        let any = CORSPolicy(CORSSettings(allowedOrigins: ["*"]))
        #expect(any.allowOrigin(for: "https://whoever.example") == "*")
    }

    @Test(arguments: [
        ("https://app.example.com", nil), ("http://localhost:3000", nil), ("*", nil),
        ("https://app.example.com/", "must be an origin such as https://app.example.com (scheme, host and port only) or *"),
        ("app.example.com", "must be an origin such as https://app.example.com (scheme, host and port only) or *"),
        ("https://app.example.com/path", "must be an origin such as https://app.example.com (scheme, host and port only) or *"),
        ("https://", "must be an origin such as https://app.example.com (scheme, host and port only) or *"),
        ("https://App.example.com", "must be in lower case, as browsers send it"),
        ("https://app.example.com:443", "must leave out the default port, as browsers do"),
    ] as [(String, String?)])
    func originsAreCheckedAsBrowsersSendThem(_ origin: String, _ problem: String?) {
        #expect(CORSPolicy.originProblem(origin) == problem)
    }

    @Test func configurationIsDecodedAndChecked() throws {
        let valid = ConfigFixtures.valid.replacingOccurrences(of: "\"default_rpm\": 1000,", with:
            #""default_rpm": 1000, "cors": { "allowed_origins": ["https://app.example.com"], "max_age_seconds": 60 },"#)
        let cors = try #require(try ConfigFixtures.decode(valid).cors)
        #expect(cors == CORSSettings(allowedOrigins: ["https://app.example.com"], maxAgeSeconds: 60))
        #expect(try ConfigFixtures.decode(ConfigFixtures.valid).cors == nil)
        let bad = ConfigFixtures.valid.replacingOccurrences(of: "\"default_rpm\": 1000,", with:
            #""default_rpm": 1000, "cors": { "allowed_origins": ["https://a.example/x", "*"], "allowed_headers": ["X Bad"], "credentials": true },"#)
        #expect(ConfigFixtures.issues(bad).sorted() == [
            "cors.allowed_headers[0]: must be a header field name such as X-Tenant",
            "cors.allowed_origins[0]: must be an origin such as https://app.example.com (scheme, host and port only) or *",
            "cors.credentials: unknown key",
        ])
        let empty = ConfigFixtures.valid.replacingOccurrences(of: "\"default_rpm\": 1000,", with:
            #""default_rpm": 1000, "cors": { "allowed_origins": [] },"#)
        #expect(ConfigFixtures.issues(empty) == [
            "cors.allowed_origins: must list at least one origin, e.g. https://app.example.com",
        ])
    }
}
