import Foundation
import GatewayAudit
import GatewayAuth
import GatewayHTTP
import GatewayPosix
import GatewayStore
import Synchronization
import TokenService

/// Wall-clock time tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp = Timestamp(milliseconds: 1_767_225_600_000)) {  // 2026-01-01T00:00:00Z
        current = Mutex(start)
    }

    var now: Timestamp { current.withLock { $0 } }
    func advance(seconds: Int64) { current.withLock { $0 = $0.adding(seconds: seconds) } }
    var storeClock: StoreClock { StoreClock { [self] in now } }
}

/// Monotonic seconds tests set by hand.
final class MonotonicSeconds: Sendable {
    private let current: Mutex<Int64>
    init(_ start: Int64) { current = Mutex(start) }
    var value: Int64 {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}

/// A store in a temporary directory (removed on release) with a manual clock, an org
/// `acme` and helpers to make clients with real secrets (bcrypt cost 10).
final class ServiceFixture: @unchecked Sendable {
    let directory: String
    let clock = TestClock()
    let store: SQLiteStore
    let counting: CountingStore
    let bcrypt = try! BCrypt(cost: 10)
    let cli = AuditContext(actor: "cli")

    init(policy: [String] = ["ledger:read", "ledger:write", "clients:write"]) throws {
        directory = NSTemporaryDirectory() + "portcullis-token-" + UUID().uuidString
        store = try SQLiteStore.open(directory: directory, clock: clock.storeClock)
        counting = CountingStore(store)
        try store.orgs.create(NewOrg(id: "acme", name: "Acme", scopePolicy: policy), audit: cli)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var administration: ClientAdministration { ClientAdministration(store: store, bcrypt: bcrypt) }

    /// A new confidential client and its secret.
    func makeClient(scopes: [String] = ["ledger:read", "clients:write"], org: String = "acme") throws -> (ClientRecord, String) {
        guard case .created(let record, let secret?) = try administration.create(
            orgID: org, request: ClientRequest(name: "test client", scopes: scopes), audit: cli) else {
            throw FixtureFailure("client was not created")
        }
        return (record, secret)
    }

    /// A verifier for tokens this fixture's service issues.
    func makeVerifier(issuer: String = "https://auth.test") throws -> AccessTokenVerifier {
        let now = clock
        return AccessTokenVerifier(configuration: try .init(issuer: issuer, audience: issuer), keys: KeyRing(),
                                   clock: { now.now.seconds })
    }

    func configuration(ttl: Int64 = 900) -> TokenServiceConfiguration {
        TokenServiceConfiguration(issuer: "https://auth.test", tokenTTLSeconds: ttl, bcryptCost: 10,
                                  scopesSupported: ["ledger:read"], dataDirectory: directory)
    }

    func auditTypes() throws -> [String] {
        try store.auditEvents.events(after: 0, limit: 10_000).map(\.type)
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A `DataStore` that forwards to another and counts client reads, to prove which paths
/// touch the store.
final class CountingStore: DataStore, @unchecked Sendable {
    let inner: any DataStore
    let clientReads = Atomic<Int>(0)
    private let countingClients: CountingClients

    init(_ inner: any DataStore) {
        self.inner = inner
        countingClients = CountingClients(inner: inner.clients)
        countingClients.owner = self
    }

    var orgs: any OrgRepository { inner.orgs }
    var clients: any ClientRepository { countingClients }
    var users: any UserRepository { inner.users }
    var signingKeys: any SigningKeyRepository { inner.signingKeys }
    var revocations: any RevocationFeed { inner.revocations }
    var refreshTokens: any RefreshTokenRepository { inner.refreshTokens }
    var authorizationCodes: any AuthorizationCodeRepository { inner.authorizationCodes }
    var clientDirectory: any ClientDirectory { inner.clientDirectory }
    var auditEvents: any AuditEventStore { inner.auditEvents }

    final class CountingClients: ClientRepository, @unchecked Sendable {
        let inner: any ClientRepository
        weak var owner: CountingStore?
        init(inner: any ClientRepository) { self.inner = inner }

        func create(_ client: NewClient, audit: AuditContext) throws -> ClientCreation { try inner.create(client, audit: audit) }
        func get(_ clientID: String) throws -> ClientRecord? {
            owner?.clientReads.add(1, ordering: .relaxed)
            return try inner.get(clientID)
        }
        func find(orgID: String, externalID: String) throws -> ClientRecord? { try inner.find(orgID: orgID, externalID: externalID) }
        func list(orgID: String?) throws -> [ClientRecord] { try inner.list(orgID: orgID) }
        func revoke(_ clientID: String, reason: String, audit: AuditContext) throws -> ClientRevocation {
            try inner.revoke(clientID, reason: reason, audit: audit)
        }
        func rotateSecret(_ clientID: String, newSecretHash: String, previousValidUntil: Timestamp?,
                          audit: AuditContext) throws -> ClientRecord {
            try inner.rotateSecret(clientID, newSecretHash: newSecretHash, previousValidUntil: previousValidUntil, audit: audit)
        }
        func setRateLimit(_ clientID: String, rpm: Int?, audit: AuditContext) throws -> ClientRecord {
            try inner.setRateLimit(clientID, rpm: rpm, audit: audit)
        }
        func setDebugLog(_ clientID: String, enabled: Bool, audit: AuditContext) throws -> ClientRecord {
            try inner.setDebugLog(clientID, enabled: enabled, audit: audit)
        }
    }
}

/// Calls a responder and waits (at most 10 s) for its answer.
func answer(_ responder: any HTTPResponder, _ request: HTTPServerRequest) throws -> HTTPServerResponse {
    let box = Mutex<HTTPServerResponse?>(nil)
    let done = DispatchSemaphoreLite()
    responder.respond(to: request) { response in
        box.withLock { $0 = response }
        done.signal()
    }
    guard done.wait(timeoutNanos: 10_000_000_000), let response = box.withLock({ $0 }) else {
        throw FixtureFailure("the responder did not answer within 10 s")
    }
    return response
}

/// A form POST to `target`.
func formRequest(_ body: String, target: String = "/oauth/token", headers: [(String, String)] = [],
                 contentType: String? = "application/x-www-form-urlencoded", remote: String = "10.0.0.1") -> HTTPServerRequest {
    var fields = HTTPHeaders(headers)
    if let contentType { fields.add(name: "Content-Type", value: contentType) }
    return HTTPServerRequest(head: HTTPRequestHead(method: "POST", target: target, headers: fields),
                             body: Array(body.utf8), remoteAddress: remote, requestID: "req-1")
}

extension HTTPServerResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { try? JSONParser.parse(body) }
    func header(_ name: String) -> String? { headers.first(name: name) }
}
