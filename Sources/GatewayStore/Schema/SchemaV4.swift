/// Migration 4: the audit log's UPDATE/DELETE guard moves from the schema to the
/// store's own connections.
///
/// The schema triggers of migration 1 also stopped anyone editing the file from
/// outside, which is exactly the change the hash chain and `audit verify` exist to
/// detect: an examiner's edit (or an attacker's) should reach the file and be caught,
/// not be refused by a trigger that a `DROP TRIGGER` removes anyway. The store's
/// connections now carry the same guard as temporary triggers (`AuditGuard`), so no
/// code path of the program can rewrite history.
enum SchemaV4 {
    static let sql = """
    DROP TRIGGER IF EXISTS audit_events_no_update;
    DROP TRIGGER IF EXISTS audit_events_no_delete;
    """
}

/// The per-connection guard that keeps the program itself from rewriting the audit
/// log: temporary triggers, which exist only on the connection that creates them.
enum AuditGuard {
    static let sql = """
    CREATE TEMP TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON main.audit_events
    BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only');
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON main.audit_events
    BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only');
    END;
    """
}
