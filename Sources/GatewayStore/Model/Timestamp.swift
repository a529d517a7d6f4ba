import Glibc

/// A point in time as whole milliseconds since the Unix epoch (UTC).
///
/// Every time column in the store is an INTEGER of this unit, so comparisons in SQL are
/// plain integer comparisons. `iso8601` renders RFC 3339 UTC with milliseconds
/// (`2026-01-05T10:00:00.123Z`), the form exports and documents show.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public init(seconds: Int64) {
        self.milliseconds = seconds * 1000
    }

    /// Whole seconds since the epoch, rounded down (the unit of JWT `iat`/`exp`).
    public var seconds: Int64 {
        milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    }

    /// This time plus `seconds` seconds.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: milliseconds + seconds * 1000)
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// RFC 3339 in UTC with milliseconds.
    public var iso8601: String {
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let dayMillis = milliseconds - days * 86_400_000
        // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let hour = dayMillis / 3_600_000, minute = dayMillis / 60_000 % 60
        let second = dayMillis / 1000 % 60, millis = dayMillis % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    public var description: String { iso8601 }
}

extension Timestamp: SQLiteBindable {
    package var sqliteValue: SQLiteValue { .integer(milliseconds) }
}

/// Where the store reads "now" for `created_at`, `updated_at`, audit `ts` and expiry checks.
///
/// Defaults to the wall clock; tests inject a fixed or stepping clock.
public struct StoreClock: Sendable {
    public var now: @Sendable () -> Timestamp

    public init(now: @escaping @Sendable () -> Timestamp) {
        self.now = now
    }

    /// The system's real-time clock.
    public static let system = StoreClock { Timestamp.now() }
}
