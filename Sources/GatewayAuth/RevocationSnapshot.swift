/// One immutable state of the revocation feed: revoked clients, revoked token
/// ids (with their `exp`, so entries can be pruned once the token would have
/// expired anyway) and disabled subjects.
///
/// Ids are compared as Swift strings. They are URL-safe ASCII in practice,
/// where that is byte equality; for other text it also matches canonically
/// equivalent spellings, which can only refuse more, never less.
public struct RevocationSnapshot: Sendable, Equatable {
    /// Client ids whose tokens are all refused. Revocation of a client is terminal.
    public var revokedClients: Set<String>
    /// Revoked `jti` values, each with the `exp` of its token.
    public var revokedTokens: [String: Int64]
    /// Subjects (users) whose tokens are refused while they are disabled.
    public var disabledSubjects: Set<String>

    public init(revokedClients: Set<String> = [], revokedTokens: [String: Int64] = [:],
                disabledSubjects: Set<String> = []) {
        self.revokedClients = revokedClients
        self.revokedTokens = revokedTokens
        self.disabledSubjects = disabledSubjects
    }

    /// Why `token` is refused, or nil when nothing here refuses it.
    public func refusal(for token: VerifiedToken) -> TokenVerificationError? {
        if !revokedClients.isEmpty, revokedClients.contains(token.clientID) { return .clientRevoked }
        if !revokedTokens.isEmpty, revokedTokens[token.tokenID] != nil { return .tokenRevoked }
        if !disabledSubjects.isEmpty, disabledSubjects.contains(token.subject) { return .subjectDisabled }
        return nil
    }

    /// This snapshot with `delta` applied.
    public func applying(_ delta: RevocationDelta) -> RevocationSnapshot {
        var next = self
        next.revokedClients.formUnion(delta.revokedClients)
        next.revokedTokens.merge(delta.revokedTokens) { max($0, $1) }
        next.disabledSubjects.subtract(delta.enabledSubjects)
        next.disabledSubjects.formUnion(delta.disabledSubjects)
        return next
    }

    /// This snapshot without token ids whose `exp` is before `cutoff`.
    public func pruning(expiredBefore cutoff: Int64) -> RevocationSnapshot {
        var next = self
        next.revokedTokens = revokedTokens.filter { $0.value >= cutoff }
        return next
    }
}

/// A change to the revocation state since the feed's previous poll.
///
/// Within one delta, `disabledSubjects` wins over `enabledSubjects` for a subject
/// named in both. Clients cannot be un-revoked: that takes `RevocationSet.replace`.
public struct RevocationDelta: Sendable, Equatable {
    public var revokedClients: Set<String>
    /// Newly revoked `jti` values, each with the `exp` of its token.
    public var revokedTokens: [String: Int64]
    public var disabledSubjects: Set<String>
    /// Subjects enabled again.
    public var enabledSubjects: Set<String>

    public init(revokedClients: Set<String> = [], revokedTokens: [String: Int64] = [:],
                disabledSubjects: Set<String> = [], enabledSubjects: Set<String> = []) {
        self.revokedClients = revokedClients
        self.revokedTokens = revokedTokens
        self.disabledSubjects = disabledSubjects
        self.enabledSubjects = enabledSubjects
    }

    public var isEmpty: Bool {
        revokedClients.isEmpty && revokedTokens.isEmpty && disabledSubjects.isEmpty && enabledSubjects.isEmpty
    }
}
