import GatewayHTTP
import GatewayProxy
import Testing
@testable import GatewayLogging

/// Plants every secret and every kind of personal data in requests and
/// responses, runs them through both logging filters, and checks that none of
/// it reaches either file.
@Suite struct NoLeakTests {
    static let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJjbF9hYmMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
    static let basic = "YWxpY2U6UzNjcjN0UGFzc3cwcmQ="

    /// planted value → a fragment that must never be logged.
    static let planted: [(String, String)] = [
        ("S3cr3tPassw0rd!", "S3cr3t"), ("cs_live_9f8e7d6c5b4a", "9f8e7d6c"), (jwt, "eyJhbGci"), (jwt, "c2lnbmF0"),
        ("rt_Zm9vYmFyYmF6cXV4", "Zm9vYmFy"), ("SplxlOBeZQQYbYS6WxSbIA", "SplxlOBe"),
        ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "dBjftJeZ"), ("ak_7Hq2Lz9Xw", "7Hq2Lz9"),
        ("SESSION123abc", "SESSION123"), (basic, "YWxpY2U6"), ("ann.lee@example.com", "ann.lee"),
        ("5555 5555 5555 4444", "5555 5555"), ("5555555555554444", "55555555"), ("GB82 WEST 1234 5698 7654 32", "WEST"),
        ("GB82WEST12345698765432", "GB82"), ("123-45-6789", "45-6789"), ("QQ 12 34 56 C", "QQ 12"),
        ("+44 20 7946 0958", "7946"), ("12-34-56 12345678", "12345678"), ("tk_opaque_ZZZ999", "ZZZ999"),
    ]

    /// One request per body format, each carrying every planted value.
    static func exchanges() -> [(ProxyContext, [UInt8], HTTPResponseHead, [UInt8])] {
        let query = "/v2/ledger/entries?access_token=\(jwt)&CODE=SplxlOBeZQQYbYS6WxSbIA&email=ann.lee%40example.com"
            + "&phone=%2B44%2020%207946%200958&api_key=ak_7Hq2Lz9Xw&amount=1234.56"
        let headers: HTTPHeaders = [
            "AUTHORIZATION": "Bearer \(jwt)", "proxy-authorization": "Basic \(basic)",
            "Cookie": "theme=dark; sid=SESSION123abc", "X-Api-Key": "ak_7Hq2Lz9Xw", "X-Contact": "ann.lee@example.com",
            "X-Refresh-Token": "rt_Zm9vYmFyYmF6cXV4",
        ]
        let json = """
        {"user":{"email":"ann.lee@example.com","password":"S3cr3tPassw0rd!","phones":["+44 20 7946 0958"],
         "bank":{"iban":"GB82 WEST 1234 5698 7654 32","uk":"12-34-56 12345678"},"ssn":"123-45-6789","nino":"QQ 12 34 56 C",
         "cards":[5555555555554444,"5555 5555 5555 4444"]},"client_secret":"cs_live_9f8e7d6c5b4a",
         "Refresh_Token":"rt_Zm9vYmFyYmF6cXV4","nested":[{"deeper":{"Code_Verifier":"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}}],
         "note":"Authorization: Bearer \(jwt)","token":{"value":"tk_opaque_ZZZ999"},"amount":1234.56,"invoice":"INV-2026-000123"}
        """
        let form = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            + "&client_secret=cs_live_9f8e7d6c5b4a&password=S3cr3tPassw0rd%21&username=ann.lee%40example.com"
            + "&iban=GB82WEST12345698765432&card=5555+5555+5555+4444&ssn=123-45-6789&ni=QQ+12+34+56+C"
            + "&phone=%2B44+20+7946+0958&acct=12-34-56+12345678&token=tk_opaque_ZZZ999&auth=Basic+\(basic)"
        let text = """
        password: S3cr3tPassw0rd!
        client_secret=cs_live_9f8e7d6c5b4a; refresh_token='rt_Zm9vYmFyYmF6cXV4'
        Hi, I am ann.lee@example.com, card 5555-5555-5555-4444, IBAN GB82WEST12345698765432, SSN 123-45-6789,
        NI QQ 12 34 56 C, phone +44 20 7946 0958, account 12-34-56 12345678, id token \(jwt),
        <api_key>ak_7Hq2Lz9Xw</api_key> Cookie: sid=SESSION123abc; Authorization: Basic \(basic) token=tk_opaque_ZZZ999
        """
        let responseHead = HTTPResponseHead(status: 200, headers: [
            "Content-Type": "application/json", "Set-Cookie": "portal_session=SESSION123abc; HttpOnly",
            "set-cookie": "sid=SESSION123abc", "Location": "https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=s",
        ])
        let tokenResponse = #"{"access_token":"\#(jwt)","token_type":"Bearer","expires_in":900,"refresh_token":"rt_Zm9vYmFyYmF6cXV4","id_token":"\#(jwt)","scope":"ledger:read"}"#
        let multipart = "--B\r\nContent-Disposition: form-data; name=\"client_secret\"\r\n\r\ncs_live_9f8e7d6c5b4a\r\n"
            + "--B\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\n\(text)\r\n--B--\r\n"
        let bodies: [(String?, String)] = [
            ("application/json", json), ("application/x-www-form-urlencoded", form), ("text/plain", text),
            ("application/json", form), ("application/x-www-form-urlencoded", json), (nil, text),
            ("multipart/form-data; boundary=B", multipart), ("application/xml", text), ("application/json", String(json.dropLast(40))),
        ]
        return bodies.map { type, body in
            var h = headers
            if let type { h.add(name: "Content-Type", value: type) }
            let context = makeContext(target: query, headers: h, debugRoute: true)
            context.principal?.subject = "ann.lee@example.com"
            return (context, Array(body.utf8), responseHead, Array(tokenResponse.utf8))
        }
    }

    @Test(arguments: [1, 3, 7, 64, 100_000])
    func noPlantedValueIsLogged(chunk: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let access = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("access.log")), background: false)
        let debug = try LogWriter(configuration: LogWriterConfiguration(path: dir.file("debug.log")), background: false)
        let driver = PipelineDriver(filters: [AccessLogFilter(writer: access), DebugLogFilter(writer: debug)])
        for (context, body, head, responseBody) in Self.exchanges() {
            driver.run(context, requestBody: body, response: head, responseBody: responseBody, chunk: chunk)
        }
        // A body cut by a small cap, in the middle of values.
        let small = PipelineDriver(filters: [DebugLogFilter(writer: debug, bodyCap: 37)])
        for (context, body, head, responseBody) in Self.exchanges() {
            small.run(context, requestBody: body, response: head, responseBody: responseBody, chunk: chunk)
        }
        access.close()
        debug.close()
        let logs = try #require(dir.read("access.log")) + (try #require(dir.read("debug.log")))
        #expect(logs.split(separator: "\n").count == 9 + 18)
        for (value, fragment) in Self.planted {
            #expect(!logs.contains(fragment), "\(value) leaked via \(fragment)")
        }
        // Non-personal data stays legible.
        #expect(logs.contains("1234.56"))
        #expect(logs.contains("INV-2026-000123"))
        #expect(logs.contains("ledger:read"))
        #expect(logs.contains("[redacted]") && logs.contains("[email]") && logs.contains("[card ****4444]")
            && logs.contains("[iban]") && logs.contains("[ssn]") && logs.contains("[nino]") && logs.contains("[phone]")
            && logs.contains("[sort-code+account]"))
    }
}
