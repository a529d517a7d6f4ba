import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// CONTRACT §6 end to end: secrets and personal data planted in requests to a
/// debug-logged operation, and echoed back by the upstream with a few of its own,
/// appear in neither `access.log` nor `debug.log`; ordinary finance data does.
@Suite struct EnforcementLogTests {
    /// Planted values, by what they are. None may reach a log line.
    static let secrets: [(field: String, value: String)] = [
        ("password", "Pw-Hunter2-Planted"), ("secret", "Sx-Planted-Secret-77"),
        ("client_secret", "Cs-Planted-Client-Secret"), ("access_token", "At-Planted-Access-Token"),
        ("refresh_token", "Rt-Planted-Refresh-Token"), ("code", "Cd-Planted-Auth-Code"),
        ("code_verifier", "Cv-Planted-Verifier-123"), ("token", "Tk-Planted-Token-456"),
    ]
    static let personal: [(field: String, value: String)] = [
        ("email", "ann.lee+ledger@example.co.uk"), ("card", "4111 1111 1111 1111"),
        ("iban", "GB82 WEST 1234 5698 7654 32"), ("ssn", "123-45-6789"), ("nino", "QQ 12 34 56 C"),
        ("phone", "+44 20 7946 0958"), ("bank", "12-34-56 12345678"),
    ]
    static let cookie = "Ck-Planted-Cookie-Session"
    static let setCookie = "Sc-Planted-Set-Cookie"
    static let upstreamContact = "dave.upstream@example.org"
    /// Ordinary data that must stay legible.
    static let amount = "1234.56", invoice = "INV-2026-000123"

    static func json(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { EnforcementFixture.json($0.0) + ":" + EnforcementFixture.json($0.1) }.joined(separator: ",") + "}"
    }

    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { PercentEncoding.encodeFormComponent($0.0) + "=" + PercentEncoding.encodeFormComponent($0.1) }
            .joined(separator: "&")
    }

    @Test func noSecretOrPersonalDataReachesEitherLog() throws {
        // The v1 upstream echoes each request body with its content type, and adds a
        // session cookie and a contact address of its own.
        let upstream = try TestTCPServer { connection in
            while let request = try connection.readRequest() {
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: request.head.headers.first(name: "Content-Type") ?? "text/plain")
                headers.add(name: "Set-Cookie", value: "session=\(Self.setCookie); Path=/; HttpOnly")
                headers.add(name: "X-Upstream-Contact", value: Self.upstreamContact)
                try connection.respond(status: 200, headers: headers, body: request.bodyString)
            }
        }
        defer { upstream.stop() }
        let fixture = try EnforcementFixture(v1Upstream: "http://127.0.0.1:\(upstream.port)")
        let (id, clientSecret) = try fixture.makeClient(scopes: "ledger:read,ledger:write")
        let token = try fixture.token(id, clientSecret)
        let connection = try fixture.client()
        let ordinary = [("amount", Self.amount), ("invoice", Self.invoice)]
        let everything = Self.secrets + Self.personal + ordinary

        var headers = HTTPHeaders()
        headers.add(name: "Cookie", value: "sid=\(Self.cookie); theme=dark")
        headers.add(name: "X-Contact", value: "write to \(Self.personal[0].value) or call \(Self.personal[5].value)")
        headers.add(name: "X-Card", value: Self.personal[1].value)
        var jsonHeaders = headers
        jsonHeaders.add(name: "Content-Type", value: "application/json")
        var formHeaders = headers
        formHeaders.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let query = "?" + Self.form(everything.filter { $0.field != "access_token" }) + "&limit=5"
        let nested = #"{"payment":\#(Self.json(everything)),"note":"Authorization: Bearer \#(token)","ref":"\#(token)","#
            + #""lines":[{"description":"card \#(Self.personal[1].value), mail \#(Self.personal[0].value)"}]}"#

        var answers: [TestHTTPResponse] = []
        answers.append(try fixture.call("/v1/_echo" + query, token: token, method: "POST", headers: jsonHeaders,
                                        body: Self.json(everything), on: connection))
        answers.append(try fixture.call("/v1/_echo" + query, token: token, method: "POST", headers: formHeaders,
                                        body: Self.form(everything), on: connection))
        answers.append(try fixture.call("/v1/_echo", token: token, method: "POST", headers: jsonHeaders, body: nested,
                                        on: connection))
        // Refused before the body is read: the gateway closes those connections, so each gets its own.
        answers.append(try fixture.call("/v1/_echo?access_token=\(token)", token: nil, method: "POST",
                                        headers: jsonHeaders, body: Self.json(everything)))
        answers.append(try fixture.call("/v1/_echo", token: nil, method: "POST", headers: formHeaders,
                                        body: Self.form(everything)))
        #expect(answers.map(\.status) == [200, 200, 200, 400, 401])
        // The upstream really echoed the planted values back through the gateway.
        #expect(answers[0].bodyString.contains(Self.secrets[0].value) && answers[0].header("Set-Cookie") != nil)

        fixture.stopGateway()  // flushes both logs
        let access = try String(contentsOfFile: fixture.dataPath + "/logs/access.log", encoding: .utf8)
        let debug = try String(contentsOfFile: fixture.dataPath + "/logs/debug.log", encoding: .utf8)
        let accessLines = access.split(separator: "\n")
        let debugLines = debug.split(separator: "\n")
        #expect(debugLines.count >= 5, "one debug record per request to the debug-logged operation")
        #expect(accessLines.count >= 5)
        for line in accessLines + debugLines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line.prefix(200))")
        }

        var planted = (Self.secrets + Self.personal).map { ($0.field, $0.value) }
        planted += [("cookie", Self.cookie), ("set-cookie", Self.setCookie), ("upstream contact", Self.upstreamContact),
                    ("live token", token), ("live token signature", String(token.split(separator: ".")[2])),
                    ("live token payload", String(token.split(separator: ".")[1])), ("client secret", clientSecret),
                    ("card without spaces", "4111111111111111"), ("compact IBAN", "GB82WEST12345698765432"),
                    ("account number", "12345678"), ("percent-encoded e-mail", "ann.lee%2Bledger%40example.co.uk")]
        for (label, value) in planted {
            #expect(!access.contains(value), "access.log holds the \(label)")
            #expect(!debug.contains(value), "debug.log holds the \(label)")
            let encoded = PercentEncoding.encodeFormComponent(value)  // as it travelled in forms and queries
            #expect(!access.contains(encoded) && !debug.contains(encoded), "a log holds the \(label), form-encoded")
        }
        // Masked, not dropped: the records still say what was there, and finance data is legible.
        #expect(debug.contains(Self.amount) && debug.contains(Self.invoice))
        #expect(debug.contains("[redacted]") && debug.contains("[email]") && debug.contains("[card ****1111]"))
        #expect(debug.contains("[iban]") && debug.contains("[ssn]") && debug.contains("[nino]") && debug.contains("[phone]"))
        #expect(debug.contains("[sort-code+account]"))
        #expect(access.contains("limit=5") && access.contains(id))
    }

    /// URLs inside text (a `Referer` header, a link in a JSON body, the upstream echoing the
    /// request target) carry personal data percent-encoded (`%40`, `%20`, `+`): the access
    /// log's `path` and the debug log's text rules judge it decoded.
    /// A valid token on a path or method no operation declares still names its
    /// caller in the access log; the answer stays the routing answer.
    @Test func unroutedRequestsWithAValidTokenAreAttributed() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient()
        let token = try fixture.token(id, secret)
        let notFound = try fixture.call("/v1/nothing/here", token: token)
        let wrongMethod = try fixture.call("/v1/ledger/entries", token: token, method: "DELETE")
        let forged = try fixture.call("/v1/nothing/here", token: token + "x")
        #expect(notFound.status == 404 && wrongMethod.status == 405 && forged.status == 404)
        #expect(notFound.header("RateLimit") == nil, "no bucket was consulted")
        fixture.stopGateway()
        let lines = try String(contentsOfFile: fixture.dataPath + "/logs/access.log", encoding: .utf8)
            .split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        func line(_ response: TestHTTPResponse) -> JSONValue? {
            lines.first { $0["request_id"]?.stringValue == response.header("X-Request-Id") }
        }
        for response in [notFound, wrongMethod] {
            #expect(line(response)?["client_id"]?.stringValue == id)
            #expect(line(response)?["org_id"]?.stringValue == "acme")
        }
        #expect(line(forged)?["client_id"] == .null, "an invalid token names nobody")
    }

    @Test func percentEncodedPersonalDataInsideURLsIsMasked() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient()
        let token = try fixture.token(id, secret)
        let email = "ann.lee%40example.com", card = "4111%201111%201111%201111", plusCard = "4111+1111+1111+1111"
        let iban = "GB82%20WEST%201234%205698%207654%2032", phone = "%2B44%2020%207946%200958"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Referer", value: "https://app.example/invoices?email=\(email)&card=\(card)")
        let body = #"{"next":"/v1/ledger/entries?email=\#(email)&card=\#(plusCard)&iban=\#(iban)","amount":"1234.56"}"#
        // The sample upstream's /_echo answers with the target it received, query included.
        let response = try fixture.call("/v1/_echo?contact=\(email)&phone=\(phone)", token: token, method: "POST",
                                        headers: headers, body: body)
        #expect(response.status == 200 && response.bodyString.contains(email))
        fixture.stopGateway()
        let access = try String(contentsOfFile: fixture.dataPath + "/logs/access.log", encoding: .utf8)
        let debug = try String(contentsOfFile: fixture.dataPath + "/logs/debug.log", encoding: .utf8)
        for value in [email, card, plusCard, iban, phone] {
            #expect(!access.contains(value), "access.log holds \(value)")
        }
        #expect(debug.contains("1234.56"))
        let leaked = [email, card, plusCard, iban, phone].filter { debug.contains($0) }
        #expect(leaked.isEmpty, "debug.log holds \(leaked)")
    }
}
