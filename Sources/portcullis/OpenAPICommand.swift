import GatewayHTTP
import GatewayOpenAPI
import GatewayProxy

/// `portcullis openapi [--config FILE] [--version V] [--spec 3.1|3.0]`: prints
/// the OpenAPI document generated from the configuration (pretty JSON).
/// `portcullis sdk --lang typescript|python|go --out DIR [--config FILE]`:
/// generates a client SDK from the 3.0.3 rendition of that document.
enum OpenAPICommand {
    static func print(_ args: inout Arguments) throws -> Int32 {
        _ = args.value("--data")
        let configPath = args.value("--config") ?? "routes.json"
        let version = args.value("--version")
        let spec = args.value("--spec") ?? "3.1"
        guard spec == "3.1" || spec == "3.0" else { throw UsageError("--spec must be 3.1 or 3.0") }
        try args.finish()
        guard let config = load(configPath) else { return 1 }
        do {
            var document = try OpenAPIGenerator.document(for: config, version: version)
            if spec == "3.0" { document = OpenAPIGenerator.downgradedTo30(document) }
            Swift.print(document.prettySerialized)
            return 0
        } catch {
            throw UsageError("--version: \(error)")
        }
    }

    static func sdk(_ args: inout Arguments) throws -> Int32 {
        _ = args.value("--data")
        let configPath = args.value("--config") ?? "routes.json"
        let langName = try args.required("--lang")
        let out = try args.required("--out")
        try args.finish()
        guard let language = SDKLanguage(rawValue: langName) else {
            throw UsageError("--lang must be one of: \(SDKLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let config = load(configPath) else { return 1 }
        let document = try OpenAPIGenerator.document(for: config)
        let result = try SDKGenerator.generate(lang: language, outDirectory: out, document: document)
        Swift.print("{\"language\": \(JSONText.quoted(language.rawValue)), \"out\": \(JSONText.quoted(result.directory)), "
            + "\"build\": \(JSONText.quoted(result.buildCommand))}")
        return 0
    }

    private static func load(_ path: String) -> GatewayConfig? {
        do {
            return try GatewayConfig.load(path: path)
        } catch {
            for issue in error.issues { Swift.print("\(path): \(issue)", to: &standardError) }
            return nil
        }
    }
}
