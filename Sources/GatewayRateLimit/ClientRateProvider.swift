/// Where the rate-limit filter learns a client's rate, on every request.
///
/// Implementations must be thread-safe and cheap (called on the event loop,
/// never blocking on the store). Returning nil means "use the configuration's
/// `default_rpm`". `ClientRateTable` is the standard implementation, fed by
/// whoever watches the client store.
public protocol ClientRateProvider: Sendable {
    /// The client's requests per minute, or nil for the default.
    func ratePerMinute(forClient clientID: String) -> Int?
}
