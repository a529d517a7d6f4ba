import Foundation
import GatewayHTTP
import GatewayOpenAPI
import Testing

/// The generated documents for the fixture configuration, compared byte for
/// byte with `Golden/`. `UPDATE_GOLDEN=1 swift test --filter GatewayOpenAPITests`
/// rewrites the files; review the diff like any other change.
@Suite struct GoldenFileTests {
    static let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

    static func documents() throws -> [(String, String)] {
        let config = try OpenAPIFixtures.config()
        let full = try OpenAPIGenerator.document(for: config)
        let changelog = Changelog(config: config)
        return [
            ("openapi.json", full.prettySerialized + "\n"),
            ("openapi-v1.json", try OpenAPIGenerator.document(for: config, version: "v1").prettySerialized + "\n"),
            ("openapi-v2.json", try OpenAPIGenerator.document(for: config, version: "v2").prettySerialized + "\n"),
            ("openapi-3.0.json", OpenAPIGenerator.downgradedTo30(full).prettySerialized + "\n"),
            ("changelog.json", changelog.json.prettySerialized + "\n"),
            ("changelog.atom", changelog.atom),
        ]
    }

    @Test(arguments: ["openapi.json", "openapi-v1.json", "openapi-v2.json", "openapi-3.0.json", "changelog.json", "changelog.atom"])
    func matchesGoldenFile(_ name: String) throws {
        let generated = try #require(try Self.documents().first { $0.0 == name }?.1)
        let url = OpenAPIFixtures.goldenDirectory.appendingPathComponent(name)
        if Self.update {
            try FileManager.default.createDirectory(at: OpenAPIFixtures.goldenDirectory, withIntermediateDirectories: true)
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        if golden != generated {
            let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let b = generated.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(a, b)).firstIndex { $0.0 != $0.1 } ?? min(a.count, b.count)
            Issue.record("""
            \(name) differs from Golden/\(name) first at line \(line + 1):
              golden:    \(line < a.count ? String(a[line]) : "<end>")
              generated: \(line < b.count ? String(b[line]) : "<end>")
            If the change is intended, run UPDATE_GOLDEN=1 swift test --filter GatewayOpenAPITests and review the diff.
            """)
        }
    }

    @Test func generationIsDeterministic() throws {
        let first = try Self.documents()
        let second = try Self.documents()
        #expect(first.map(\.1) == second.map(\.1))
    }

    @Test func prettyTextParsesBackToTheDocument() throws {
        let text = try #require(try Self.documents().first { $0.0 == "openapi.json" }?.1)
        let parsed = try JSONParser.parse(text, maxDepth: 128)
        #expect(parsed == (try OpenAPIGenerator.document(for: try OpenAPIFixtures.config())))
    }
}
