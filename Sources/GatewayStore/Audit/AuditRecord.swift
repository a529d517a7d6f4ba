/// One stored row of the audit log, as hashed.
///
/// `hash` = SHA-256 over the canonical encoding of every other hashed field (see
/// docs/audit.md); `prevHash` is the previous row's `hash` (64 zeros for `seq` 1).
/// `data` is the exact JSON text that was hashed. `coalescedCount` is NOT hashed: for a
/// coalesced `api.rate_limit_exceeded` event it is the number of refusals counted into
/// it so far (from the `audit_counters` side table); `nil` for other events.
public struct AuditRecord: Sendable, Equatable {
    /// The hash chain's starting `prevHash`.
    public static let genesisHash = String(repeating: "0", count: 64)

    public var seq: Int64
    public var ts: Timestamp
    public var type: String
    public var actor: String
    public var clientID: String?
    public var orgID: String?
    public var reason: String?
    public var requestID: String?
    public var data: String
    public var prevHash: String
    public var hash: String
    public var coalescedCount: Int?

    public init(seq: Int64, ts: Timestamp, type: String, actor: String, clientID: String?, orgID: String?,
                reason: String?, requestID: String?, data: String, prevHash: String, hash: String,
                coalescedCount: Int? = nil) {
        self.seq = seq
        self.ts = ts
        self.type = type
        self.actor = actor
        self.clientID = clientID
        self.orgID = orgID
        self.reason = reason
        self.requestID = requestID
        self.data = data
        self.prevHash = prevHash
        self.hash = hash
        self.coalescedCount = coalescedCount
    }
}

/// Computes an audit row's chain hash. Implemented by `GatewayAudit` (SHA-256 over the
/// canonical encoding); the store calls it inside the appending transaction.
///
/// Contract: the result depends only on `seq, ts, type, actor, clientID, orgID, reason,
/// requestID, data, prevHash` — never on `hash` or `coalescedCount` — and is 64 lowercase
/// hex digits.
public protocol AuditHashing: Sendable {
    func chainHash(of record: AuditRecord) -> String
}

/// The outcome of `AuditEventStore.recordRateLimitRefusals`.
public struct RateLimitRecording: Sendable, Equatable {
    /// The `seq` of the window's `api.rate_limit_exceeded` event.
    public var eventSeq: Int64
    /// Refusals counted into that event so far.
    public var count: Int
    /// `true` when this call appended the event (first refusal of the window).
    public var appendedEvent: Bool
}
