import GatewayHTTP
import GatewayStore

extension ClientRecord {
    /// The client as the management API and the CLI show it: never any secret material
    /// (no hashes, no secrets). Keys: `client_id`, `org_id`, `name`, `scopes`, `rpm`
    /// (null = default), `redirect_uris`, `external_id`, `status` (`ACTIVE`/`REVOKED`),
    /// `public`, `created_at`, `updated_at`, and `revoked_at`, `revoked_reason`,
    /// `revoked_by` once revoked. Times are RFC 3339 UTC.
    public var publicJSON: JSONValue {
        .object(publicMembers)
    }

    /// `publicJSON`'s members, for callers that prepend their own (`client_secret`).
    public var publicMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("client_id", .string(clientID)),
            ("org_id", .string(orgID)),
            ("name", .string(name)),
            ("scopes", .array(scopes.map { .string($0) })),
            ("rpm", rpm.map { .integer(Int64($0)) } ?? .null),
            ("redirect_uris", .array(redirectURIs.map { .string($0) })),
            ("external_id", externalID.map { .string($0) } ?? .null),
            ("status", .string(status.rawValue)),
            ("public", .bool(isPublic)),
            ("created_at", .string(createdAt.iso8601)),
            ("updated_at", .string(updatedAt.iso8601)),
        ]
        if let revokedAt {
            members.append(("revoked_at", .string(revokedAt.iso8601)))
            members.append(("revoked_reason", revokedReason.map { .string($0) } ?? .null))
            members.append(("revoked_by", revokedBy.map { .string($0) } ?? .null))
        }
        return members
    }
}
