/// What the refusal coalescer tells the audit log about `api.rate_limit_exceeded`.
///
/// A window is identified by its client and `windowStartUnixNanos` (the wall
/// clock of its first refusal). The refusals in one window number
/// `1 + Σ additional` over its `counted` reports.
public enum RefusalReport: Sendable, Equatable {
    /// The first refusal of a new window, reported as it happens.
    case windowOpened(clientID: String, orgID: String, windowStartUnixNanos: Int64, firstRequestID: String)
    /// Refusals after the first, counted since the window's previous report.
    case counted(clientID: String, orgID: String, windowStartUnixNanos: Int64, additional: Int)
}
