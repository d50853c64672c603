//! Risk screening: rule-set versions (insert-only), external provider settings and the stored
//! screening results.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(DOWN).await?;
        Ok(())
    }
}

const UP: &str = r#"
-- Every saved edit of the rule set is a new row; rows are never changed.
CREATE TABLE risk_rule_sets (
    id          BIGSERIAL PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version > 0),
    body        JSONB NOT NULL,
    note        TEXT,
    created_by  BIGINT REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX risk_rule_sets_version_key ON risk_rule_sets (version);

CREATE FUNCTION risk_rule_sets_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'risk_rule_sets is append-only';
END $$;
CREATE TRIGGER risk_rule_sets_append_only BEFORE UPDATE OR DELETE ON risk_rule_sets
    FOR EACH ROW EXECUTE FUNCTION risk_rule_sets_are_append_only();

CREATE TABLE risk_providers (
    kind        TEXT PRIMARY KEY CHECK (kind IN ('court_enforcement', 'credit_bureau', 'vehicle_price')),
    url         TEXT NOT NULL,
    timeout_ms  INTEGER NOT NULL CHECK (timeout_ms BETWEEN 50 AND 60000),
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE risk_screenings (
    id               BIGSERIAL PRIMARY KEY,
    customer_id      BIGINT NOT NULL REFERENCES customers(id),
    -- 0 is the built-in rule set in force before any was saved.
    rule_set_version INTEGER NOT NULL,
    input            JSONB NOT NULL,
    facts            JSONB NOT NULL,
    provider_calls   JSONB NOT NULL,
    score            INTEGER NOT NULL,
    grade            TEXT NOT NULL,
    decision         TEXT NOT NULL CHECK (decision IN ('pass', 'manual_review', 'reject')),
    reasons          JSONB NOT NULL,
    score_lines      JSONB NOT NULL,
    rerun_of         BIGINT REFERENCES risk_screenings(id),
    screened_by      BIGINT REFERENCES users(id),
    screened_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX risk_screenings_customer_idx ON risk_screenings (customer_id, screened_at DESC);
CREATE INDEX risk_screenings_decision_idx ON risk_screenings (decision, screened_at DESC);
"#;

const DOWN: &str = r#"
DROP TABLE risk_screenings;
DROP TABLE risk_providers;
DROP TABLE risk_rule_sets;
DROP FUNCTION risk_rule_sets_are_append_only();
"#;
