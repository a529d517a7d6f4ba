import Testing
@testable import GatewayRateLimit

private let second: Int64 = 1_000_000_000

@Suite struct TokenBucketTests {
    @Test func burstToCapacityThenRefusal() {
        var bucket = TokenBucket(ratePerMinute: 5, now: 0)
        for expected in (0..<5).reversed() {
            let d = bucket.take(now: 0)
            #expect(d.allowed)
            #expect(d.remaining == expected)
            #expect(d.limit == 5)
        }
        let refused = bucket.take(now: 0)
        #expect(!refused.allowed)
        #expect(refused.remaining == 0)
    }

    @Test func refillAfterSeconds() {
        var bucket = TokenBucket(ratePerMinute: 60, now: 0)  // one token per second
        for _ in 0..<60 { _ = bucket.take(now: 0) }
        #expect(!bucket.take(now: 0).allowed)
        #expect(!bucket.take(now: second - 1).allowed)
        // Three seconds after draining, exactly three tokens.
        #expect(bucket.take(now: 3 * second).allowed)
        #expect(bucket.take(now: 3 * second).allowed)
        #expect(bucket.take(now: 3 * second).allowed)
        #expect(!bucket.take(now: 3 * second).allowed)
    }

    @Test func refillStopsAtCapacity() {
        var bucket = TokenBucket(ratePerMinute: 10, now: 0)
        _ = bucket.take(now: 0)
        let d = bucket.take(now: 3_600 * second)
        #expect(d.allowed)
        #expect(d.remaining == 9)
        #expect(bucket.ticks == 9 * TokenBucket.ticksPerToken)
    }

    @Test func fractionalRefillIsExactAtTheBoundary() {
        // 7 RPM: one token every 60/7 s = 8 571 428 571.43 ns.
        var bucket = TokenBucket(ratePerMinute: 7, now: 0)
        for _ in 0..<7 { _ = bucket.take(now: 0) }
        #expect(!bucket.take(now: 8_571_428_571).allowed)
        #expect(bucket.take(now: 8_571_428_572).allowed)
    }

    @Test func fractionalRefillAccumulatesExactlyOverALongRun() {
        // Ask every 12 345 678 ns for an hour. The last ask is at 3 599 999 704 800 ns,
        // when exactly ⌊3 599.9997 s · 7/60⌋ = 419 tokens have been earned after the burst of 7.
        var bucket = TokenBucket(ratePerMinute: 7, now: 0)
        var granted = 0
        var now: Int64 = 0
        let end: Int64 = 3_600 * second
        while now <= end {
            if bucket.take(now: now).allowed { granted += 1 }
            now += 12_345_678
        }
        let lastAsk = now - 12_345_678
        #expect(granted == 7 + Int(lastAsk * 7 / (60 * second)))
        #expect(lastAsk == 3_599_999_704_800)
        #expect(granted == 7 + 419)
    }

    @Test func refusedRequestsDoNotConsume() {
        var bucket = TokenBucket(ratePerMinute: 60, now: 0)
        for _ in 0..<60 { _ = bucket.take(now: 0) }
        // Hammer at 1000 requests per second for 2 s: still exactly 2 tokens earned.
        var granted = 0
        for ms in 1...2_000 {
            if bucket.take(now: Int64(ms) * 1_000_000).allowed { granted += 1 }
        }
        #expect(granted == 2)
    }

    @Test func retryAfterAndResetValues() {
        var bucket = TokenBucket(ratePerMinute: 60, now: 0)
        let first = bucket.take(now: 0)
        #expect(first.retryAfterSeconds == 0)
        #expect(first.resetSeconds == 1)  // one token missing, one per second
        for _ in 0..<59 { _ = bucket.take(now: 0) }
        let refused = bucket.take(now: 0)
        #expect(!refused.allowed)
        #expect(refused.retryAfterSeconds == 1)
        #expect(refused.resetSeconds == 60)
        // 0.5 s later half a token exists: still 1 s (ceil), and reset rounds up.
        let half = bucket.take(now: second / 2)
        #expect(half.retryAfterSeconds == 1)
        #expect(half.resetSeconds == 60)  // 59.5 s → 60
    }

    @Test func retryAfterForSlowRates() {
        var bucket = TokenBucket(ratePerMinute: 1, now: 0)
        #expect(bucket.take(now: 0).allowed)
        let refused = bucket.take(now: 10 * second)
        #expect(refused.retryAfterSeconds == 50)
        #expect(refused.resetSeconds == 50)
        let almost = bucket.take(now: 60 * second - 1)
        #expect(almost.retryAfterSeconds == 1)  // never 0
        #expect(bucket.take(now: 60 * second).allowed)
    }

    @Test func fullBucketReportsZeroReset() {
        let bucket = TokenBucket(ratePerMinute: 100, now: 0)
        #expect(bucket.decision(allowed: true, now: 0).resetSeconds == 0)
        #expect(bucket.isFull(at: 0))
    }

    @Test func lowerRateClampsTheLevel() {
        var bucket = TokenBucket(ratePerMinute: 100, now: 0)
        for _ in 0..<10 { _ = bucket.take(now: 0) }  // 90 left
        bucket.setRate(20, now: 0)
        let d = bucket.take(now: 0)
        #expect(d.limit == 20)
        #expect(d.remaining == 19)
    }

    @Test func higherRateKeepsTheLevelAndRefillsFaster() {
        var bucket = TokenBucket(ratePerMinute: 10, now: 0)
        for _ in 0..<10 { _ = bucket.take(now: 0) }
        bucket.setRate(600, now: 0)  // 10 tokens per second from now on
        #expect(!bucket.take(now: 0).allowed)  // no free grant
        let d = bucket.take(now: second)
        #expect(d.allowed)
        #expect(d.remaining == 9)
        #expect(d.limit == 600)
    }

    @Test func rateChangeRefillsAtTheOldRateFirst() {
        var bucket = TokenBucket(ratePerMinute: 60, now: 0)
        for _ in 0..<60 { _ = bucket.take(now: 0) }
        bucket.setRate(6_000, now: 5 * second)  // 5 tokens earned at the old rate
        #expect(bucket.ticks == 5 * TokenBucket.ticksPerToken)
    }

    @Test func rateZeroSuspends() {
        var bucket = TokenBucket(ratePerMinute: 0, now: 0)
        let d = bucket.take(now: 3_600 * second)
        #expect(!d.allowed)
        #expect(d.retryAfterSeconds == TokenBucket.suspendedRetryAfterSeconds)
        #expect(d.resetSeconds == 0)
        #expect(TokenBucket(ratePerMinute: -5, now: 0).ratePerMinute == 0)
    }

    @Test func hugeRatesAreClamped() {
        var bucket = TokenBucket(ratePerMinute: Int.max, now: 0)
        #expect(bucket.ratePerMinute == TokenBucket.maxRatePerMinute)
        #expect(bucket.take(now: Int64.max / 2).allowed)  // long idle time: no overflow
    }

    @Test func outOfOrderReadingsNeitherRefillNorRewind() {
        var bucket = TokenBucket(ratePerMinute: 60, now: 0)
        for _ in 0..<60 { _ = bucket.take(now: 10 * second) }
        let late = bucket.take(now: 9 * second)  // read on another thread, earlier
        #expect(!late.allowed)
        #expect(bucket.updatedNanos == 10 * second)
        #expect(late.retryAfterSeconds == 2)  // 1 s of refill + 1 s behind
        #expect(bucket.take(now: 11 * second).allowed)
    }

    @Test func fullAtMarksWhenTheBucketIsEquivalentToNone() {
        var bucket = TokenBucket(ratePerMinute: 60, now: 0)
        _ = bucket.take(now: 0)
        #expect(!bucket.isFull(at: second - 1))
        #expect(bucket.isFull(at: second))
        #expect(bucket.fullAtNanos == second)
    }
}
