import GatewayStore

/// The result of `AuditLog.verify`: either the whole chain checks out, or the first row
/// where it breaks and why.
public enum AuditVerification: Sendable, Equatable {
    /// Every row's hash matches its contents and links to its predecessor.
    /// `headSeq`/`headHash` describe the last row (0 and 64 zeros for an empty log):
    /// keep them outside the store as an anchor for later verifications.
    case valid(count: Int, headSeq: Int64, headHash: String)
    /// The chain is broken at `seq`; `reason` says how.
    case broken(seq: Int64, reason: String)

    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }

    /// The first bad `seq`, or `nil` when valid.
    public var firstBadSeq: Int64? {
        if case .broken(let seq, _) = self { return seq }
        return nil
    }
}

/// A head recorded earlier (from a previous `.valid` result or export), checked by
/// `AuditLog.verify(anchor:)`: the row at `seq` must still exist and still carry `hash`.
/// It catches what the chain alone cannot — truncation of the newest rows, or a rewrite
/// of the whole chain by someone who recomputed every hash.
public struct AuditAnchor: Sendable, Equatable {
    public var seq: Int64
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }
}
