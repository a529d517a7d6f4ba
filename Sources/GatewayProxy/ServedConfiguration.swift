import Foundation
import GatewayHTTP

/// The configuration the gateway served last, kept in the data directory
/// (`served-routes.json`) so that the next start, reload or `config check`
/// can refuse changes that would break integrators without notice
/// (`GatewayConfig.compatibilityIssues(from:now:)`).
public enum ServedConfiguration {
    static func path(in dataDirectory: String) -> String { dataDirectory + "/served-routes.json" }

    /// Records `bytes` (the text of the file at `sourcePath`) as served.
    public static func record(_ bytes: [UInt8], sourcePath: String, in dataDirectory: String) {
        let source = URL(fileURLWithPath: sourcePath).standardizedFileURL.path
        let document = JSONValue.object([
            ("source", .string(source)),
            ("config", .string(String(decoding: bytes, as: UTF8.self))),
        ])
        let target = path(in: dataDirectory)
        do {
            try Data(document.serialized.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("portcullis: cannot record the served configuration in \(target): \(error.localizedDescription)\n".utf8))
        }
    }

    /// The configuration served last, or nil when none was recorded (or it can
    /// no longer be read, which is said on stderr).
    public static func load(from dataDirectory: String) -> GatewayConfig? {
        let file = path(in: dataDirectory)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        do {
            let document = try JSONParser.parse(Array(data))
            guard let text = document["config"]?.stringValue, let source = document["source"]?.stringValue else { return nil }
            let base = (source as NSString).deletingLastPathComponent
            return try GatewayConfig.decode(Array(text.utf8), baseDirectory: base.isEmpty ? "." : base)
        } catch {
            FileHandle.standardError.write(Data("portcullis: ignoring \(file), it cannot be read: \(error)\n".utf8))
            return nil
        }
    }
}
