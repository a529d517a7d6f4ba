import GatewayHTTP
import Testing

@Suite("Percent-encoding and forms")
struct URLEncodingTests {
    @Test func percentDecoding() throws {
        #expect(try PercentEncoding.decode("a%20b%2Fc") == "a b/c")
        #expect(try PercentEncoding.decode("a+b") == "a+b")
        #expect(try PercentEncoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(try PercentEncoding.decode("caf%C3%A9%e2%82%ac") == "caf\u{e9}\u{20ac}")
        #expect(try PercentEncoding.decode("") == "")
        #expect(try PercentEncoding.decode("%2B", plusAsSpace: true) == "+")
    }

    @Test("malformed escapes are reported with their offset",
          arguments: [("%", 0), ("a%2", 1), ("ab%zz", 2), ("%g0", 0), ("x%%41", 1), ("%41%4", 3)])
    func malformedEscapes(input: String, offset: Int) {
        #expect(throws: URLEncodingError.self) { try PercentEncoding.decode(input) }
        do {
            _ = try PercentEncoding.decode(input)
        } catch {
            #expect(error.kind == .malformedEscape)
            #expect(error.offset == offset)
        }
    }

    @Test("non-UTF-8 results are reported, not repaired", arguments: ["%FF", "%C3", "%C3%28", "%ED%A0%80", "a%80b"])
    func invalidUTF8(input: String) {
        do {
            _ = try PercentEncoding.decode(input)
            Issue.record("decoded \(input)")
        } catch {
            #expect(error.kind == .invalidUTF8)
        }
    }

    @Test func encoding() {
        #expect(PercentEncoding.encodeComponent("a b/c?d=e&f~g.h_i-j") == "a%20b%2Fc%3Fd%3De%26f~g.h_i-j")
        #expect(PercentEncoding.encodeComponent("caf\u{e9}") == "caf%C3%A9")
        #expect(PercentEncoding.encodePath("/v1/a b/c:d@e!") == "/v1/a%20b/c:d@e!")
        #expect(PercentEncoding.encodeFormComponent("a b*c~d+e") == "a+b*c%7Ed%2Be")
    }

    @Test("encoding then decoding gives the original", arguments: ["", "plain", "a b+c&d=e%f", "caf\u{e9} \u{1F600}", "\u{0}\u{7F}~*"])
    func roundTrip(text: String) throws {
        #expect(try PercentEncoding.decode(PercentEncoding.encodeComponent(text)) == text)
        #expect(try PercentEncoding.decode(PercentEncoding.encodeFormComponent(text), plusAsSpace: true) == text)
        #expect(try PercentEncoding.decode(PercentEncoding.encodePath(text)) == text)
    }

    @Test func formParsingKeepsOrderAndDecodes() throws {
        let form = try URLEncodedForm.parse("grant_type=client_credentials&scope=ledger%3Aread+ledger%3Awrite&client_id=abc")
        #expect(form.pairs.map(\.name) == ["grant_type", "scope", "client_id"])
        #expect(form["scope"] == "ledger:read ledger:write")
        #expect(form["missing"] == nil)
    }

    @Test func formEdgeCases() throws {
        let form = try URLEncodedForm.parse(Array("&&a=1&&b&c=&=d&e=x=y&".utf8))
        #expect(form == ["a": "1", "b": "", "c": "", "": "d", "e": "x=y"])
        #expect(try URLEncodedForm.parse("").pairs.isEmpty)
    }

    @Test func duplicateNamesAreRefusedInFormsByDefault() throws {
        do {
            _ = try URLEncodedForm.parse("scope=a&client_id=x&scope=b")
            Issue.record("duplicate accepted")
        } catch {
            #expect(error.kind == .duplicateName)
            #expect(error.name == "scope")
            #expect(error.offset == 20)
        }
        let allowed = try URLEncodedForm.parse("scope=a&scope=b", allowDuplicates: true)
        #expect(allowed.values("scope") == ["a", "b"])
        // Different names after decoding are different; equal ones after decoding are duplicates.
        #expect(throws: URLEncodingError.self) { try URLEncodedForm.parse("a=1&%61=2") }
    }

    @Test func errorsNameTheField() {
        do {
            _ = try URLEncodedForm.parse("ok=1&code=%FF")
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .invalidUTF8)
            #expect(error.name == "code")
            #expect(error.offset == 10)
            #expect(error.reason.contains("'code'"))
        }
        #expect(throws: URLEncodingError.self) { try URLEncodedForm.parse("a%zz=1") }
    }

    @Test func queryParsingAllowsRepeats() throws {
        let head = HTTPRequestHead(method: "GET", target: "/v1/entries?tag=a&tag=b&q=x+y%21")
        let query = try URLEncodedForm.parseQuery(try #require(head.query))
        #expect(query.values("tag") == ["a", "b"])
        #expect(query["q"] == "x y!")
        #expect(throws: URLEncodingError.self) { try URLEncodedForm.parseQuery("a=1&a=2", allowDuplicates: false) }
    }

    @Test func serialisationRoundTrips() throws {
        let form: URLEncodedForm = ["grant_type": "authorization_code", "redirect_uri": "https://app.example/cb?x=1",
                                    "note": "caf\u{e9} & co", "": "empty name"]
        #expect(form.encoded == "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&note=caf%C3%A9+%26+co&=empty+name")
        #expect(try URLEncodedForm.parse(form.encodedBytes) == form)
    }
}
