/// An event to append to the audit log: what happened, who did it, to which client and
/// org, why, and for which request. `data` holds further string fields (stored as a JSON
/// object with sorted keys). Never put secrets, tokens or passwords in any field.
public struct AuditEvent: Sendable, Equatable {
    public var type: AuditEventType
    /// Who caused it: `cli`, `client:<id>`, `user:<id>`, `gateway`, `system`.
    public var actor: String
    public var clientID: String?
    public var orgID: String?
    /// A short reason code (`compromised`, `rate_limited`, …).
    public var reason: String?
    public var requestID: String?
    public var data: [String: String]

    public init(type: AuditEventType, actor: String, clientID: String? = nil, orgID: String? = nil,
                reason: String? = nil, requestID: String? = nil, data: [String: String] = [:]) {
        self.type = type
        self.actor = actor
        self.clientID = clientID
        self.orgID = orgID
        self.reason = reason
        self.requestID = requestID
        self.data = data
    }
}

/// Who performs a repository mutation and for which request.
///
/// Every mutating repository method takes one (it is not optional), and writes its audit
/// event — with the type, client, org and reason the operation determines — in the same
/// transaction as the change. `data` adds caller-known fields to that event.
public struct AuditContext: Sendable, Equatable {
    public var actor: String
    public var requestID: String?
    public var data: [String: String]

    public init(actor: String, requestID: String? = nil, data: [String: String] = [:]) {
        self.actor = actor
        self.requestID = requestID
        self.data = data
    }

    /// The event this context produces for an operation.
    package func event(_ type: AuditEventType, clientID: String? = nil, orgID: String? = nil,
                       reason: String? = nil, data extra: [String: String] = [:]) -> AuditEvent {
        AuditEvent(type: type, actor: actor, clientID: clientID, orgID: orgID, reason: reason,
                   requestID: requestID, data: data.merging(extra) { _, operation in operation })
    }
}
