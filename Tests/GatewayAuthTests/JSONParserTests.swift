import Testing
@testable import GatewayAuth

@Suite struct JSONParserTests {
    private func parse(_ text: String) -> JSONValue? {
        try? JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesTheGrammar() throws {
        let value = try #require(parse(#" {"a":[1,-2.5,3e2,0,true,false,null],"b":{"c":"d\"\\\/\b\f\n\r\t\u00e9\ud83d\udd25"}} "#))
        let object = try #require(value.objectValue)
        #expect(object["a"] == .array([.number(1), .number(-2.5), .number(300), .number(0), .bool(true), .bool(false), .null]))
        #expect(object["b"]?.objectValue?["c"] == .string("d\"\\/\u{8}\u{C}\n\r\té🔥"))
        #expect(parse("[]") == .array([]))
        #expect(parse("{}") == .object(JSONObject()))
        #expect(parse("1750000000") == .number(1_750_000_000))
    }

    @Test(arguments: ["", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul",
                      "\"a", "\"\\x\"", "\"\\u12\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\u{1}\"", "{\"a\" 1}", "[1 2]",
                      "{\"a\":1,\"a\":2}", "1 2", "NaN", "1e999"])
    func refusesInvalidDocuments(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect((try? JSONParser.parse([0x22, 0xC3, 0x28, 0x22])) == nil)
        #expect((try? JSONParser.parse([0x22, 0xFF, 0x22])) == nil)
        #expect((try? JSONParser.parse([0x22, 0xE0, 0x80, 0x80, 0x22])) == nil, "overlong")
        #expect((try? JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22])) == nil, "encoded surrogate")
        #expect((try? JSONParser.parse([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22])) == nil, "above U+10FFFF")
        #expect((try? JSONParser.parse([0x22, 0xE2, 0x82, 0x22])) == nil, "truncated sequence")
        #expect((try? JSONParser.parse([0x22, 0xC3, 0xA9, 0xF0, 0x9F, 0x94, 0xA5, 0x5C, 0x6E, 0x22])) == .string("é🔥\n"))
        #expect(parse(String(repeating: "[", count: 32) + String(repeating: "]", count: 32)) != nil)
        #expect(parse(String(repeating: "[", count: 33) + String(repeating: "]", count: 33)) == nil)
        #expect(parse(String(repeating: "[", count: 100_000)) == nil)
    }

    @Test func refusesDuplicatesInLargeObjects() {
        let members = (0..<20).map { "\"k\($0)\":\($0)" } + ["\"k3\":0"]
        #expect(parse("{" + members.joined(separator: ",") + "}") == nil)
        #expect(parse("{" + members.dropLast().joined(separator: ",") + "}") != nil)
    }
}
