/// The rate limit of one client: a token bucket with lazy refill.
///
/// Capacity is the client's rate in requests per minute (RPM); the bucket
/// refills at RPM/60 tokens per second and each allowed request takes one
/// token. A refused request takes nothing.
///
/// **Units.** The level is kept in integer *ticks*: one token is
/// `ticksPerToken` = 60·10⁹ ticks, the number of nanoseconds in a minute. A
/// bucket of `r` RPM therefore gains exactly `r` ticks per nanosecond, so
/// refill is one integer product with no remainder to carry and no rounding:
/// over any interval a client is granted exactly `capacity + ⌊elapsed·r / 60 s⌋`
/// tokens, however often it asks. The largest rate is `maxRatePerMinute`
/// (10⁸, so a full bucket of 6·10¹⁸ ticks fits in `Int64`).
///
/// **Time.** The bucket never reads a clock: every call takes `now`, a reading
/// of one monotonic clock in nanoseconds. Readings from different threads may
/// arrive out of order; a `now` earlier than the last update refills nothing
/// and does not move the bucket's clock back, so the grant stays exact.
///
/// **Rate changes.** `setRate` first refills at the old rate up to `now`, then
/// keeps the current level as an absolute number of tokens, clamped to the new
/// capacity: lowering the rate never leaves more than the new capacity, raising
/// it grants nothing at once (the bucket fills towards the new capacity at the
/// new rate).
///
/// **Rate 0** suspends the client: every request is refused with
/// `retryAfterSeconds` = `suspendedRetryAfterSeconds`. Negative rates count as 0.
///
/// A new bucket starts full. A bucket that has refilled to capacity behaves
/// exactly like a new one, which is what lets the shared table drop it.
public struct TokenBucket: Sendable, Equatable {
    /// Ticks in one token: nanoseconds per minute.
    public static let ticksPerToken: Int64 = 60_000_000_000
    /// The largest supported rate; larger values are clamped to it.
    public static let maxRatePerMinute = 100_000_000
    /// `Retry-After` sent to a client whose rate is 0.
    public static let suspendedRetryAfterSeconds = 60

    private static let nanosPerSecond: Int64 = 1_000_000_000

    /// The capacity in tokens and the refill per minute.
    public private(set) var ratePerMinute: Int
    /// The level at `updatedNanos`, in ticks (0 ... `capacityTicks`).
    public private(set) var ticks: Int64
    /// The latest `now` this bucket has seen.
    public private(set) var updatedNanos: Int64

    /// A full bucket for `ratePerMinute` (clamped to 0 ... `maxRatePerMinute`).
    public init(ratePerMinute: Int, now: Int64) {
        let rate = Self.clampedRate(ratePerMinute)
        self.ratePerMinute = rate
        self.ticks = Int64(rate) * Self.ticksPerToken
        self.updatedNanos = now
    }

    /// `rate` limited to the supported range.
    @inlinable
    public static func clampedRate(_ rate: Int) -> Int {
        min(max(rate, 0), maxRatePerMinute)
    }

    /// The capacity in ticks.
    public var capacityTicks: Int64 { Int64(ratePerMinute) * Self.ticksPerToken }

    /// The monotonic instant at which the bucket is (or was) full again.
    public var fullAtNanos: Int64 {
        let missing = capacityTicks - ticks
        guard missing > 0, ratePerMinute > 0 else { return updatedNanos }
        return updatedNanos + Self.ceilDiv(missing, Int64(ratePerMinute))
    }

    /// Whether the bucket is full at `now`, i.e. equivalent to having no bucket.
    /// (Same answer as `now >= fullAtNanos`, without a division: sweeps call it per entry.)
    public func isFull(at now: Int64) -> Bool {
        let missing = capacityTicks - ticks
        guard missing > 0, ratePerMinute > 0 else { return true }
        guard now > updatedNanos else { return false }
        let (earned, overflow) = (now - updatedNanos).multipliedReportingOverflow(by: Int64(ratePerMinute))
        return overflow || earned >= missing
    }

    /// Adds the tokens earned between the last update and `now`, up to capacity.
    public mutating func refill(now: Int64) {
        guard now > updatedNanos else { return }
        let elapsed = now - updatedNanos
        updatedNanos = now
        let missing = capacityTicks - ticks
        guard missing > 0, ratePerMinute > 0 else { return }
        let rate = Int64(ratePerMinute)
        // Compare before multiplying: `elapsed * rate` may overflow after a long idle time.
        if elapsed > missing / rate {
            ticks += missing
        } else {
            ticks += elapsed * rate
        }
    }

    /// Changes the rate (and capacity); see the type's documentation for how
    /// the level carries over. A no-op when the rate is unchanged.
    public mutating func setRate(_ ratePerMinute: Int, now: Int64) {
        let rate = Self.clampedRate(ratePerMinute)
        guard rate != self.ratePerMinute else { return }
        refill(now: now)
        self.ratePerMinute = rate
        ticks = min(ticks, capacityTicks)
    }

    /// Takes one token if there is one. A refusal leaves the level unchanged.
    public mutating func take(now: Int64) -> RateLimitDecision {
        refill(now: now)
        var allowed = false
        if ticks >= Self.ticksPerToken {
            ticks -= Self.ticksPerToken
            allowed = true
        }
        return decision(allowed: allowed, now: now)
    }

    /// The decision describing the current level as seen at `now`.
    public func decision(allowed: Bool, now: Int64) -> RateLimitDecision {
        // The level is valid at `updatedNanos`; a `now` behind it waits that much longer.
        let lag = updatedNanos > now ? updatedNanos - now : 0
        let rate = Int64(ratePerMinute)
        let missing = capacityTicks - ticks
        var reset = 0
        if missing > 0, rate > 0 {
            reset = Int(Self.ceilDiv(Self.ceilDiv(missing, rate) + lag, Self.nanosPerSecond))
        }
        var retryAfter = 0
        if !allowed {
            if rate == 0 {
                retryAfter = Self.suspendedRetryAfterSeconds
            } else {
                let needed = max(Self.ticksPerToken - ticks, 0)
                let nanos = Self.ceilDiv(needed, rate) + lag
                retryAfter = max(1, Int(Self.ceilDiv(nanos, Self.nanosPerSecond)))
            }
        }
        return RateLimitDecision(allowed: allowed, limit: ratePerMinute,
                                 remaining: Int(ticks / Self.ticksPerToken),
                                 resetSeconds: reset, retryAfterSeconds: retryAfter)
    }

    /// ⌈a / b⌉ for a ≥ 0, b > 0 (both well below `Int64.max / 2` here).
    @inline(__always)
    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { (a + b - 1) / b }
}
