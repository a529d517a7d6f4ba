/// One numbered step of the schema's history.
///
/// Invariants: versions start at 1 and increase by one; a published migration is never
/// edited (add a new one instead); `sql` may hold several statements and runs inside the
/// transaction that also records the version in `schema_migrations`.
package struct Migration: Sendable {
    package let version: Int
    package let name: String
    package let sql: String

    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Every migration this build knows, in order.
    package static let all: [Migration] = [
        Migration(version: 1, name: "core", sql: SchemaV1.sql),
        Migration(version: 2, name: "oauth_flows", sql: SchemaV2.sql),
        Migration(version: 3, name: "audit_counters", sql: SchemaV3.sql),
        Migration(version: 4, name: "audit_guard_per_connection", sql: SchemaV4.sql),
    ]

    /// The schema version a fully migrated store has.
    package static var latestVersion: Int { all.last?.version ?? 0 }
}
