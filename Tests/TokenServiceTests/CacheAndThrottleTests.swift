import GatewayStore
import Testing
@testable import TokenService

@Suite("Secret digest cache and failure throttle")
struct CacheAndThrottleTests {
    /// Client records made through a real store (ClientRecord has no public initializer).
    static let records: [String: ClientRecord] = {
        let fixture = try! ServiceFixture()
        var out: [String: ClientRecord] = [:]
        for id in ["cl_a"] + (0..<10).map({ "cl_\($0)" }) {
            guard case .created(let record) = try! fixture.store.clients.create(
                NewClient(clientID: id, orgID: "acme", name: "n", secretHash: "$2b$10$fake", scopes: ["ledger:read"]),
                audit: fixture.cli) else { fatalError("not created") }
            out[id] = record
        }
        return out
    }()

    static func record(_ id: String = "cl_a") -> ClientRecord { records[id]! }

    @Test("a remembered secret hits; another secret mismatches; an unknown client misses")
    func hitMismatchMiss() {
        let cache = SecretDigestCache()
        #expect(cache.lookup(clientID: "cl_a", secret: "s1") == .miss)
        #expect(cache.insert(client: Self.record(), orgPolicy: ["ledger:read"], secret: "s1", generation: cache.generation))
        guard case .hit(let entry) = cache.lookup(clientID: "cl_a", secret: "s1") else {
            Issue.record("expected a hit")
            return
        }
        #expect(entry.client.clientID == "cl_a")
        #expect(entry.orgPolicy == ["ledger:read"])
        guard case .mismatch = cache.lookup(clientID: "cl_a", secret: "s2") else {
            Issue.record("expected a mismatch")
            return
        }
        // The digest binds the client id: the same secret under another id is unknown.
        #expect(cache.lookup(clientID: "cl_b", secret: "s1") == .miss)
    }

    @Test("invalidation (rotation, revocation) drops the entry and refuses inserts that raced it")
    func invalidation() {
        let cache = SecretDigestCache()
        cache.insert(client: Self.record(), orgPolicy: [], secret: "s1", generation: cache.generation)
        let before = cache.generation
        cache.invalidate(clientID: "cl_a")
        #expect(cache.lookup(clientID: "cl_a", secret: "s1") == .miss)
        // A bcrypt check that read the record before the invalidation must not re-insert it.
        #expect(!cache.insert(client: Self.record(), orgPolicy: [], secret: "s1", generation: before))
        #expect(cache.lookup(clientID: "cl_a", secret: "s1") == .miss)
        #expect(cache.insert(client: Self.record(), orgPolicy: [], secret: "s1", generation: cache.generation))
        cache.invalidateAll()
        #expect(cache.count == 0)
    }

    @Test("the cache holds at most its capacity")
    func bounded() {
        let cache = SecretDigestCache(capacity: 3)
        for index in 0..<10 {
            cache.insert(client: Self.record("cl_\(index)"), orgPolicy: [], secret: "s", generation: cache.generation)
        }
        #expect(cache.count == 3)
        guard case .hit = cache.lookup(clientID: "cl_9", secret: "s") else {
            Issue.record("the newest entry must be kept")
            return
        }
    }

    @Test("ten failures of one client in a window block it until the window ends")
    func perClient() {
        let throttle = AuthFailureThrottle(maxPerClient: 10, maxPerAddress: 1000, windowSeconds: 60)
        for second in 0..<9 {
            throttle.recordFailure(clientID: "cl_a", address: "10.0.0.\(second)", now: 100 + Int64(second))
        }
        #expect(throttle.retryAfter(clientID: "cl_a", address: "10.0.1.1", now: 109) == nil)
        throttle.recordFailure(clientID: "cl_a", address: "10.0.0.9", now: 109)
        #expect(throttle.retryAfter(clientID: "cl_a", address: "10.0.1.1", now: 110) == 50)
        #expect(throttle.retryAfter(clientID: "cl_b", address: "10.0.1.1", now: 110) == nil)
        #expect(throttle.retryAfter(clientID: "cl_a", address: "10.0.1.1", now: 159) == 1)
        #expect(throttle.retryAfter(clientID: "cl_a", address: "10.0.1.1", now: 160) == nil)
    }

    @Test("an address is blocked after its own limit, whatever client ids it tries")
    func perAddress() {
        let throttle = AuthFailureThrottle(maxPerClient: 10, maxPerAddress: 3, windowSeconds: 60)
        for index in 0..<3 { throttle.recordFailure(clientID: nil, address: "10.9.9.9", now: Int64(index)) }
        #expect(throttle.retryAfter(clientID: "cl_new", address: "10.9.9.9", now: 3) == 57)
        #expect(throttle.retryAfter(clientID: "cl_new", address: "10.9.9.8", now: 3) == nil)
        #expect(throttle.retryAfter(clientID: nil, address: "10.9.9.9", now: 60) == nil)
    }

    @Test("the throttle table stays bounded")
    func throttleBounded() {
        let throttle = AuthFailureThrottle(maxPerClient: 10, maxPerAddress: 10, windowSeconds: 60, capacity: 100)
        for index in 0..<1000 { throttle.recordFailure(clientID: "cl_\(index)", address: "a\(index)", now: 5) }
        #expect(throttle.trackedKeys <= 100)
    }
}
