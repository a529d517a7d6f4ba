import Foundation
import GatewayHTTP
@testable import GatewayOpenAPI
import Testing

/// Both documents pass `openapi-spec-validator` (installed into `.venv/` by
/// `scripts/install-sdk-deps.sh`, which `make test` runs first).
@Suite struct SpecValidatorTests {
    static var validator: String { OpenAPIFixtures.venv + "/bin/openapi-spec-validator" }

    func validate(_ documents: [(String, JSONValue)]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.validator) else {
            Issue.record("\(Self.validator) is missing: \(OpenAPIFixtures.installHint)")
            return
        }
        let dir = try OpenAPIFixtures.temporaryDirectory("validate")
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for (name, document) in documents {
            let file = dir.appendingPathComponent(name).path
            try document.prettySerialized.write(toFile: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        let result = try ProcessRunner.run(Self.validator, files, timeoutSeconds: 120)
        #expect(result.status == 0, "openapi-spec-validator: \(result.output)")
        for file in files { #expect(result.output.contains("\(file): OK"), "\(result.output)") }
    }

    @Test func fixtureDocumentsAreValid() throws {
        let config = try OpenAPIFixtures.config()
        let full = try OpenAPIGenerator.document(for: config)
        try validate([
            ("openapi-3.1.json", full),
            ("openapi-3.0.json", OpenAPIGenerator.downgradedTo30(full)),
            ("openapi-v1.json", try OpenAPIGenerator.document(for: config, version: "v1")),
            ("openapi-v2-3.0.json", OpenAPIGenerator.downgradedTo30(try OpenAPIGenerator.document(for: config, version: "v2"))),
        ])
    }

    @Test func minimalDocumentsAreValid() throws {
        let config = try OpenAPIFixtures.config(operations: [#"{"method": "GET", "path": "/", "public": true}"#],
                                                top: #""token_ttl_seconds": 600,"#)
        let full = try OpenAPIGenerator.document(for: config)
        try validate([("minimal-3.1.json", full), ("minimal-3.0.json", OpenAPIGenerator.downgradedTo30(full))])
    }
}
