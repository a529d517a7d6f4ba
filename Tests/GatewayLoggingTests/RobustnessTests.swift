import GatewayTestSupport
import Testing
@testable import GatewayLogging

/// Random inputs built from the bytes the scanners care about: no input may
/// crash a masker (debug builds check every buffer access), and masking is
/// stable once applied.
@Suite struct RobustnessTests {
    static let alphabet: [UInt8] = Array("0123456789 -.+()@=&%:;,<>/\\\"'{}[]\n\teyJBbearer asic GBQQCADpasswordtoken_".utf8)
        + [0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0xFF]

    static let contentTypes: [String?] = [nil, "application/json", "application/x-www-form-urlencoded", "text/plain",
                                          "multipart/form-data; boundary=--", "image/png", "application/xml"]

    @Test func randomInputsNeverCrash() {
        var rng = SplitMix(state: 0xC0FFEE)
        let masker = LogMasker()
        for _ in 0..<4000 {
            let length = Int.random(in: 0...80, using: &rng)
            var bytes = (0..<length).map { _ in Self.alphabet.randomElement(using: &rng)! }
            if Bool.random(using: &rng) { bytes.insert(UInt8(ascii: "{"), at: 0) }
            let type = Self.contentTypes.randomElement(using: &rng)!
            let truncated = Bool.random(using: &rng)
            _ = masker.maskBody(bytes, contentType: type, truncated: truncated)
            let text = String(decoding: bytes, as: UTF8.self)
            _ = masker.maskTarget("/" + text)
            _ = masker.maskHeaderValue(name: "X-Test", value: text)
            _ = PIIMasker().mask(text)
        }
    }

    @Test func maskingIsIdempotentOnText() {
        var rng = SplitMix(state: 42)
        let masker = LogMasker()
        for _ in 0..<2000 {
            let length = Int.random(in: 0...60, using: &rng)
            let bytes = (0..<length).map { _ in Self.alphabet.randomElement(using: &rng)! }.filter { $0 < 0x80 && $0 != 0 }
            let once = masker.maskText(String(decoding: bytes, as: UTF8.self))
            #expect(masker.maskText(once) == once, "\(once)")
        }
    }

    @Test func deepNestingAndHugeValues() {
        let masker = LogMasker()
        let deep = String(repeating: "[{\"a\":", count: 2000) + "\"ann@example.com\""
        #expect(masker.maskBody(Array(deep.utf8), contentType: "application/json").hasSuffix("\"[email]\""))
        let long = "{\"password\":\"" + String(repeating: "x", count: 100_000) + "\"}"
        #expect(masker.maskBody(Array(long.utf8), contentType: "application/json") == #"{"password":"[redacted]"}"#)
    }
}
