import Foundation
import GatewayHTTP

/// Generates client SDKs from the gateway's OpenAPI document with the pinned
/// openapi-generator, fed the 3.0.3 rendition, and post-processes them so
/// they build offline with Debian's toolchains (`tsc` 4.8, Go 1.19 with
/// Debian's `golang.org/x/oauth2`, Python with pydantic ≥ 2.11 and
/// urllib3 ≥ 2.7 from PyPI).
public enum SDKGenerator {
    /// What was generated and how to build it.
    public struct Result: Sendable {
        public var language: SDKLanguage
        public var directory: String
        public var buildCommand: String
    }

    /// Package names of the generated SDKs.
    public static let npmName = "portcullis-client"
    public static let pythonPackage = "portcullis_client"
    public static let goModule = "example.com/portcullis/portcullis-go"
    public static let goPackage = "portcullis"

    /// Generates the SDK for `lang` from `document` (OpenAPI 3.1, as the
    /// generator makes it; it is rendered as 3.0.3 first) into `outDirectory`.
    /// An existing `outDirectory` is replaced only if it holds an earlier generated SDK.
    @discardableResult
    public static func generate(lang: SDKLanguage, outDirectory: String, document: JSONValue,
                                toolchain: SDKToolchain? = nil) throws(SDKError) -> Result {
        let tools: SDKToolchain
        if let toolchain { tools = toolchain } else { tools = try SDKToolchain.discover() }
        let fm = FileManager.default
        let out = (outDirectory as NSString).standardizingPath
        try checkOutput(out)

        let spec = document["openapi"]?.stringValue?.hasPrefix("3.1") == true
            ? OpenAPIGenerator.downgradedTo30(document) : document
        let version = packageVersion(document)
        let staging = fm.temporaryDirectory.appendingPathComponent("portcullis-sdk-\(UUID().uuidString)").path
        defer { try? fm.removeItem(atPath: staging) }
        let specPath = staging + "/openapi.json"
        let generated = staging + "/sdk"
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            try Data(spec.prettySerialized.utf8).write(to: URL(fileURLWithPath: specPath))
        } catch {
            throw SDKError.io("cannot write the spec to \(specPath): \(error.localizedDescription)")
        }

        var arguments = ["-XX:TieredStopAtLevel=1", "-jar", tools.generatorJar, "generate",
                         "-i", specPath, "-g", lang.generatorName, "-o", generated,
                         "--global-property=apiTests=false,modelTests=false",
                         "--additional-properties=" + additionalProperties(lang, version: version)]
        if lang == .go {
            let parts = goModule.split(separator: "/").map(String.init)
            arguments += ["--git-host", parts[0], "--git-user-id", parts[1], "--git-repo-id", parts[2]]
        }
        let run = try ProcessRunner.run(tools.java, arguments, directory: staging, timeoutSeconds: 300)
        guard run.status == 0 else {
            throw SDKError.toolFailed(command: "openapi-generator \(SDKToolchain.generatorVersion) generate -g \(lang.generatorName)",
                                      status: run.status, output: run.output)
        }
        try SDKPostProcessor.process(lang, directory: generated, version: version)

        do {
            if fm.fileExists(atPath: out) { try fm.removeItem(atPath: out) }
            try fm.createDirectory(atPath: (out as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: generated, toPath: out)
        } catch {
            throw SDKError.io("cannot write the SDK to \(out): \(error.localizedDescription)")
        }
        return Result(language: lang, directory: out, buildCommand: lang.buildCommand.replacingOccurrences(of: "DIR", with: out))
    }

    /// A key that changes whenever the generated SDK would: the document, the
    /// language, the generator version and the post-processing revision.
    public static func cacheKey(lang: SDKLanguage, document: JSONValue) -> String {
        Fingerprint.hex([document.serialized, lang.rawValue, SDKToolchain.generatorVersion,
                         String(SDKPostProcessor.revision)].joined(separator: "\u{0}"))
    }

    /// `0.0.0-config.<fingerprint>` for every language's package version
    /// (semver for npm, PEP 440-compatible once normalised by the generator).
    static func packageVersion(_ document: JSONValue) -> String {
        let info = document["info"]?["version"]?.stringValue ?? ""
        let fingerprint = info.hasPrefix("config-") ? String(info.dropFirst("config-".count)) : Fingerprint.hex(info)
        return "0.0.0+" + fingerprint
    }

    static func additionalProperties(_ lang: SDKLanguage, version: String) -> String {
        switch lang {
        case .typescript:
            "npmName=\(npmName),npmVersion=\(version),supportsES6=true,useSingleRequestParameter=true"
        case .python:
            "packageName=\(pythonPackage),projectName=\(npmName),packageVersion=\(version)"
        case .go:
            "packageName=\(goPackage),packageVersion=\(version),isGoSubmodule=false,generateInterfaces=false"
        }
    }

    private static func checkOutput(_ out: String) throws(SDKError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: out, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw SDKError.outputNotEmpty(out) }
        let contents = (try? fm.contentsOfDirectory(atPath: out)) ?? []
        if !contents.isEmpty && !contents.contains(".openapi-generator") { throw SDKError.outputNotEmpty(out) }
    }
}
