/// Organisations and their scope policies.
///
/// All methods block on I/O: call them from a worker thread, never from an event loop.
public protocol OrgRepository: Sendable {
    /// Stores a new org and appends `api.org_created`. Throws `.conflict` if the id exists,
    /// `.invalidArgument` for an empty id/name or a malformed scope.
    func create(_ org: NewOrg, audit: AuditContext) throws -> OrgRecord
    func get(_ id: String) throws -> OrgRecord?
    /// All orgs, by id.
    func list() throws -> [OrgRecord]
}
