import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayStore
import TokenService

/// `portcullis keys rotate [--alg RS256|ES256]` and `portcullis keys list`: the token
/// signing keys of the store in `--data`. A running gateway on the same store signs with
/// the new key within a second; the retired key stays in the JWKS until every token it
/// signed has expired (retirement + 900 s + 30 s leeway).
enum KeysCommand {
    static func rotate(_ args: inout Arguments) throws -> Int32 {
        let algText = args.value("--alg")
        let data = args.value("--data") ?? "./data"
        try args.finish()
        var algorithm: JWSAlgorithm?
        if let algText {
            guard let parsed = JWSAlgorithm(rawValue: algText) else { throw UsageError("--alg must be RS256 or ES256") }
            algorithm = parsed
        }
        let store = try SQLiteStore.open(directory: data)
        let previous = try store.signingKeys.active()
        let chosen = algorithm ?? previous.flatMap { JWSAlgorithm(rawValue: $0.algorithm) } ?? .rs256
        let manager = SigningKeyManager(keys: store.signingKeys, ring: KeyRing(),
                                        keyDirectory: TokenServiceConfiguration(issuer: "cli", dataDirectory: data).keyDirectory,
                                        algorithm: chosen)
        let record = try manager.rotate(audit: CLIAudit.context)
        var members: [(String, JSONValue)] = [("kid", .string(record.kid)), ("alg", .string(record.algorithm))]
        members.append(("retired_kid", previous.map { .string($0.kid) } ?? .null))
        if previous != nil {
            let until = record.createdAt.adding(seconds: TokenServiceConfiguration.retiredKeyLifetimeSeconds)
            members.append(("retired_key_published_until", .string(until.iso8601)))
        }
        CLIJSON.print(.object(members))
        return 0
    }

    static func list(_ args: inout Arguments) throws -> Int32 {
        let data = args.value("--data") ?? "./data"
        try args.finish()
        let store = try SQLiteStore.open(directory: data)
        let keys = try store.signingKeys.verificationKeys().map { record -> JSONValue in
            .object([
                ("kid", .string(record.kid)),
                ("alg", .string(record.algorithm)),
                ("active", .bool(record.retiredAt == nil)),
                ("created_at", .string(record.createdAt.iso8601)),
                ("retired_at", record.retiredAt.map { .string($0.iso8601) } ?? .null),
                ("published_until", record.notAfter.map { .string($0.iso8601) } ?? .null),
            ])
        }
        CLIJSON.print(.object([("keys", .array(keys))]))
        return 0
    }
}
