import GatewayStore

/// The append-only, hash-chained audit log: append, coalesced rate-limit refusals,
/// verification and JSON-lines export.
///
/// Repository mutations append their own events inside their transactions; use
/// `append(_:)` here for events that accompany no state change (`api.token_issued` for
/// client credentials, `api.authorization_denied`, …). Verification and export page
/// through the log (`pageSize` rows at a time), so memory stays flat for any log size.
/// Blocking: every method does file I/O — call from a worker thread.
public struct AuditLog: Sendable {
    public let store: any AuditEventStore
    public let hasher: AuditChainHasher
    public let pageSize: Int

    public init(store: any AuditEventStore, hasher: AuditChainHasher = AuditChainHasher(), pageSize: Int = 1000) {
        self.store = store
        self.hasher = hasher
        self.pageSize = max(1, pageSize)
    }

    /// The audit log of a store.
    public init(_ dataStore: any DataStore) {
        self.init(store: dataStore.auditEvents)
    }

    /// Appends one event in its own transaction.
    @discardableResult
    public func append(_ event: AuditEvent) throws -> AuditRecord {
        try store.append(event)
    }

    /// Records `count` refused requests of `clientID` in the rate-limit window starting at
    /// `windowStart`: the first call per (client, window) appends `api.rate_limit_exceeded`,
    /// later calls add to its counter (outside the hash; merged into exports as `count`).
    @discardableResult
    public func recordRateLimitRefusals(clientID: String, orgID: String?, windowStart: Timestamp,
                                        windowSeconds: Int, count: Int = 1,
                                        requestID: String? = nil) throws -> RateLimitRecording {
        try store.recordRateLimitRefusals(clientID: clientID, orgID: orgID, windowStart: windowStart,
                                          windowSeconds: windowSeconds, count: count, requestID: requestID)
    }

    /// Checks every row: consecutive `seq` from 1, each `prev_hash` equal to the previous
    /// row's `hash`, each `hash` equal to the hash of the row's contents; then, if given,
    /// that `anchor` still matches. Reports the first bad `seq`.
    public func verify(anchor: AuditAnchor? = nil) throws -> AuditVerification {
        var expectedSeq: Int64 = 1
        var previousHash = AuditRecord.genesisHash
        var anchorSeen = false
        while true {
            let page = try store.events(after: expectedSeq - 1, limit: pageSize)
            for record in page {
                if record.seq != expectedSeq {
                    return .broken(seq: expectedSeq, reason: "row \(expectedSeq) is missing (found row \(record.seq) "
                        + "after row \(expectedSeq - 1)): rows were deleted or inserted")
                }
                if record.prevHash != previousHash {
                    return .broken(seq: record.seq, reason: "prev_hash does not match the hash of row "
                        + "\(record.seq - 1): rows were reordered, replaced or inserted")
                }
                if hasher.chainHash(of: record) != record.hash {
                    return .broken(seq: record.seq, reason: "hash does not match the row's contents: the row was edited")
                }
                if let anchor, anchor.seq == record.seq {
                    guard anchor.hash == record.hash else {
                        return .broken(seq: record.seq, reason: "hash differs from the anchor recorded earlier: "
                            + "the chain was rewritten")
                    }
                    anchorSeen = true
                }
                previousHash = record.hash
                expectedSeq += 1
            }
            if page.count < pageSize { break }
        }
        if let anchor, !anchorSeen, anchor.seq > 0 {
            return .broken(seq: expectedSeq, reason: "the log ends at row \(expectedSeq - 1) but an anchor was "
                + "recorded at row \(anchor.seq): rows were truncated")
        }
        return .valid(count: Int(expectedSeq - 1), headSeq: expectedSeq - 1, headHash: previousHash)
    }

    /// Writes every row as one JSON object per line (no trailing newline in `line`),
    /// in `seq` order. See docs/audit.md for the fields.
    public func export(_ line: (String) throws -> Void) throws {
        var cursor: Int64 = 0
        while true {
            let page = try store.events(after: cursor, limit: pageSize)
            for record in page { try line(AuditExportLine.json(record)) }
            guard let last = page.last, page.count == pageSize else { break }
            cursor = last.seq
        }
    }

    /// The whole export as an array of lines (convenient for small logs and tests).
    public func exportLines() throws -> [String] {
        var lines: [String] = []
        try export { lines.append($0) }
        return lines
    }
}
