import Foundation
import GatewayPosix

/// `portcullis` — argument parsing and composition only; the work lives in the modules.
let commands: [(words: [String], usage: String, run: (inout Arguments) throws -> Int32)] = [
    (["serve"], "serve --config FILE [--data DIR]", ServeCommand.run),
    (["config", "check"], "config check FILE", ConfigCommand.check),
    (["openapi"], "openapi [--config FILE] [--version V] [--spec 3.1|3.0]", OpenAPICommand.print),
    (["sdk"], "sdk --lang typescript|python|go --out DIR [--config FILE]", OpenAPICommand.sdk),
    (["sample-upstream"], "sample-upstream --listen HOST:PORT [--version V] [--workers N]", SampleUpstreamCommand.run),
    (["org", "create"], OrgCommand.usage, OrgCommand.create),
    (["org", "list"], "org list [--data DIR]", OrgCommand.list),
    (["client", "create"], ClientCommand.createUsage, ClientCommand.create),
    (["client", "list"], "client list [--org ID] [--data DIR]", ClientCommand.list),
    (["client", "show"], "client show ID [--data DIR]", ClientCommand.show),
    (["client", "revoke"], "client revoke ID [--reason CODE] [--data DIR]", ClientCommand.revoke),
    (["client", "update"], "client update ID [--rpm N|default] [--debug-log on|off] [--data DIR]", ClientCommand.update),
    (["client", "rotate-secret"], "client rotate-secret ID [--bcrypt-cost N] [--data DIR]", ClientCommand.rotateSecret),
    (["keys", "rotate"], "keys rotate [--alg RS256|ES256] [--data DIR]", KeysCommand.rotate),
    (["keys", "list"], "keys list [--data DIR]", KeysCommand.list),
    (["audit", "verify"], "audit verify [--anchor SEQ:HASH] [--data DIR]", AuditCommand.verify),
    (["audit", "export"], "audit export [--data DIR]", AuditCommand.export),
    (["user", "create"], UserCommand.createUsage, UserCommand.create),
    (["user", "disable"], UserCommand.disableUsage, UserCommand.disable),
    (["user", "show"], UserCommand.showUsage, UserCommand.show),
]

@MainActor func usage() -> String {
    "usage: portcullis <command> [options]\n\ncommands:\n"
        + commands.map { "  portcullis \($0.usage)" }.joined(separator: "\n")
        + "\n\nEvery command takes --data DIR (default ./data) and --help."
}

@MainActor func main() -> Int32 {
    let words = Array(CommandLine.arguments.dropFirst())
    guard let command = commands.filter({ Array(words.prefix($0.words.count)) == $0.words })
        .max(by: { $0.words.count < $1.words.count }) else {
        if words == ["--help"] || words == ["help"] {
            print(usage())
            return 0
        }
        if words.isEmpty {  // a mistake like any other: the usage goes to stderr
            Diagnostics.warn("a command is required\n\(usage())")
            return 2
        }
        Diagnostics.warn("unknown command '\(words.joined(separator: " "))'\n\(usage())")
        return 2
    }
    do {
        var args = try Arguments(Array(words.dropFirst(command.words.count)))
        if args.flag("--help") {
            print("usage: portcullis \(command.usage)")
            return 0
        }
        return try command.run(&args)
    } catch let error as UsageError {
        Diagnostics.warn("\(error.message)\nusage: portcullis \(command.usage)")
        return 2
    } catch {
        Diagnostics.warn("\(error)")
        return 1
    }
}

exit(main())
