import GatewayAudit
import GatewayHTTP
import GatewayStore
import TokenService

/// `portcullis org create --id ID --name NAME --scopes S1,S2` and `portcullis org list`.
enum OrgCommand {
    static let usage = "org create --id ID --name NAME --scopes S1,S2 [--data DIR]"

    static func create(_ args: inout Arguments) throws -> Int32 {
        let id = try args.required("--id")
        let name = try args.required("--name")
        let scopes = CLIJSON.list(try args.required("--scopes"))
        let data = args.value("--data") ?? "./data"
        try args.finish()
        guard args.positional.isEmpty else { throw UsageError("org create takes no positional arguments") }
        if let bad = scopes.first(where: { !ScopeResolver.isValidToken($0) }) {
            throw UsageError("--scopes: \"\(bad)\" is not a scope token (printable ASCII without spaces, quotes or backslashes)")
        }
        let store = try SQLiteStore.open(directory: data)
        do {
            let org = try store.orgs.create(NewOrg(id: id, name: name, scopePolicy: scopes),
                                            audit: CLIAudit.context)
            CLIJSON.print(json(org))
            return 0
        } catch StoreError.conflict {
            throw CommandFailure("--id: an org with id \(id) already exists; choose another id")
        } catch StoreError.invalidArgument(let message) {
            throw CommandFailure("--id/--name/--scopes: \(message)")
        }
    }

    static func list(_ args: inout Arguments) throws -> Int32 {
        let data = args.value("--data") ?? "./data"
        try args.finish()
        let store = try SQLiteStore.open(directory: data)
        CLIJSON.print(.object([("orgs", .array(try store.orgs.list().map(json)))]))
        return 0
    }

    static func json(_ org: OrgRecord) -> JSONValue {
        .object([("id", .string(org.id)), ("name", .string(org.name)),
                 ("scopes", .array(org.scopePolicy.map { .string($0) })), ("created_at", .string(org.createdAt.iso8601))])
    }
}

/// A command that ran but could not do its work: the message goes to stderr, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
