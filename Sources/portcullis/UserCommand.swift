import Foundation
import GatewayAudit
import GatewayHTTP
import GatewayPosix
import GatewayStore
import TokenService

/// `portcullis user create|disable|show`: the people who log in to authorize apps
/// (authorization code + PKCE) and to use the portal.
///
/// `create --org ID --email E` reads the password from stdin (8–72 bytes, one trailing
/// newline stripped) and stores only its bcrypt hash. `disable ID|EMAIL [--reason CODE]`
/// is terminal: the user's refresh tokens are revoked and every gateway on the store
/// refuses their access tokens within a second. Output is JSON without any hash.
enum UserCommand {
    static let createUsage = "user create --org ID --email E [--bcrypt-cost N] [--data DIR]  (password on stdin)"
    static let disableUsage = "user disable ID|EMAIL [--reason CODE] [--data DIR]"
    static let showUsage = "user show ID|EMAIL [--data DIR]"

    static func create(_ args: inout Arguments) throws -> Int32 {
        let org = try args.required("--org")
        let email = try args.required("--email")
        let cost = try args.int("--bcrypt-cost", in: 10...15) ?? BCrypt.defaultCost
        let data = args.value("--data") ?? "./data"
        try args.finish()
        guard args.positional.isEmpty else { throw UsageError("user create takes no positional arguments") }
        guard UserAdministration.isEmail(email) else {
            throw UsageError("--email must be an e-mail address such as ana@example.com")
        }
        var password = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        if password.hasSuffix("\n") { password.removeLast() }
        if password.hasSuffix("\r") { password.removeLast() }
        if let problem = UserAdministration.passwordProblem(password) {
            throw UsageError("stdin: \(problem) (e.g. `printf %s \"$PW\" | portcullis user create …`)")
        }
        let store = try SQLiteStore.open(directory: data)
        let users = UserAdministration(store: store, bcrypt: try BCrypt(cost: cost))
        do {
            let user = try users.create(orgID: org, email: email, password: password, audit: CLIAudit.context)
            CLIJSON.print(json(user))
            return 0
        } catch StoreError.notFound {
            throw CommandFailure("--org: no org with id \(org); create it first with `portcullis org create`")
        } catch StoreError.conflict {
            throw CommandFailure("--email: a user with e-mail \(email) already exists")
        }
    }

    static func disable(_ args: inout Arguments) throws -> Int32 {
        let reason = args.value("--reason") ?? "disabled_by_admin"
        let (name, data) = try nameAndData(&args, "user disable")
        guard ClientAdministration.isReasonCode(reason) else {
            throw UsageError("--reason must be a short code of 1–64 characters a-z 0-9 _ . - (e.g. offboarded)")
        }
        let store = try SQLiteStore.open(directory: data)
        let users = UserAdministration(store: store, bcrypt: try BCrypt(cost: BCrypt.minimumCost))
        guard let before = try users.find(name) else { throw CommandFailure("no user with id or e-mail \(name)") }
        let user = try users.disable(before.id, reason: reason, audit: CLIAudit.context)
        if before.status == .disabled { Diagnostics.warn("user \(user.id) was already disabled; nothing changed") }
        CLIJSON.print(json(user))
        return 0
    }

    static func show(_ args: inout Arguments) throws -> Int32 {
        let (name, data) = try nameAndData(&args, "user show")
        let store = try SQLiteStore.open(directory: data)
        let users = UserAdministration(store: store, bcrypt: try BCrypt(cost: BCrypt.minimumCost))
        guard let user = try users.find(name) else { throw CommandFailure("no user with id or e-mail \(name)") }
        CLIJSON.print(json(user))
        return 0
    }

    /// A user without the password hash.
    static func json(_ user: UserRecord) -> JSONValue {
        var members: [(String, JSONValue)] = [("user_id", .string(user.id)), ("org_id", .string(user.orgID)),
                                              ("email", .string(user.email)), ("status", .string(user.status.rawValue)),
                                              ("created_at", .string(user.createdAt.iso8601))]
        if let disabledAt = user.disabledAt { members.append(("disabled_at", .string(disabledAt.iso8601))) }
        return .object(members)
    }

    private static func nameAndData(_ args: inout Arguments, _ command: String) throws -> (String, String) {
        let data = args.value("--data") ?? "./data"
        try args.finish()
        guard args.positional.count == 1, let name = args.positional.first, !name.isEmpty else {
            throw UsageError("\(command) takes exactly one user id or e-mail address")
        }
        return (name, data)
    }
}
