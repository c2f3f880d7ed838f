/// The PostgreSQL schema: the same tables, columns and indexes as `SQLiteMigrations`, with native
/// types, plus row-level security on every user-owned table. Policies read the caller from
/// transaction-local settings (`gateway.user_id`, `gateway.role`) that the store sets in every
/// transaction, so a query that forgot its `WHERE user_id` still sees only the caller's rows.
/// RLS binds the table owner too (`FORCE`), but never a superuser: connect as an ordinary role.
package enum PostgresMigrations {
    static let now = "(extract(epoch from clock_timestamp()) * 1000)::bigint"

    package static let all: [Migration] = [
        Migration(
            version: 1, name: "initial schema",
            sql: """
                CREATE FUNCTION gateway_user_id() RETURNS text LANGUAGE sql STABLE
                    AS $$ SELECT coalesce(current_setting('gateway.user_id', true), '') $$;
                CREATE FUNCTION gateway_is_service() RETURNS boolean LANGUAGE sql STABLE
                    AS $$ SELECT coalesce(current_setting('gateway.role', true), '') = 'service_role' $$;

                CREATE TABLE api_providers (
                    id text PRIMARY KEY,
                    name text NOT NULL UNIQUE,
                    display_name text NOT NULL,
                    provider_type text NOT NULL CHECK (provider_type IN ('aggregator', 'direct')),
                    api_standard text NOT NULL CHECK (api_standard IN ('openai', 'anthropic', 'gemini')),
                    base_url text NOT NULL,
                    features text NOT NULL DEFAULT '{}',
                    settings text NOT NULL DEFAULT '{}',
                    documentation_url text,
                    is_active boolean NOT NULL DEFAULT TRUE,
                    created_at bigint NOT NULL DEFAULT \(now),
                    updated_at bigint NOT NULL DEFAULT \(now)
                );

                CREATE TABLE user_api_providers (
                    id text PRIMARY KEY,
                    user_id text NOT NULL,
                    provider_id text NOT NULL REFERENCES api_providers (id),
                    api_key_encrypted text NOT NULL,
                    api_key_hash text NOT NULL,
                    api_key_last4 text NOT NULL DEFAULT '',
                    settings text NOT NULL DEFAULT '{}',
                    priority integer NOT NULL DEFAULT 0,
                    is_active boolean NOT NULL DEFAULT TRUE,
                    health_status text NOT NULL DEFAULT 'unknown',
                    last_health_check bigint,
                    last_synced_at bigint,
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    UNIQUE (user_id, api_key_hash)
                );
                CREATE INDEX user_api_providers_routing ON user_api_providers (user_id, is_active, priority);

                CREATE TABLE aggregator_models (
                    id text PRIMARY KEY,
                    provider_id text NOT NULL REFERENCES api_providers (id),
                    owner_user_id text NOT NULL DEFAULT '',
                    model_id text NOT NULL,
                    display_name text,
                    model_type text NOT NULL DEFAULT 'chat',
                    capabilities text NOT NULL DEFAULT '[]',
                    context_window bigint,
                    max_output_tokens bigint,
                    input_price double precision,
                    output_price double precision,
                    cache_read_price double precision,
                    cache_write_price double precision,
                    request_price double precision,
                    is_available boolean NOT NULL DEFAULT TRUE,
                    last_seen_at bigint,
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    UNIQUE (provider_id, owner_user_id, model_id)
                );
                CREATE INDEX aggregator_models_available ON aggregator_models (provider_id, is_available);
                CREATE INDEX aggregator_models_model ON aggregator_models (model_id, is_available);

                CREATE TABLE model_aliases (
                    id text PRIMARY KEY,
                    user_id text NOT NULL DEFAULT '',
                    alias text NOT NULL,
                    model_id text NOT NULL,
                    preferred_provider_id text REFERENCES api_providers (id),
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    UNIQUE (user_id, alias)
                );
                CREATE INDEX model_aliases_alias ON model_aliases (alias);

                CREATE TABLE aggregator_usage_logs (
                    id text PRIMARY KEY,
                    user_id text NOT NULL,
                    provider_id text,
                    user_provider_id text,
                    function text NOT NULL DEFAULT 'v1-chat',
                    model_requested text,
                    model_served text,
                    prompt_tokens bigint NOT NULL DEFAULT 0,
                    completion_tokens bigint NOT NULL DEFAULT 0,
                    cached_tokens bigint NOT NULL DEFAULT 0,
                    reasoning_tokens bigint NOT NULL DEFAULT 0,
                    cost_usd double precision,
                    cost_source text,
                    latency_ms bigint,
                    ttft_ms bigint,
                    status text NOT NULL CHECK (status IN ('success', 'error', 'client_aborted', 'upstream_aborted')),
                    error_code text,
                    finish_reason text,
                    upstream_request_id text,
                    attempts integer NOT NULL DEFAULT 1,
                    providers_tried text NOT NULL DEFAULT '[]',
                    created_at bigint NOT NULL
                );
                CREATE INDEX usage_by_user_time ON aggregator_usage_logs (user_id, created_at);
                CREATE INDEX usage_by_user_provider_time ON aggregator_usage_logs (user_id, provider_id, created_at);

                CREATE TABLE audit_log (
                    id text PRIMARY KEY,
                    actor_user_id text NOT NULL,
                    actor_role text NOT NULL,
                    subject_user_id text,
                    action text NOT NULL,
                    entity text NOT NULL,
                    entity_id text,
                    before text,
                    after text,
                    created_at bigint NOT NULL
                );
                CREATE INDEX audit_by_subject_time ON audit_log (subject_user_id, created_at);

                -- Row-level security. The catalogue is readable by everyone and written by the service role.
                \(RowLevelSecurity.serviceWritten("api_providers", policyPrefix: "catalogue"))

                \(RowLevelSecurity.ownedRows("user_api_providers"))

                -- Models and aliases: global rows ('' owner) are readable by all, written by the service role.
                \(RowLevelSecurity.sharedAndOwnedRows("aggregator_models", owner: "owner_user_id", policyPrefix: "models"))

                \(RowLevelSecurity.sharedAndOwnedRows("model_aliases", owner: "user_id", policyPrefix: "aliases"))

                \(RowLevelSecurity.ownedRows("aggregator_usage_logs"))

                \(RowLevelSecurity.ownedRows("audit_log", readBy: "subject_user_id", writtenBy: "actor_user_id"))

                """),
        Migration(
            version: 2, name: "catalogue sync and per-user model overrides",
            sql: """
                ALTER TABLE aggregator_models ADD COLUMN source text NOT NULL DEFAULT 'sync' CHECK (source IN ('sync', 'custom'));
                ALTER TABLE aggregator_models ADD COLUMN released_at bigint;
                ALTER TABLE aggregator_models ADD COLUMN description text;
                CREATE INDEX aggregator_models_owner ON aggregator_models (provider_id, owner_user_id, source);
                CREATE TABLE model_overrides (
                    id text PRIMARY KEY,
                    user_id text NOT NULL,
                    provider_id text NOT NULL REFERENCES api_providers (id),
                    model_id text NOT NULL,
                    is_enabled boolean NOT NULL DEFAULT TRUE,
                    display_name text,
                    input_price double precision,
                    output_price double precision,
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    UNIQUE (user_id, provider_id, model_id)
                );
                \(RowLevelSecurity.ownedRows("model_overrides"))
                """),
        Migration(
            version: 3, name: "usage rollup and budgets",
            sql: """
                \(UsageRollupSchema.createTables(integer: "bigint", real: "double precision", layout: .beforeClientAPI))
                \(UsageRollupSchema.rebuildAll(.beforeClientAPI))
                CREATE TABLE usage_budgets (
                    id text PRIMARY KEY,
                    user_id text NOT NULL,
                    provider_id text NOT NULL DEFAULT '',
                    monthly_budget_usd double precision,
                    requests_per_minute bigint,
                    tokens_per_day bigint,
                    alert_thresholds text NOT NULL DEFAULT '[50,80,100]',
                    created_at bigint NOT NULL,
                    updated_at bigint NOT NULL,
                    UNIQUE (user_id, provider_id)
                );
                CREATE TABLE usage_reservations (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    created_at bigint NOT NULL
                );
                CREATE INDEX usage_reservations_user ON usage_reservations (user_id, created_at);
                \(RowLevelSecurity.ownedRows("usage_rollup_hourly"))
                \(RowLevelSecurity.ownedRows("usage_rollup"))
                \(RowLevelSecurity.ownedRows("usage_reservations"))
                \(RowLevelSecurity.ownedRows("usage_budgets"))
                """),
        Migration(version: 4, name: "in-flight requests", sql: InFlightSchema.migration(text: "text", smallInteger: "smallint")),
        // Which wire formats exist is the provider registry's business (`WireFormats`), not the schema's.
        Migration(
            version: 5, name: "api_standard without a CHECK constraint",
            sql: "ALTER TABLE api_providers DROP CONSTRAINT IF EXISTS api_providers_api_standard_check;"),
        // Which client API a request came in by (chat, messages, responses, embeddings, count_tokens):
        // a column of the row and a key of the rollups, so statistics can break down by it.
        Migration(
            version: 6, name: "client API of each request",
            sql: """
                ALTER TABLE aggregator_usage_logs ADD COLUMN api text NOT NULL DEFAULT 'chat';
                DROP TABLE usage_rollup;
                DROP TABLE usage_rollup_hourly;
                \(UsageRollupSchema.createTables(integer: "bigint", real: "double precision"))
                \(UsageRollupSchema.rebuildAll())
                \(RowLevelSecurity.ownedRows("usage_rollup_hourly"))
                \(RowLevelSecurity.ownedRows("usage_rollup"))
                """),
        Migration(version: 7, name: "routing change counter", sql: RoutingVersionSchema.postgres),
        Migration(
            version: 8, name: "usage metrics",
            sql: UsageMetricsSchema.migration(integer: "bigint", real: "double precision") + "\n" + UsageMetricsSchema.postgresPolicy),
    ]
}
