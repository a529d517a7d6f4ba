import GatewayProxy

/// `portcullis config check FILE [--data DIR]`: exit 0 when valid; otherwise
/// one line per problem on stderr, each naming its JSON path, and exit 1.
/// When DIR holds the configuration a gateway served last, the file is also
/// checked against it (no version or operation removed without notice).
enum ConfigCommand {
    static func check(_ args: inout Arguments) throws -> Int32 {
        let dataDir = args.value("--data") ?? "./data"
        guard args.positional.count == 1, let file = args.positional.first else {
            throw UsageError("config check takes exactly one file")
        }
        try args.finish()
        do {
            let config = try GatewayConfig.loadChecked(path: file, dataDirectory: dataDir).config
            let operations = config.apis.reduce(0) { $0 + $1.operations.count }
            print("{\"valid\": true, \"apis\": \(config.apis.count), \"operations\": \(operations)}")
            return 0
        } catch {
            for issue in error.issues { print("\(file): \(issue)", to: &standardError) }
            return 1
        }
    }
}
