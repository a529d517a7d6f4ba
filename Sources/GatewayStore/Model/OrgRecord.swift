/// An organisation: the tenant that owns clients and users, and the scope policy that
/// bounds every scope its clients may ever hold.
///
/// Invariant: `scopePolicy` is sorted, unique, and made of valid scope tokens.
public struct OrgRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var scopePolicy: [String]
    public var createdAt: Timestamp

    public init(id: String, name: String, scopePolicy: [String], createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.scopePolicy = scopePolicy
        self.createdAt = createdAt
    }
}

/// What `OrgRepository.create` needs; the store normalises `scopePolicy` and stamps the time.
public struct NewOrg: Sendable, Equatable {
    public var id: String
    public var name: String
    public var scopePolicy: [String]

    public init(id: String, name: String, scopePolicy: [String]) {
        self.id = id
        self.name = name
        self.scopePolicy = scopePolicy
    }
}
