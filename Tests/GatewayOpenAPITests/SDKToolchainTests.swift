import Foundation
@testable import GatewayOpenAPI
import Testing

/// Finding the generator's tools, and the errors that say how to get them.
@Suite struct SDKToolchainTests {
    @Test func missingJavaNamesTheInstallScript() throws {
        #expect {
            try SDKToolchain.discover(environment: ["PATH": "/nonexistent"], currentDirectory: "/", executable: "")
        } throws: { error in
            guard case SDKError.missingTool(let tool, let fix) = error else { return false }
            return tool == "java" && fix.contains("scripts/install-sdk-deps.sh")
        }
    }

    @Test func missingGeneratorNamesTheInstallScript() throws {
        let dir = try OpenAPIFixtures.temporaryDirectory("no-venv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        #expect {
            try SDKToolchain.discover(environment: env, currentDirectory: dir.path, executable: "")
        } throws: { error in
            "\(error)".contains("openapi-generator-cli 7.26.0") && "\(error)".contains("scripts/install-sdk-deps.sh")
        }
    }

    @Test func anotherGeneratorVersionIsRefused() throws {
        let dir = try OpenAPIFixtures.temporaryDirectory("old-venv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent(".venv/lib/python3.11/site-packages")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("openapi_generator_cli"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: site.appendingPathComponent("openapi_generator_cli-7.0.0.dist-info"),
                                                withIntermediateDirectories: true)
        try Data().write(to: site.appendingPathComponent("openapi_generator_cli/openapi-generator.jar"))
        let env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        #expect {
            try SDKToolchain.discover(environment: env, currentDirectory: dir.path, executable: "")
        } throws: { error in
            "\(error)".contains("another version") && "\(error)".contains("install-sdk-deps.sh")
        }
    }

    @Test func theProjectVenvIsFoundFromASubdirectory() throws {
        let tools = try SDKToolchain.discover(currentDirectory: OpenAPIFixtures.root.appendingPathComponent("Tests/SDK").path,
                                              executable: "")
        #expect(tools.generatorJar.hasSuffix("openapi_generator_cli/openapi-generator.jar"))
        #expect(tools.venv == OpenAPIFixtures.venv)
    }

    @Test func aDirectoryThatIsNotAGeneratedSDKIsNotOverwritten() throws {
        let dir = try OpenAPIFixtures.temporaryDirectory("not-an-sdk")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("keep me".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let tools = SDKToolchain(java: "/nonexistent/java", generatorJar: "/nonexistent.jar", venv: "/nonexistent")
        #expect {
            try SDKGenerator.generate(lang: .go, outDirectory: dir.path, document: .object([]), toolchain: tools)
        } throws: { error in
            guard case SDKError.outputNotEmpty = error else { return false }
            return true
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("notes.txt").path))
    }

    @Test func cacheKeyFollowsTheDocumentAndLanguage() throws {
        let doc = try OpenAPIGenerator.document(for: try OpenAPIFixtures.config())
        #expect(SDKGenerator.cacheKey(lang: .go, document: doc) == SDKGenerator.cacheKey(lang: .go, document: doc))
        #expect(SDKGenerator.cacheKey(lang: .go, document: doc) != SDKGenerator.cacheKey(lang: .python, document: doc))
        #expect(SDKGenerator.cacheKey(lang: .go, document: doc) != SDKGenerator.cacheKey(lang: .go, document: .object([])))
        #expect(SDKGenerator.packageVersion(doc).hasPrefix("0.0.0+"))
    }
}
