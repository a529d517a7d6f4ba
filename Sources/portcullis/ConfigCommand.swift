import GatewayProxy

/// `portcullis config check FILE`: exit 0 when valid; otherwise one line per
/// problem on stderr, each naming its JSON path, and exit 1.
enum ConfigCommand {
    static func check(_ args: inout Arguments) throws -> Int32 {
        _ = args.value("--data")
        guard args.positional.count == 1, let file = args.positional.first else {
            throw UsageError("config check takes exactly one file")
        }
        try args.finish()
        do {
            let config = try GatewayConfig.load(path: file)
            let operations = config.apis.reduce(0) { $0 + $1.operations.count }
            print("{\"valid\": true, \"apis\": \(config.apis.count), \"operations\": \(operations)}")
            return 0
        } catch {
            for issue in error.issues { print("\(file): \(issue)", to: &standardError) }
            return 1
        }
    }
}
