/// Why an SDK could not be generated; every case says what to do about it.
public enum SDKError: Error, Sendable, CustomStringConvertible {
    /// A tool is missing; `fix` says which script or package installs it.
    case missingTool(String, fix: String)
    /// The generator or a post-processing step failed.
    case toolFailed(command: String, status: Int32, output: String)
    /// The output directory holds files that are not a generated SDK.
    case outputNotEmpty(String)
    /// Reading or writing files failed.
    case io(String)

    public var description: String {
        switch self {
        case .missingTool(let tool, let fix):
            "\(tool) is not available: \(fix)"
        case .toolFailed(let command, let status, let output):
            "\(command) failed with exit status \(status):\n\(output.suffix(4000))"
        case .outputNotEmpty(let dir):
            "\(dir) exists and is not a generated SDK (no .openapi-generator/ inside): choose an empty or new directory"
        case .io(let message):
            message
        }
    }
}
