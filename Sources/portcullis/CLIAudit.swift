import GatewayStore
import TokenService

/// The audit context of every change a command-line invocation makes: actor `cli`
/// and one request id per invocation (`cli-` + 16 base64url characters), so the
/// events of one command can be told apart and tied together in an export.
enum CLIAudit {
    static let context = AuditContext(actor: "cli", requestID: SecretGenerator.identifier(prefix: "cli-", byteCount: 12))
}
