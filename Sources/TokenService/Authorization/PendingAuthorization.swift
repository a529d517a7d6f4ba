import GatewayStore

/// A validated authorization request waiting for the user to log in and consent, kept
/// in the browser session under a random request id.
///
/// Everything in it was checked by `AuthorizationRequest.validate`: the client exists
/// and is active, `redirectURI` is one of its registered URIs byte for byte, the PKCE
/// challenge is S256 and well formed, and `scopes` ⊆ the client's grant ⊆ its org policy.
public struct PendingAuthorization: Sendable, Equatable {
    public var clientID: String
    public var clientName: String
    public var orgID: String
    public var orgName: String
    public var redirectURI: String
    public var scopes: [String]
    /// Returned unchanged with the code or the error; nil when the client sent none.
    public var state: String?
    public var codeChallenge: String
    /// Monotonic seconds when it was validated (pending requests expire).
    public var createdAt: Int64

    public init(clientID: String, clientName: String, orgID: String, orgName: String, redirectURI: String,
                scopes: [String], state: String?, codeChallenge: String, createdAt: Int64) {
        self.clientID = clientID
        self.clientName = clientName
        self.orgID = orgID
        self.orgName = orgName
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.state = state
        self.codeChallenge = codeChallenge
        self.createdAt = createdAt
    }

    /// Where a success or an error goes back to.
    public func redirect(_ parameters: [(String, String)], issuer: String) -> String {
        AuthorizationRedirect.location(redirectURI, parameters, state: state, issuer: issuer)
    }
}
