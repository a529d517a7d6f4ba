import Foundation
import GatewayAudit
import GatewayStore
import TokenService

/// `portcullis user create --org ID --email E` with the password on stdin: a user who can
/// log in to authorize apps and to use the portal. The password (8–72 bytes, one trailing
/// newline stripped) is bcrypt-hashed; only the hash is stored.
enum UserCommand {
    static func create(_ args: inout Arguments) throws -> Int32 {
        let org = try args.required("--org")
        let email = try args.required("--email")
        let cost = try args.int("--bcrypt-cost", in: 10...15) ?? BCrypt.defaultCost
        let data = args.value("--data") ?? "./data"
        try args.finish()
        guard isEmail(email) else { throw UsageError("--email must be an e-mail address such as ana@example.com") }
        var password = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        if password.hasSuffix("\n") { password.removeLast() }
        if password.hasSuffix("\r") { password.removeLast() }
        guard (8...BCrypt.maximumSecretBytes).contains(password.utf8.count), !password.utf8.contains(0) else {
            throw UsageError("the password on stdin must be 8–\(BCrypt.maximumSecretBytes) bytes "
                + "(e.g. `printf %s \"$PW\" | portcullis user create …`)")
        }
        let store = try SQLiteStore.open(directory: data)
        let hash = try BCrypt(cost: cost).hash(password)
        do {
            let user = try store.users.create(NewUser(id: SecretGenerator.userID(), orgID: org, email: email,
                                                      passwordHash: hash), audit: AuditContext(actor: "cli"))
            CLIJSON.print(.object([("user_id", .string(user.id)), ("org_id", .string(user.orgID)),
                                   ("email", .string(user.email)), ("status", .string(user.status.rawValue))]))
            return 0
        } catch StoreError.notFound {
            throw CommandFailure("--org: no org with id \(org); create it first with `portcullis org create`")
        } catch StoreError.conflict {
            throw CommandFailure("--email: a user with e-mail \(email) already exists")
        }
    }

    /// One `@` with text on both sides, a dot in the domain, no spaces or controls, ≤ 254 bytes.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }
}
