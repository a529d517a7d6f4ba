import GatewayAudit
import GatewayHTTP
import GatewayPosix
import GatewayStore
import TokenService

/// `portcullis client create|list|show|revoke|rotate-secret`: client administration
/// against the store in `--data`, safe while a gateway runs on the same store (its
/// pollers pick the change up within a second). Secrets are printed once and never again.
enum ClientCommand {
    static let createUsage = "client create --org ID --name NAME --scopes S1,S2 [--rpm N] [--external-id X] "
        + "[--redirect-uri URI]... [--public] [--bcrypt-cost N] [--data DIR]"
    static let cli = CLIAudit.context

    static func create(_ args: inout Arguments) throws -> Int32 {
        let org = try args.required("--org")
        let name = try args.required("--name")
        let scopes = CLIJSON.list(try args.required("--scopes"))
        let rpm = try args.int("--rpm", in: 1...1_000_000)
        let externalID = args.value("--external-id")
        let redirectURIs = args.all("--redirect-uri")
        let isPublic = args.flag("--public")
        let cost = try args.int("--bcrypt-cost", in: 10...15) ?? BCrypt.defaultCost
        let data = args.value("--data") ?? "./data"
        try args.finish()
        guard args.positional.isEmpty else { throw UsageError("client create takes no positional arguments") }
        let request = ClientRequest(name: name, scopes: scopes, externalID: externalID, rpm: rpm, redirectURIs: redirectURIs,
                                    isPublic: isPublic)
        do throws(ClientRequest.Invalid) { try request.validate() } catch { throw UsageError(flagMessage(error)) }

        let store = try SQLiteStore.open(directory: data)
        let administration = ClientAdministration(store: store, bcrypt: try BCrypt(cost: cost))
        let creation: ClientAdministration.Creation
        do {
            creation = try administration.create(orgID: org, request: request, audit: cli)
        } catch StoreError.notFound {
            throw CommandFailure("--org: no org with id \(org); create it first with `portcullis org create`")
        } catch StoreError.scopeOutsidePolicy(_, let outside) {
            throw CommandFailure("--scopes: \(outside.joined(separator: ",")) outside the scope policy of org \(org); "
                + "use only scopes the org allows")
        }
        switch creation {
        case .created(let record, let secret?):
            CLIJSON.print(.object([("client_id", .string(record.clientID)), ("client_secret", .string(secret))]))
            return 0
        case .created(let record, nil):
            CLIJSON.print(.object([("client_id", .string(record.clientID)), ("public", .bool(true))]))
            return 0
        case .existing(let record):
            CLIJSON.print(.object([("client_id", .string(record.clientID))]))
            Diagnostics.warn("client \(record.clientID) already exists with --external-id \(externalID ?? ""); "
                + "its secret was shown when it was created")
            return 0
        case .conflict(let record):
            throw CommandFailure("--external-id: \(externalID ?? "") already names client \(record.clientID) with "
                + "different settings; use another --external-id")
        }
    }

    static func list(_ args: inout Arguments) throws -> Int32 {
        let org = args.value("--org")
        let data = args.value("--data") ?? "./data"
        try args.finish()
        let store = try SQLiteStore.open(directory: data)
        CLIJSON.print(.object([("clients", .array(try store.clients.list(orgID: org).map(\.publicJSON)))]))
        return 0
    }

    static func show(_ args: inout Arguments) throws -> Int32 {
        let (id, data) = try idAndData(&args, "client show")
        let store = try SQLiteStore.open(directory: data)
        guard let client = try store.clients.get(id) else { throw CommandFailure("no client with id \(id)") }
        CLIJSON.print(client.publicJSON)
        return 0
    }

    static func revoke(_ args: inout Arguments) throws -> Int32 {
        let reason = args.value("--reason") ?? "unspecified"
        let (id, data) = try idAndData(&args, "client revoke")
        guard ClientAdministration.isReasonCode(reason) else {
            throw UsageError("--reason must be a short code of 1–64 characters a-z 0-9 _ . - (e.g. compromised)")
        }
        let store = try SQLiteStore.open(directory: data)
        let administration = ClientAdministration(store: store, bcrypt: try BCrypt(cost: BCrypt.minimumCost))
        guard try store.clients.get(id) != nil else { throw CommandFailure("no client with id \(id)") }
        switch try administration.revoke(clientID: id, reason: reason, audit: cli) {
        case .revoked(let record):
            CLIJSON.print(record.publicJSON)
        case .alreadyRevoked(let record):
            CLIJSON.print(record.publicJSON)
            Diagnostics.warn("client \(id) was already revoked; nothing changed")
        }
        return 0
    }

    /// `client update ID [--rpm N|default] [--debug-log on|off]`: changes a client's
    /// rate limit or debug-log switch; running gateways apply it within a second.
    static func update(_ args: inout Arguments) throws -> Int32 {
        let rpmText = args.value("--rpm")
        let debugText = args.value("--debug-log")
        let (id, data) = try idAndData(&args, "client update")
        guard rpmText != nil || debugText != nil else { throw UsageError("give --rpm N|default or --debug-log on|off") }
        var rpm: Int?? = nil
        if let rpmText {
            if rpmText == "default" {
                rpm = .some(nil)
            } else if let n = Int(rpmText), (1...1_000_000).contains(n) {
                rpm = .some(n)
            } else {
                throw UsageError("--rpm must be a whole number between 1 and 1000000, or default")
            }
        }
        var debug: Bool?
        if let debugText {
            switch debugText {
            case "on": debug = true
            case "off": debug = false
            default: throw UsageError("--debug-log must be on or off")
            }
        }
        let store = try SQLiteStore.open(directory: data)
        guard var record = try store.clients.get(id) else { throw CommandFailure("no client with id \(id)") }
        if let rpm { record = try store.clients.setRateLimit(id, rpm: rpm, audit: cli) }
        if let debug { record = try store.clients.setDebugLog(id, enabled: debug, audit: cli) }
        CLIJSON.print(record.publicJSON)
        return 0
    }

    static func rotateSecret(_ args: inout Arguments) throws -> Int32 {
        let cost = try args.int("--bcrypt-cost", in: 10...15) ?? BCrypt.defaultCost
        let (id, data) = try idAndData(&args, "client rotate-secret")
        let store = try SQLiteStore.open(directory: data)
        let administration = ClientAdministration(store: store, bcrypt: try BCrypt(cost: cost))
        do {
            let (record, secret) = try administration.rotateSecret(clientID: id, audit: cli)
            CLIJSON.print(.object([("client_id", .string(record.clientID)), ("client_secret", .string(secret))]))
            return 0
        } catch StoreError.notFound {
            throw CommandFailure("no client with id \(id)")
        } catch StoreError.invalidState(let message) {
            throw CommandFailure(message)
        }
    }

    /// The one positional client id and the data directory.
    private static func idAndData(_ args: inout Arguments, _ command: String) throws -> (String, String) {
        let data = args.value("--data") ?? "./data"
        try args.finish()
        guard args.positional.count == 1, let id = args.positional.first, !id.isEmpty else {
            throw UsageError("\(command) takes exactly one client id")
        }
        return (id, data)
    }

    /// A validation problem phrased with the flag that carries the field.
    static func flagMessage(_ error: ClientRequest.Invalid) -> String {
        let flags = ["name": "--name", "scopes": "--scopes", "external_id": "--external-id", "rpm": "--rpm",
                     "redirect_uris": "--redirect-uri", "public": "--public"]
        return "\(flags[error.field] ?? error.field) \(error.problem)"
    }
}
