/// Migration 2: the state of the Authorization Code and refresh-token grants.
///
/// Only hashes of codes and refresh tokens are stored (the caller hashes; the store never
/// sees the raw value). `used_at` is set exactly once by the consume operations.
enum SchemaV2 {
    static let sql = """
    CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL,
        client_id TEXT NOT NULL REFERENCES clients(client_id),
        user_id TEXT REFERENCES users(id),
        scopes TEXT NOT NULL,
        access_jti TEXT,
        access_expires_at INTEGER,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
    ) STRICT;
    CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
    CREATE INDEX refresh_tokens_client ON refresh_tokens(client_id);

    CREATE TABLE authorization_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients(client_id),
        user_id TEXT NOT NULL REFERENCES users(id),
        redirect_uri TEXT NOT NULL,
        scopes TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        code_challenge_method TEXT NOT NULL DEFAULT 'S256' CHECK (code_challenge_method = 'S256'),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        issued_token_jtis TEXT NOT NULL DEFAULT '',
        issued_tokens_expire_at INTEGER,
        refresh_family_id TEXT
    ) STRICT;
    """
}
