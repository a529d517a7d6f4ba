import GatewayAuth
import GatewayStore

/// Registering, revoking and re-keying clients — the operations behind both the
/// management API and the CLI, so both follow the same rules.
///
/// Client ids are `cl_` + 22 base64url characters and secrets 43 base64url characters
/// (256 bits): only URL-safe characters. A public client (PKCE only, for apps that cannot
/// keep a secret) gets no secret at all and cannot have one rotated. A secret is returned once, bcrypt-hashed (`$2b$`,
/// the configured cost) before any store transaction, and never stored or logged in
/// clear. Creation with an `external_id` is idempotent (same request → the existing
/// client, no secret; different request → conflict); a replay is recognised before
/// bcrypt, so it costs no hashing. After a revocation or rotation the local
/// `SecretDigestCache` entry is dropped and (for revocations) the local `RevocationSet`
/// updated at once; other processes learn it from the store's feeds.
/// Blocking (bcrypt, store): call from a worker thread or the CLI.
public struct ClientAdministration: Sendable {
    public let store: any DataStore
    public let bcrypt: BCrypt
    public let cache: SecretDigestCache?
    public let revocations: RevocationSet?

    public init(store: any DataStore, bcrypt: BCrypt, cache: SecretDigestCache? = nil, revocations: RevocationSet? = nil) {
        self.store = store
        self.bcrypt = bcrypt
        self.cache = cache
        self.revocations = revocations
    }

    /// The outcome of `create`.
    public enum Creation: Sendable, Equatable {
        /// A new client; `secret` is shown once (nil for a public client, which has none).
        case created(ClientRecord, secret: String?)
        /// The same `external_id` with the same request: the existing client, no secret.
        case existing(ClientRecord)
        /// The same `external_id` with a different request: nothing written.
        case conflict(ClientRecord)
    }

    /// Registers a client in `orgID`. Throws `ClientRequest.Invalid` for a bad request,
    /// `StoreError.notFound` for an unknown org, `StoreError.scopeOutsidePolicy` for scopes
    /// the org does not allow.
    public func create(orgID: String, request: ClientRequest, audit: AuditContext) throws -> Creation {
        try request.validate()
        if let externalID = request.externalID, let existing = try store.clients.find(orgID: orgID, externalID: externalID) {
            let asked = newClient(id: existing.clientID, orgID: orgID, request: request, secretHash: "")
            return asked.fingerprint == fingerprint(of: existing) ? .existing(existing) : .conflict(existing)
        }
        if let org = try store.orgs.get(orgID) {
            let outside = Array(Set(request.scopes).subtracting(org.scopePolicy)).sorted()
            if !outside.isEmpty { throw StoreError.scopeOutsidePolicy(orgID: orgID, scopes: outside) }
        } else {
            throw StoreError.notFound("no org with id \(orgID); create it first with `portcullis org create`")
        }
        let secret = request.isPublic ? nil : SecretGenerator.secret()
        let client = newClient(id: SecretGenerator.clientID(), orgID: orgID, request: request,
                               secretHash: try secret.map { try bcrypt.hash($0) })
        switch try store.clients.create(client, audit: audit) {
        case .created(let record): return .created(record, secret: secret)
        case .existing(let record): return .existing(record)
        case .conflict(let record): return .conflict(record)
        }
    }

    /// ACTIVE → REVOKED (terminal). `reason` is a short code (`[a-z0-9_.-]`, 1–64).
    public func revoke(clientID: String, reason: String, audit: AuditContext) throws -> ClientRevocation {
        guard Self.isReasonCode(reason) else {
            throw TokenServiceError.invalidArgument("reason must be a short code of 1–64 characters a-z 0-9 _ . - "
                + "(e.g. compromised, offboarded), found \"\(reason.prefix(64))\"")
        }
        let outcome = try store.clients.revoke(clientID, reason: reason, audit: audit)
        cache?.invalidate(clientID: clientID)
        revocations?.apply(RevocationDelta(revokedClients: [clientID]))
        return outcome
    }

    /// Replaces the client's secret; the old one stops working at once. Returns the
    /// updated record and the new secret (shown once).
    public func rotateSecret(clientID: String, audit: AuditContext) throws -> (ClientRecord, secret: String) {
        guard let client = try store.clients.get(clientID) else { throw StoreError.notFound("no client with id \(clientID)") }
        guard client.status == .active else {
            throw StoreError.invalidState("client \(clientID) is revoked; a revoked client cannot get a new secret")
        }
        guard !client.isPublic else {
            throw StoreError.invalidState("client \(clientID) is public (PKCE only); a public client has no secret to rotate")
        }
        let secret = SecretGenerator.secret()
        let record = try store.clients.rotateSecret(clientID, newSecretHash: try bcrypt.hash(secret),
                                                    previousValidUntil: nil, audit: audit)
        cache?.invalidate(clientID: clientID)
        return (record, secret)
    }

    /// `true` for 1–64 characters of `a-z 0-9 _ . -`.
    public static func isReasonCode(_ reason: String) -> Bool {
        (1...64).contains(reason.utf8.count) && reason.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }

    private func newClient(id: String, orgID: String, request: ClientRequest, secretHash: String?) -> NewClient {
        NewClient(clientID: id, orgID: orgID, name: request.name, secretHash: request.isPublic ? nil : secretHash,
                  scopes: request.scopes, rpm: request.rpm, redirectURIs: request.redirectURIs,
                  externalID: request.externalID, isPublic: request.isPublic)
    }

    private func fingerprint(of record: ClientRecord) -> String {
        NewClient(clientID: record.clientID, orgID: record.orgID, name: record.name, secretHash: nil,
                  scopes: record.scopes, rpm: record.rpm, redirectURIs: record.redirectURIs,
                  externalID: record.externalID, isPublic: record.isPublic).fingerprint
    }
}
