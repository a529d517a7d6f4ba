import Testing
@testable import GatewayLogging

@Suite struct BodyMaskingTests {
    let masker = LogMasker()

    func mask(_ body: String, _ type: String?, truncated: Bool = false) -> String {
        masker.maskBody(Array(body.utf8), contentType: type, truncated: truncated)
    }

    @Test func jsonLeavesAreMaskedAndStructureKept() {
        let body = #"{"customer":{"email":"ann@example.com","phone":"+44 20 7946 0958","iban":"GB82 WEST 1234 5698 7654 32","card":4111111111111111},"amount":1234.56,"currency":"EUR","invoice":"INV-2026-000123","date":"2026-01-15","id":"550e8400-e29b-41d4-a716-446655440000","lines":[{"note":"SSN 123-45-6789, NI QQ 12 34 56 C"},"12-34-56 12345678"],"escaped":"ann\u0040example.com"}"#
        #expect(mask(body, "application/json") == #"{"customer":{"email":"[email]","phone":"[phone]","iban":"[iban]","card":"[card ****1111]"},"amount":1234.56,"currency":"EUR","invoice":"INV-2026-000123","date":"2026-01-15","id":"550e8400-e29b-41d4-a716-446655440000","lines":[{"note":"SSN [ssn], NI [nino]"},"[sort-code+account]"],"escaped":"[email]"}"#)
    }

    @Test func invalidAndTruncatedJSONIsStillMasked() {
        #expect(mask(#"{"a": 1, "password": hunter 2, "b": "ok"}"#, "application/json")
            == #"{"a": 1, "password": "[redacted]", "b": "ok"}"#)
        #expect(mask(#"{password: "x", email: 'ann@example.com'}"#, "application/json")
            == #"{password: "[redacted]", email: '[email]'}"#)
        #expect(mask(#"{"user": {"email": "ann@example.com", "password": "hun"#, "application/json")
            == #"{"user": {"email": "[email]", "password": "[redacted]""#)
        #expect(mask(#"{"a": "doubly {\"client_secret\":\"s3cr3t\"}"}"#, "application/json")
            == #"{"a": "doubly {\"client_secret\":\"[redacted]\"}"}"#)
        #expect(mask("{\"a\":1}\ntrailing password=x&card=4111111111111111", "application/json")
            == "{\"a\":1}\ntrailing password=[redacted]&card=[card ****1111]")
    }

    @Test func contentTypeLies() {
        // Form sent, JSON declared.
        #expect(mask("password=hunter2&email=ann%40example.com", "application/json")
            == "password=[redacted]&email=[email]")
        // JSON sent, form declared.
        #expect(mask(#"{"client_secret":"s3cr3t","email":"ann@example.com"}"#, "application/x-www-form-urlencoded")
            == #"{"client_secret":"[redacted]","email":"[email]"}"#)
        // Form sent, no type / text declared.
        #expect(mask("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&code_verifier=abc", nil)
            == "grant_type=authorization_code&code=[redacted]&code_verifier=[redacted]")
        #expect(mask("grant_type=client_credentials&client_secret=s3cr3t", "text/plain")
            == "grant_type=client_credentials&client_secret=[redacted]")
        // XML declared as JSON.
        #expect(mask("<login><user>ann@example.com</user><Password>hunter2</Password></login>", "application/json")
            == "<login><user>[email]</user><Password>[redacted]</Password></login>")
        // Text pretending to be an image: still masked text.
        #expect(mask("token: abc123 card 4111111111111111", "image/png") == "token: [redacted]")
    }

    @Test func formBodies() {
        #expect(mask("a=1&Client%5FSecret=s3cr3t&note=call+%2B44+20+7946+0958&x", "application/x-www-form-urlencoded")
            == "a=1&Client%5FSecret=[redacted]&note=call+[phone]&x")
        #expect(mask("name=Ann&amount=1234.56&currency=GBP", "application/x-www-form-urlencoded")
            == "name=Ann&amount=1234.56&currency=GBP")
    }

    @Test func plainText() {
        #expect(mask("Dear Ann (ann@example.com), your card 4111-1111-1111-1111 was charged 1234.56 EUR on 2026-01-15 for INV-2026-000123.\nauthorization: Bearer abc\n", "text/plain")
            == "Dear Ann ([email]), your card [card ****1111] was charged 1234.56 EUR on 2026-01-15 for INV-2026-000123.\nauthorization: [redacted]\n")
    }

    @Test func invalidUTF8IsReplacedAndStillMasked() {
        var body = Array("{\"name\":\"Caf".utf8) + [0xE9] + Array("\",\"email\":\"ann@example.com\",\"note\":\"plenty of ordinary text here\"}".utf8)
        #expect(masker.maskBody(body, contentType: "application/json")
            == "{\"name\":\"Caf\u{FFFD}\",\"email\":\"[email]\",\"note\":\"plenty of ordinary text here\"}")
        body = [0xFF, 0xFE, 0x00, 0x41] + Array("password=x".utf8)
        #expect(masker.maskBody(body, contentType: "application/json") == "[binary body: 14 bytes not logged]")
    }

    @Test func binaryAndEncodedBodiesAreNotLogged() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("ann@example.com".utf8)
        #expect(masker.maskBody(png, contentType: "image/png") == "[binary body: 27 bytes not logged]")
        #expect(masker.maskBody(Array("password=x".utf8), contentType: "text/plain", contentEncoding: "gzip")
            == "[encoded body (gzip): 10 bytes not logged]")
        #expect(masker.maskBody(Array("a=1".utf8), contentType: "text/plain", contentEncoding: "identity") == "a=1")
    }

    @Test func multipart() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nann@example.com\r\n--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 4111111111111111\r\n--XyZ--\r\n"
        #expect(mask(body, "multipart/form-data; boundary=XyZ") == "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n[redacted]\r\n--XyZ\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n[email]\r\n--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n[file: 25 bytes not logged]\r\n--XyZ--\r\n")
        #expect(mask("no boundary password=x", "multipart/form-data") == "no boundary password=[redacted]")
    }

    /// Multipart bodies that hide their parts: mislabelled, a stale boundary, RFC 2231
    /// names, a transfer encoding that makes the text unreadable to the rules.
    @Test func multipartInDisguise() {
        let part = "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter2\r\n--XyZ--\r\n"
        let masked = "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n[redacted]\r\n--XyZ--\r\n"
        for type in ["text/plain", "multipart/form-data; boundary=Other", nil] as [String?] {
            #expect(mask(part, type) == masked, "declared as \(type ?? "nothing")")
        }
        let extended = "--B\r\nContent-Disposition: form-data; name*=UTF-8''client%5Fsecret\r\n\r\ncs_live_1\r\n--B--\r\n"
        #expect(!mask(extended, "multipart/form-data; boundary=B").contains("cs_live_1"))
        let encoded = "--B\r\nContent-Disposition: form-data; name=\"doc\"\r\nContent-Transfer-Encoding: base64\r\n\r\neyJwYXNzd29yZCI6Imh1bnRlcjIifQ==\r\n--B--\r\n"
        #expect(mask(encoded, "multipart/form-data; boundary=B").contains("[encoded part (base64): 32 bytes not logged]"))
        let gzipped = "--B\r\nContent-Disposition: form-data; name=\"doc\"\r\nContent-Encoding: gzip\r\n\r\nsecret=abc\r\n--B--\r\n"
        #expect(mask(gzipped, "multipart/form-data; boundary=B").contains("[encoded body (gzip): 10 bytes not logged]"))
    }

    /// Cut at the cap: the partial token is dropped whatever it was.
    @Test(arguments: [
        ("{\"card\": \"4111 1111 1111", "{\"card\": \"[cut]"),
        ("card 4111 1111 1111 ", "card [cut]"),
        ("card 4111-1111-1111-11", "card [cut]"),
        ("mail ann@exam", "mail [cut]"),
        ("phone +44 20 7946 09", "phone [cut]"),
        ("iban GB82 WEST 1234 56", "iban GB82 WEST [cut]"),
        ("tok eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOi", "tok [cut]"),
        ("a=1&password=hunt", "a=1&password=[redacted][cut]"),
        ("caf\u{E9}", "[cut]"),
    ])
    func truncation(_ body: String, _ expected: String) {
        #expect(mask(body, "text/plain", truncated: true) == expected)
    }

    @Test func truncationInsideAMultibyteCharacter() {
        let bytes = Array("note caf\u{E9}".utf8).dropLast()  // cut inside é
        #expect(masker.maskBody(Array(bytes), contentType: "text/plain", truncated: true) == "note [cut]")
    }

    @Test func capturedChunksAreJoinedBeforeMasking() {
        var body = DebugCapture.Body(cap: 128)
        for chunk in ["{\"email\":\"ann@exa", "mple.com\",\"card\":\"4111 1111 ", "1111 1111\",\"pass", "word\":\"hunter2\"}"] {
            Array(chunk.utf8).withUnsafeBytes { body.append($0) }
        }
        #expect(!body.truncated)
        #expect(masker.maskBody(body.bytes, contentType: "application/json", truncated: body.truncated)
            == #"{"email":"[email]","card":"[card ****1111]","password":"[redacted]"}"#)
    }

    @Test func captureStopsAtTheCap() {
        var body = DebugCapture.Body(cap: 10)
        Array("0123456".utf8).withUnsafeBytes { body.append($0) }
        Array("789abcdef".utf8).withUnsafeBytes { body.append($0) }
        #expect(body.bytes == Array("0123456789".utf8))
        #expect(body.total == 16)
        #expect(body.truncated)
    }
}
