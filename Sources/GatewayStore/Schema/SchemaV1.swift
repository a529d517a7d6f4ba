/// Migration 1: organisations, clients, users, signing keys, the revocation feed and the
/// audit log, with the triggers that make REVOKED terminal and the audit log append-only
/// (migration 4 moves the audit log's triggers onto each store connection, `AuditGuard`).
///
/// Conventions: times are INTEGER milliseconds since the epoch; scope lists are
/// space-delimited scope tokens (RFC 6749 §3.3); other lists are JSON arrays of strings.
enum SchemaV1 {
    static let sql = """
    CREATE TABLE orgs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scope_policy TEXT NOT NULL,
        created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        name TEXT NOT NULL,
        secret_hash TEXT,
        previous_secret_hash TEXT,
        previous_secret_expires_at INTEGER,
        scopes TEXT NOT NULL,
        rpm INTEGER CHECK (rpm IS NULL OR rpm > 0),
        redirect_uris TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REVOKED')),
        revoked_at INTEGER,
        revoked_reason TEXT,
        revoked_by TEXT,
        external_id TEXT,
        request_fingerprint TEXT,
        debug_log INTEGER NOT NULL DEFAULT 0 CHECK (debug_log IN (0, 1)),
        is_public INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
        version INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK (is_public = 1 OR secret_hash IS NOT NULL),
        CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
    ) STRICT;
    CREATE UNIQUE INDEX clients_org_external_id ON clients(org_id, external_id) WHERE external_id IS NOT NULL;
    CREATE INDEX clients_org ON clients(org_id);
    CREATE INDEX clients_version ON clients(version);

    CREATE TRIGGER clients_revoked_is_terminal
    BEFORE UPDATE OF status ON clients
    WHEN OLD.status = 'REVOKED' AND NEW.status IS NOT 'REVOKED'
    BEGIN
        SELECT RAISE(ABORT, 'client is REVOKED; REVOKED is terminal and cannot change back');
    END;

    CREATE TABLE change_counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) STRICT;
    INSERT INTO change_counters (name, value) VALUES ('clients', 0);

    CREATE TRIGGER clients_version_on_insert AFTER INSERT ON clients
    BEGIN
        UPDATE change_counters SET value = value + 1 WHERE name = 'clients';
        UPDATE clients SET version = (SELECT value FROM change_counters WHERE name = 'clients')
        WHERE client_id = NEW.client_id;
    END;

    CREATE TRIGGER clients_version_on_update AFTER UPDATE ON clients
    WHEN NEW.version = OLD.version
    BEGIN
        UPDATE change_counters SET value = value + 1 WHERE name = 'clients';
        UPDATE clients SET version = (SELECT value FROM change_counters WHERE name = 'clients')
        WHERE client_id = NEW.client_id;
    END;

    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id),
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        password_hash TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED')),
        disabled_at INTEGER,
        created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL CHECK (alg IN ('RS256', 'ES256')),
        public_jwk TEXT NOT NULL,
        private_key_path TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER,
        not_after INTEGER,
        CHECK ((retired_at IS NULL) = (not_after IS NULL))
    ) STRICT;
    CREATE UNIQUE INDEX signing_keys_single_active ON signing_keys(retired_at IS NULL) WHERE retired_at IS NULL;

    CREATE TABLE revocations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('client', 'token', 'user', 'token_family')),
        subject TEXT NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER NOT NULL,
        reason TEXT
    ) STRICT;
    CREATE INDEX revocations_subject ON revocations(kind, subject);

    CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        client_id TEXT,
        org_id TEXT,
        reason TEXT,
        request_id TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_events_client ON audit_events(client_id);

    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only');
    END;
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only');
    END;
    """
}
