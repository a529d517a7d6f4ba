import Foundation
import GatewayHTTP
@testable import GatewayOpenAPI

/// Generates, caches and builds the SDKs the SDK tests call. Each SDK is
/// generated once per document in `.build/sdk-cache/<lang>-<key>` (the key
/// covers the document, the generator version and the post-processing), so a
/// rerun with an unchanged document only builds and runs.
enum SDKWorkbench {
    static let cacheRoot = OpenAPIFixtures.root.appendingPathComponent(".build/sdk-cache")
    static let smokeSources = OpenAPIFixtures.root.appendingPathComponent("Tests/SDK")
    /// Every tool runs with the network switched off where the tool has a switch; Go keeps
    /// its caches under `.build` so the tests need no home directory.
    static let offline = ["GOPROXY": "off", "GOFLAGS": "-mod=readonly", "GOTOOLCHAIN": "local",
                          "GOCACHE": cacheRoot.appendingPathComponent("gocache").path,
                          "GOPATH": cacheRoot.appendingPathComponent("gopath").path,
                          "PIP_NO_INDEX": "1", "npm_config_offline": "true"]

    /// The generated SDK for `lang` from the fixture document (generated now if not cached).
    static func sdk(_ lang: SDKLanguage) throws -> String {
        let document = try OpenAPIGenerator.document(for: try OpenAPIFixtures.config())
        let key = SDKGenerator.cacheKey(lang: lang, document: document)
        let directory = cacheRoot.appendingPathComponent("\(lang.rawValue)-\(key)").path
        let marker = directory + ".complete"
        let fm = FileManager.default
        if fm.fileExists(atPath: marker) && fm.fileExists(atPath: directory) { return directory }
        // Older generations of this language are stale.
        for name in (try? fm.contentsOfDirectory(atPath: cacheRoot.path)) ?? [] where name.hasPrefix(lang.rawValue + "-") {
            try? fm.removeItem(at: cacheRoot.appendingPathComponent(name))
        }
        let toolchain = try SDKToolchain.discover(currentDirectory: OpenAPIFixtures.root.path)
        try SDKGenerator.generate(lang: lang, outDirectory: directory, document: document, toolchain: toolchain)
        try Data().write(to: URL(fileURLWithPath: marker))
        return directory
    }

    /// Runs a tool offline; throws with its output unless it exits 0.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: String,
                    environment: [String: String] = [:]) throws -> String {
        let env = offline.merging(environment) { _, new in new }
        let result = try ProcessRunner.run(tool, arguments, directory: directory, environment: env, timeoutSeconds: 240)
        guard result.status == 0 else {
            throw SDKError.toolFailed(command: ([tool] + arguments).joined(separator: " "), status: result.status,
                                      output: result.output)
        }
        return result.output
    }

    /// A scratch directory holding a copy of `Tests/SDK/<lang>/<files>`.
    static func smokeDirectory(_ lang: SDKLanguage, files: [String]) throws -> URL {
        let dir = try OpenAPIFixtures.temporaryDirectory("sdk-smoke-\(lang.rawValue)")
        for file in files {
            try FileManager.default.copyItem(at: smokeSources.appendingPathComponent("\(lang.rawValue)/\(file)"),
                                             to: dir.appendingPathComponent(file))
        }
        return dir
    }
}
