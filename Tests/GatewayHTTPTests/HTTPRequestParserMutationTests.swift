import GatewayHTTP
import GatewayTestSupport
import Testing

/// Seeded random mutations of valid requests: whatever the parser decides must
/// not depend on how the bytes are split, and accepted heads keep the invariants.
@Suite("HTTPRequestParser: mutations")
struct HTTPRequestParserMutationTests {
    static let interesting: [UInt8] = Array("\r\n :;,\t0aF/%-HTTP/1.1chunkedContent-LengthTransfer-Encoding".utf8) + [0, 0x0B, 0x7F, 0xFF]

    func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        mutateBytes(input, &rng, interesting: Self.interesting)
    }

    @Test func decisionsDoNotDependOnSplits() {
        var rng = SplitMix(state: 0x5EED)
        let seeds = validCases.map { Array($0.raw.utf8) }
        var accepted = 0
        for _ in 0..<3000 {
            let input = mutate(seeds.randomElement(using: &rng)!, &rng)
            let whole = drive([input])
            let piece = Int.random(in: 1...7, using: &rng)
            let split = drive(stride(from: 0, to: input.count, by: piece).map {
                Array(input[$0..<min($0 + piece, input.count)])
            })
            #expect(whole.status == split.status, "\(String(decoding: input, as: UTF8.self).debugDescription)")
            if whole.error == nil && split.error == nil {
                #expect(whole.events == split.events)
                accepted += 1
            }
            for head in whole.heads {
                #expect(head.target.hasPrefix("/") || head.target == "*")
                #expect(head.headers.allSatisfy { HTTPHeaders.isValidField(name: $0.name, value: $0.value) })
            }
        }
        #expect(accepted > 100, "the mutations should leave some requests valid")
    }
}
