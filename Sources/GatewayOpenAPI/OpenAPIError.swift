/// A request for a document the configuration cannot produce.
public enum OpenAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--version` names no version of any API.
    case unknownVersion(String, known: [String])

    public var description: String {
        switch self {
        case .unknownVersion(let version, let known):
            "no API has a version \"\(version)\"; the configuration has: \(known.joined(separator: ", "))"
        }
    }
}
