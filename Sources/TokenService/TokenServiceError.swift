/// A failure of the token service's own set-up or administration (keys, secrets), as
/// opposed to an OAuth error answered to a caller. Messages say what to fix.
public enum TokenServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A private key file or its directory could not be written or read.
    case keyFile(String)
    /// A stored key is unusable (its file is missing, or does not match its public half).
    case signingKey(String)
    /// No active signing key exists yet (call `SigningKeyManager.ensureActiveKey`).
    case noActiveKey
    /// An argument was refused before anything was written.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .keyFile(let message): message
        case .signingKey(let message): message
        case .noActiveKey: "there is no active signing key; start the gateway once or run `portcullis keys rotate`"
        case .invalidArgument(let message): message
        }
    }
}
