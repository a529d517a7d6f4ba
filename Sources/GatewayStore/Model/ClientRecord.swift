/// Lifecycle of a client. `revoked` is terminal: the store refuses any change back.
public enum ClientStatus: String, Sendable, Equatable {
    case active = "ACTIVE"
    case revoked = "REVOKED"
}

/// A registered OAuth client as stored.
///
/// Secret material: `secretHash` and `previousSecretHash` are bcrypt hashes (never the
/// secret); do not print them. `previousSecretHash` is accepted until
/// `previousSecretExpiresAt` (the rotation grace period) — use `acceptedSecretHashes(at:)`.
/// `rpm == nil` means the gateway's `default_rpm`. `version` increases on every change and
/// is the `ClientDirectory` cursor. Public clients (`isPublic`, PKCE only) have no secret.
public struct ClientRecord: Sendable, Equatable {
    public var clientID: String
    public var orgID: String
    public var name: String
    public var secretHash: String?
    public var previousSecretHash: String?
    public var previousSecretExpiresAt: Timestamp?
    public var scopes: [String]
    public var rpm: Int?
    public var redirectURIs: [String]
    public var status: ClientStatus
    public var revokedAt: Timestamp?
    public var revokedReason: String?
    public var revokedBy: String?
    public var externalID: String?
    public var debugLog: Bool
    public var isPublic: Bool
    public var version: Int64
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    /// The bcrypt hashes a presented secret may match at `now`: the current one, plus the
    /// previous one while its grace period lasts. Empty for public and revoked clients.
    public func acceptedSecretHashes(at now: Timestamp) -> [String] {
        guard status == .active else { return [] }
        var hashes: [String] = []
        if let secretHash { hashes.append(secretHash) }
        if let previousSecretHash, let until = previousSecretExpiresAt, now < until {
            hashes.append(previousSecretHash)
        }
        return hashes
    }
}

/// What `ClientRepository.create` needs. The caller generates `clientID` and bcrypt-hashes
/// the secret before calling (never inside a store transaction).
///
/// `externalID` makes creation idempotent per org: the same `(orgID, externalID)` with the
/// same `fingerprint` returns the existing client; with a different one, a conflict.
/// The fingerprint covers what the caller asked for (name, scopes, rpm, redirect URIs,
/// public flag) — not the generated id or secret.
public struct NewClient: Sendable, Equatable {
    public var clientID: String
    public var orgID: String
    public var name: String
    public var secretHash: String?
    public var scopes: [String]
    public var rpm: Int?
    public var redirectURIs: [String]
    public var externalID: String?
    public var isPublic: Bool
    public var debugLog: Bool

    public init(clientID: String, orgID: String, name: String, secretHash: String?, scopes: [String],
                rpm: Int? = nil, redirectURIs: [String] = [], externalID: String? = nil,
                isPublic: Bool = false, debugLog: Bool = false) {
        self.clientID = clientID
        self.orgID = orgID
        self.name = name
        self.secretHash = secretHash
        self.scopes = scopes
        self.rpm = rpm
        self.redirectURIs = redirectURIs
        self.externalID = externalID
        self.isPublic = isPublic
        self.debugLog = debugLog
    }

    /// A canonical text of the request's fields, compared on idempotent replays.
    public var fingerprint: String {
        let fields: [String: String] = [
            "name": name,
            "scopes": ScopeList.encode(Array(Set(scopes)).sorted()),
            "rpm": rpm.map(String.init) ?? "",
            "redirect_uris": StoreJSON.array(redirectURIs),
            "public": isPublic ? "1" : "0",
        ]
        return StoreJSON.object(fields)
    }
}

/// The outcome of an idempotent `ClientRepository.create`.
public enum ClientCreation: Sendable, Equatable {
    /// A new client was stored (and `api.client_created` appended).
    case created(ClientRecord)
    /// The same `(org, external_id)` was created before with the same request: nothing written.
    case existing(ClientRecord)
    /// The same `(org, external_id)` exists with a different request: nothing written (→ 409).
    case conflict(ClientRecord)
}

/// The outcome of `ClientRepository.revoke`.
public enum ClientRevocation: Sendable, Equatable {
    /// ACTIVE → REVOKED happened now (revocation feed row and audit event written).
    case revoked(ClientRecord)
    /// The client was already REVOKED; nothing written.
    case alreadyRevoked(ClientRecord)
}
