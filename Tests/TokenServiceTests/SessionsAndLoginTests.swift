import GatewayAudit
import GatewayStore
import Synchronization
import Testing
@testable import TokenService

@Suite("Browser sessions and user logins")
struct SessionsAndLoginTests {
    let seconds = MonotonicSeconds(1_000)

    func store(idle: Int64 = 900, absolute: Int64 = 8 * 3600, capacity: Int = 100) -> WebSessionStore {
        let clock = seconds
        return WebSessionStore(idleSeconds: idle, absoluteSeconds: absolute, capacity: capacity, now: { clock.value })
    }

    func pending(_ state: String = "s") -> PendingAuthorization {
        PendingAuthorization(clientID: "cl_x", clientName: "App", orgID: "acme", orgName: "Acme",
                             redirectURI: "https://app.example/cb", scopes: ["ledger:read"], state: state,
                             codeChallenge: String(repeating: "c", count: 43), createdAt: seconds.value)
    }

    @Test("sessions end after the idle time or the absolute lifetime, whichever comes first")
    func expiry() {
        let sessions = store(idle: 100, absolute: 250)
        let (id, _) = sessions.start()
        seconds.value += 99
        #expect(sessions.session(id) != nil)
        seconds.value += 99
        #expect(sessions.session(id) != nil)  // used 99 s ago: still idle-fresh
        seconds.value += 60
        #expect(sessions.session(id) == nil)  // 258 s after the start: past the absolute cap
        let (other, _) = sessions.start()
        seconds.value += 100
        #expect(sessions.session(other) == nil)  // idle 100 s
    }

    @Test("logging in moves the session to a new id and a new CSRF token; the old id is dead")
    func loginRotates() throws {
        let sessions = store()
        let (id, before) = sessions.start()
        let requestID = try #require(sessions.addPending(pending(), to: id))
        let (fresh, after) = try #require(sessions.logIn(id, userID: "usr_1"))
        #expect(fresh != id)
        #expect(after.csrfToken != before.csrfToken)
        #expect(after.userID == "usr_1")
        #expect(after.pendingRequest(requestID) == pending())
        #expect(sessions.session(id) == nil)
        #expect(sessions.session(fresh)?.userID == "usr_1")
        #expect(!after.acceptsCSRF(before.csrfToken))
        #expect(after.acceptsCSRF(after.csrfToken))
        #expect(!after.acceptsCSRF(nil))
        sessions.endSessions(ofUser: "usr_1")
        #expect(sessions.session(fresh) == nil)
    }

    @Test("pending requests expire, are bounded, and malformed ids are never looked up")
    func pendingAndIDs() throws {
        let sessions = store()
        let (id, _) = sessions.start()
        let first = try #require(sessions.addPending(pending("first"), to: id))
        for index in 0..<8 { _ = sessions.addPending(pending("p\(index)"), to: id) }
        #expect(sessions.session(id)?.pendingRequest(first) == nil)  // the oldest was dropped
        #expect(sessions.session(id)?.pending.count == 8)
        seconds.value += 600
        _ = sessions.session(id)  // keep the session alive
        #expect(sessions.session(id)?.pending.isEmpty == true)
        #expect(sessions.session("short") == nil)
        #expect(sessions.session(String(repeating: "~", count: 43)) == nil)
    }

    @Test("a full table drops expired sessions first, then the least recently used")
    func capacity() {
        let sessions = store(capacity: 3)
        let a = sessions.start().id
        seconds.value += 1
        let b = sessions.start().id
        seconds.value += 1
        let c = sessions.start().id
        seconds.value += 1
        _ = sessions.session(a)
        _ = sessions.start()
        #expect(sessions.count == 3)
        #expect(sessions.session(a) != nil)
        #expect(sessions.session(b) == nil)
        #expect(sessions.session(c) != nil)
    }

    @Test("login: one answer for unknown, wrong and disabled; throttled per account and per address before bcrypt")
    func login() throws {
        let fixture = try ServiceFixture()
        let users = UserAdministration(store: fixture.store, bcrypt: fixture.bcrypt)
        let ana = try users.create(orgID: "acme", email: "Ana@Example.com", password: "correct horse", audit: fixture.cli)
        let bo = try users.create(orgID: "acme", email: "bo@example.com", password: "battery staple", audit: fixture.cli)
        let clock = seconds
        let login = UserLogin(store: fixture.store, throttle: AuthFailureThrottle(maxPerClient: 3, maxPerAddress: 5,
                                                                                 windowSeconds: 60),
                              bcryptCost: 10, monotonicSeconds: { clock.value })
        #expect(login.authenticate(email: "ana@example.com", password: "correct horse", address: "10.0.0.1")
            == .success(ana))
        #expect(login.authenticate(email: "ana@example.com", password: "wrong", address: "10.0.0.1") == .failed)
        #expect(login.authenticate(email: "nobody@example.com", password: "correct horse", address: "10.0.0.2") == .failed)
        #expect(login.authenticate(email: "not an e-mail", password: "x", address: "10.0.0.2") == .failed)
        // Two more failures for ana's account (from other addresses) reach its limit of 3.
        _ = login.authenticate(email: "ANA@example.com", password: "nope", address: "10.0.0.3")
        _ = login.authenticate(email: "ana@example.com", password: "nope", address: "10.0.0.4")
        #expect(login.authenticate(email: "ana@example.com", password: "correct horse", address: "10.0.0.9")
            == .throttled(retryAfterSeconds: 60))
        // Another account from a fresh address is unaffected…
        #expect(login.authenticate(email: "bo@example.com", password: "battery staple", address: "10.0.0.9") == .success(bo))
        // …and an address that failed 5 times is refused for every account.
        for index in 0..<5 { _ = login.authenticate(email: "x\(index)@example.com", password: "p", address: "10.0.0.7") }
        if case .throttled = login.authenticate(email: "bo@example.com", password: "battery staple", address: "10.0.0.7") {
        } else {
            Issue.record("the address was not throttled")
        }
        seconds.value += 60
        #expect(login.authenticate(email: "ana@example.com", password: "correct horse", address: "10.0.0.9") == .success(ana))
        // A disabled user with the right password fails like a wrong password.
        _ = try users.disable("ana@example.com", reason: "offboarded", audit: fixture.cli)
        #expect(login.authenticate(email: "ana@example.com", password: "correct horse", address: "10.0.0.10") == .failed)
    }

    @Test("user rules: e-mail shape, 8–72 byte passwords, unique e-mails, bcrypt only")
    func userRules() throws {
        let fixture = try ServiceFixture()
        let users = UserAdministration(store: fixture.store, bcrypt: fixture.bcrypt)
        #expect(throws: TokenServiceError.self) {
            try users.create(orgID: "acme", email: "no-at-sign", password: "long enough", audit: fixture.cli)
        }
        #expect(throws: TokenServiceError.self) {
            try users.create(orgID: "acme", email: "a@example.com", password: "short", audit: fixture.cli)
        }
        #expect(throws: TokenServiceError.self) {
            try users.create(orgID: "acme", email: "a@example.com", password: String(repeating: "x", count: 73),
                             audit: fixture.cli)
        }
        let user = try users.create(orgID: "acme", email: "a@example.com", password: "long enough", audit: fixture.cli)
        #expect(user.passwordHash.hasPrefix("$2b$10$"))
        #expect(throws: StoreError.self) {
            try users.create(orgID: "acme", email: "A@EXAMPLE.COM", password: "long enough", audit: fixture.cli)
        }
        #expect(throws: StoreError.self) {
            try users.create(orgID: "nope", email: "b@example.com", password: "long enough", audit: fixture.cli)
        }
        let types = try fixture.auditTypes()
        #expect(types.filter { $0 == "api.user_created" }.count == 1)
        let events = try fixture.store.auditEvents.events(after: 0, limit: 100)
        #expect(!events.contains { $0.data.contains("long enough") || $0.data.contains(user.passwordHash) })
    }
}
