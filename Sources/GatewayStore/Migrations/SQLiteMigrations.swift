/// The SQLite schema (works on SQLite 3.40, Debian 12: no unixepoch(subsec)). Times are Unix milliseconds (INTEGER): range scans and bucketing
/// for usage statistics stay integer arithmetic. JSON columns hold TEXT.
/// User-owned rows carry `user_id`; '' in `owner_user_id` / `user_id` of models and aliases means global.
package enum SQLiteMigrations {
    package static let all: [Migration] = [
        Migration(
            version: 1, name: "initial schema",
            sql: """
                CREATE TABLE api_providers (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    provider_type TEXT NOT NULL CHECK (provider_type IN ('aggregator', 'direct')),
                    api_standard TEXT NOT NULL CHECK (api_standard IN ('openai', 'anthropic', 'gemini')),
                    base_url TEXT NOT NULL,
                    features TEXT NOT NULL DEFAULT '{}',
                    settings TEXT NOT NULL DEFAULT '{}',
                    documentation_url TEXT,
                    is_active INTEGER NOT NULL DEFAULT 1,
                    created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
                    updated_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
                );

                CREATE TABLE user_api_providers (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    provider_id TEXT NOT NULL REFERENCES api_providers (id),
                    api_key_encrypted TEXT NOT NULL,
                    api_key_hash TEXT NOT NULL,
                    api_key_last4 TEXT NOT NULL DEFAULT '',
                    settings TEXT NOT NULL DEFAULT '{}',
                    priority INTEGER NOT NULL DEFAULT 0,
                    is_active INTEGER NOT NULL DEFAULT 1,
                    health_status TEXT NOT NULL DEFAULT 'unknown',
                    last_health_check INTEGER,
                    last_synced_at INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (user_id, api_key_hash)
                );
                CREATE INDEX user_api_providers_routing ON user_api_providers (user_id, is_active, priority);

                CREATE TABLE aggregator_models (
                    id TEXT PRIMARY KEY,
                    provider_id TEXT NOT NULL REFERENCES api_providers (id),
                    owner_user_id TEXT NOT NULL DEFAULT '',
                    model_id TEXT NOT NULL,
                    display_name TEXT,
                    model_type TEXT NOT NULL DEFAULT 'chat',
                    capabilities TEXT NOT NULL DEFAULT '[]',
                    context_window INTEGER,
                    max_output_tokens INTEGER,
                    input_price REAL,
                    output_price REAL,
                    cache_read_price REAL,
                    cache_write_price REAL,
                    request_price REAL,
                    is_available INTEGER NOT NULL DEFAULT 1,
                    last_seen_at INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (provider_id, owner_user_id, model_id)
                );
                CREATE INDEX aggregator_models_available ON aggregator_models (provider_id, is_available);
                CREATE INDEX aggregator_models_model ON aggregator_models (model_id, is_available);

                CREATE TABLE model_aliases (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL DEFAULT '',
                    alias TEXT NOT NULL,
                    model_id TEXT NOT NULL,
                    preferred_provider_id TEXT REFERENCES api_providers (id),
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (user_id, alias)
                );
                CREATE INDEX model_aliases_alias ON model_aliases (alias);

                CREATE TABLE aggregator_usage_logs (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    provider_id TEXT,
                    user_provider_id TEXT,
                    function TEXT NOT NULL DEFAULT 'v1-chat',
                    model_requested TEXT,
                    model_served TEXT,
                    prompt_tokens INTEGER NOT NULL DEFAULT 0,
                    completion_tokens INTEGER NOT NULL DEFAULT 0,
                    cached_tokens INTEGER NOT NULL DEFAULT 0,
                    reasoning_tokens INTEGER NOT NULL DEFAULT 0,
                    cost_usd REAL,
                    cost_source TEXT,
                    latency_ms INTEGER,
                    ttft_ms INTEGER,
                    status TEXT NOT NULL CHECK (status IN ('success', 'error', 'client_aborted', 'upstream_aborted')),
                    error_code TEXT,
                    finish_reason TEXT,
                    upstream_request_id TEXT,
                    attempts INTEGER NOT NULL DEFAULT 1,
                    providers_tried TEXT NOT NULL DEFAULT '[]',
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX usage_by_user_time ON aggregator_usage_logs (user_id, created_at);
                CREATE INDEX usage_by_user_provider_time ON aggregator_usage_logs (user_id, provider_id, created_at);

                CREATE TABLE audit_log (
                    id TEXT PRIMARY KEY,
                    actor_user_id TEXT NOT NULL,
                    actor_role TEXT NOT NULL,
                    subject_user_id TEXT,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id TEXT,
                    before TEXT,
                    after TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX audit_by_subject_time ON audit_log (subject_user_id, created_at);

                """),
        Migration(
            version: 2, name: "catalogue sync and per-user model overrides",
            sql: """
                ALTER TABLE aggregator_models ADD COLUMN source TEXT NOT NULL DEFAULT 'sync' CHECK (source IN ('sync', 'custom'));
                ALTER TABLE aggregator_models ADD COLUMN released_at INTEGER;
                ALTER TABLE aggregator_models ADD COLUMN description TEXT;
                CREATE INDEX aggregator_models_owner ON aggregator_models (provider_id, owner_user_id, source);

                CREATE TABLE model_overrides (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    provider_id TEXT NOT NULL REFERENCES api_providers (id),
                    model_id TEXT NOT NULL,
                    is_enabled INTEGER NOT NULL DEFAULT 1,
                    display_name TEXT,
                    input_price REAL,
                    output_price REAL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (user_id, provider_id, model_id)
                );
                """),
        Migration(
            version: 3, name: "usage rollup and budgets",
            sql: """
                \(UsageRollupSchema.createTables(integer: "INTEGER", real: "REAL", layout: .beforeClientAPI))
                \(UsageRollupSchema.rebuildAll(.beforeClientAPI))

                CREATE TABLE usage_budgets (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    provider_id TEXT NOT NULL DEFAULT '',
                    monthly_budget_usd REAL,
                    requests_per_minute INTEGER,
                    tokens_per_day INTEGER,
                    alert_thresholds TEXT NOT NULL DEFAULT '[50,80,100]',
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (user_id, provider_id)
                );
                CREATE TABLE usage_reservations (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX usage_reservations_user ON usage_reservations (user_id, created_at);
                """),
        // Every request holds a row here while in flight (budgets only counted admitted ones before):
        // a process that dies leaves them behind, and the next process turns them into usage rows.
        Migration(version: 4, name: "in-flight requests", sql: InFlightSchema.migration(text: "TEXT", smallInteger: "INTEGER")),
        // Which wire formats exist is the provider registry's business (`WireFormats`), not the schema's:
        // SQLite cannot drop a CHECK, so the table's definition loses it in place (the documented way for
        // a change that leaves every stored row valid), and the DDL after it moves the schema version so
        // that other connections read the new definition.
        Migration(
            version: 5, name: "api_standard without a CHECK constraint",
            sql: """
                PRAGMA writable_schema = ON;
                UPDATE sqlite_schema SET sql = replace(sql, ' CHECK (api_standard IN (''openai'', ''anthropic'', ''gemini''))', '')
                    WHERE type = 'table' AND name = 'api_providers';
                PRAGMA writable_schema = RESET;
                CREATE TABLE schema_version_bump (x INTEGER);
                DROP TABLE schema_version_bump;
                """),
        // Which client API a request came in by (chat, messages, responses, embeddings, count_tokens):
        // a column of the row and a key of the rollups, so statistics can break down by it.
        Migration(
            version: 6, name: "client API of each request",
            sql: """
                ALTER TABLE aggregator_usage_logs ADD COLUMN api TEXT NOT NULL DEFAULT 'chat';
                DROP TABLE usage_rollup;
                DROP TABLE usage_rollup_hourly;
                \(UsageRollupSchema.createTables(integer: "INTEGER", real: "REAL"))
                \(UsageRollupSchema.rebuildAll())
                """),
        Migration(version: 7, name: "routing change counter", sql: RoutingVersionSchema.sqlite),
        Migration(version: 8, name: "usage metrics", sql: UsageMetricsSchema.migration(integer: "INTEGER", real: "REAL")),
    ]
}
