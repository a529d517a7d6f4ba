import GatewayPosix
import Testing

@Suite struct ConnectionTimeoutsTests {
    let second: Int64 = 1_000_000_000

    @Test func anIdleKeepAliveConnectionClosesAfterTheIdleTimeout() {
        let t = ConnectionTimeouts(now: 0, headerTimeoutNanos: 10 * second, idleTimeoutNanos: 60 * second)
        #expect(t.check(now: 59 * second) == .none)
        #expect(t.check(now: 60 * second) == .close)
    }

    @Test func aSlowHeadIsAnsweredWith408() {
        var t = ConnectionTimeouts(now: 0, headerTimeoutNanos: 10 * second, idleTimeoutNanos: 60 * second)
        t.headStarted(now: 5 * second)
        #expect(t.check(now: 14 * second) == .none)
        #expect(t.check(now: 15 * second) == .requestTimeout)
        // More bytes of the same head do not restart the clock.
        t.headStarted(now: 14 * second)
        #expect(t.check(now: 15 * second) == .requestTimeout)
    }

    @Test func aServedRequestIsWatchedForStalledIO() {
        var t = ConnectionTimeouts(now: 0, headerTimeoutNanos: 10 * second, idleTimeoutNanos: 60 * second)
        t.headStarted(now: 0)
        t.headCompleted(now: 1 * second)
        #expect(t.check(now: 30 * second) == .none)
        t.progressed(now: 50 * second)
        #expect(t.check(now: 100 * second) == .none)
        #expect(t.check(now: 110 * second) == .close)
    }

    @Test func afterAResponseTheIdleClockStartsAgain() {
        var t = ConnectionTimeouts(now: 0, headerTimeoutNanos: 10 * second, idleTimeoutNanos: 60 * second)
        t.headStarted(now: 0)
        t.headCompleted(now: 0)
        t.responseCompleted(now: 100 * second)
        #expect(t.state == .idle(since: 100 * second))
        #expect(t.check(now: 159 * second) == .none)
        #expect(t.check(now: 160 * second) == .close)
    }
}
