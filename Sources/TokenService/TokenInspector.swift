import GatewayAuth
import GatewayStore

/// Decides whether an access token is active for a caller, for introspection and
/// revocation. It asks the gateway's `AccessTokenVerifier` (signature, `typ`, issuer,
/// audience, expiry, the in-memory revocation set) and then the store itself (the jti's
/// revocation row, the client's status, the user's status for user tokens), so a
/// revocation made a moment ago by another
/// process counts before any feed poll. Blocking (store reads): run on a worker thread.
public struct TokenInspector: Sendable {
    public let verifier: AccessTokenVerifier
    public let store: any DataStore
    public let clock: StoreClock

    public init(verifier: AccessTokenVerifier, store: any DataStore, clock: StoreClock = .system) {
        self.verifier = verifier
        self.store = store
        self.clock = clock
    }

    /// Why a token is not active (never shown to callers: introspection says only
    /// `{"active": false}`).
    public enum Inactive: Error, Sendable, Equatable {
        case invalid(TokenVerificationError)
        case expired
        case otherOrg
        case revoked
        case storeUnavailable
    }

    /// The verified token when it is active and belongs to `orgID`.
    public func activeToken(_ token: String, orgID: String) -> Result<VerifiedToken, Inactive> {
        let now = clock.now().seconds
        let verified: VerifiedToken
        do throws(TokenVerificationError) {
            verified = try verifier.verify(token, now: now)
        } catch {
            return .failure(.invalid(error))
        }
        guard verified.expiresAt > now else { return .failure(.expired) }
        guard verified.orgID == orgID else { return .failure(.otherOrg) }
        do {
            if try store.revocations.isTokenRevoked(jti: verified.tokenID) { return .failure(.revoked) }
            guard try store.clients.get(verified.clientID)?.status == .active else { return .failure(.revoked) }
            if verified.subject != verified.clientID, let user = try store.users.get(id: verified.subject),
               user.status != .active {
                return .failure(.revoked)
            }
        } catch {
            return .failure(.storeUnavailable)
        }
        return .success(verified)
    }
}
