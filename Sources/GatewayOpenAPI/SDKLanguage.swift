/// A language the `sdk` command generates a client for, with the
/// openapi-generator generator that writes it.
public enum SDKLanguage: String, CaseIterable, Sendable {
    case typescript
    case python
    case go

    /// The openapi-generator generator name.
    public var generatorName: String {
        switch self {
        case .typescript: "typescript-fetch"
        case .python: "python"
        case .go: "go"
        }
    }

    /// How to build the generated SDK offline with Debian's toolchains.
    public var buildCommand: String {
        switch self {
        case .typescript: "tsc -p DIR"
        case .python: "pip install DIR   (needs pydantic >= 2.11 and urllib3 >= 2.7 from PyPI)"
        case .go: "cd DIR && GOPROXY=off go build ./..."
        }
    }
}
