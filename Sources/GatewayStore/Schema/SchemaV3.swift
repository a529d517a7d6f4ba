/// Migration 3: the side table that counts coalesced `api.rate_limit_exceeded` refusals.
///
/// The audit chain is append-only, so the running count of refusals in a window cannot
/// live in the hashed event; it lives here, keyed by the event's `seq`, one row per
/// (client, window). Exports merge it into the event as `count`.
enum SchemaV3 {
    static let sql = """
    CREATE TABLE audit_counters (
        event_seq INTEGER PRIMARY KEY REFERENCES audit_events(seq),
        client_id TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL CHECK (count >= 1),
        updated_at INTEGER NOT NULL,
        UNIQUE (client_id, window_start)
    ) STRICT;
    """
}
