import Foundation
import GatewayAuth
import GatewayPosix
import GatewayStore
import Synchronization
import Testing
import TokenService

@Suite("Revocation feed follower and worker pool")
struct FollowerAndPoolTests {
    @Test("the follower loads the snapshot, then applies new client, token and user revocations")
    func follower() throws {
        let fixture = try ServiceFixture()
        let (early, _) = try fixture.makeClient()
        _ = try fixture.administration.revoke(clientID: early.clientID, reason: "offboarded", audit: fixture.cli)
        let set = RevocationSet()
        let follower = RevocationFeedFollower(feed: fixture.store.revocations, revocations: set,
                                              clock: fixture.clock.storeClock)
        try follower.load()
        #expect(set.snapshot.revokedClients == [early.clientID])
        #expect(try follower.poll() == 0)

        let (late, _) = try fixture.makeClient()
        _ = try fixture.administration.revoke(clientID: late.clientID, reason: "compromised", audit: fixture.cli)
        let expiry = fixture.clock.now.adding(seconds: 300)
        try fixture.store.revocations.revokeToken(jti: "jti-1", clientID: late.clientID, expiresAt: expiry,
                                                  reason: "revoked_by_client", audit: fixture.cli)
        #expect(try follower.poll() == 2)
        #expect(set.snapshot.revokedClients == [early.clientID, late.clientID])
        #expect(set.snapshot.revokedTokens == ["jti-1": expiry.seconds])

        // Once the token would have expired anyway (plus leeway) it is pruned.
        fixture.clock.advance(seconds: 331)
        try follower.poll()
        #expect(set.snapshot.revokedTokens.isEmpty)
    }

    @Test("the delta maps each kind of feed row")
    func delta() {
        let now = Timestamp(seconds: 100)
        let rows = [
            RevocationEntry(seq: 1, kind: .client, subject: "cl_a", expiresAt: nil, revokedAt: now, reason: nil),
            RevocationEntry(seq: 2, kind: .token, subject: "j1", expiresAt: Timestamp(seconds: 500), revokedAt: now, reason: nil),
            RevocationEntry(seq: 3, kind: .user, subject: "usr_1", expiresAt: nil, revokedAt: now, reason: nil),
            RevocationEntry(seq: 4, kind: .tokenFamily, subject: "fam", expiresAt: nil, revokedAt: now, reason: nil),
        ]
        #expect(RevocationFeedFollower.delta(rows) == RevocationDelta(revokedClients: ["cl_a"], revokedTokens: ["j1": 500],
                                                                      disabledSubjects: ["usr_1"]))
    }

    @Test("the pool runs every submitted closure on its threads")
    func runsWork() {
        let pool = WorkerPool(threads: 2, queueCapacity: 100)
        let count = Mutex(0)
        let done = DispatchSemaphoreLite()
        for _ in 0..<50 {
            #expect(pool.submit {
                let reached = count.withLock { value -> Bool in
                    value += 1
                    return value == 50
                }
                if reached { done.signal() }
            })
        }
        #expect(done.wait(timeoutNanos: 5_000_000_000))
        pool.shutdown()
        #expect(count.withLock { $0 } == 50)
        #expect(!pool.submit {})
    }

    @Test("a full queue refuses work instead of growing")
    func bounded() {
        let pool = WorkerPool(threads: 1, queueCapacity: 2)
        let gate = DispatchSemaphoreLite()
        let ran = Mutex(0)
        #expect(pool.submit { _ = gate.wait(timeoutNanos: 5_000_000_000); ran.withLock { $0 += 1 } })
        while pool.runningCount == 0 { usleep(1000) }
        #expect(pool.submit { ran.withLock { $0 += 1 } })
        #expect(pool.submit { ran.withLock { $0 += 1 } })
        #expect(!pool.submit { ran.withLock { $0 += 1 } })
        #expect(pool.pendingCount == 2)
        gate.signal()
        pool.shutdown()  // queued work still runs
        #expect(ran.withLock { $0 } == 3)
    }
}
