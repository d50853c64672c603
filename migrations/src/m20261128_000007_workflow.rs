//! Approval flows: versioned definitions (one per business type), instances, tasks and the
//! event history of every instance.

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
CREATE TABLE flow_definitions (
    id              BIGSERIAL PRIMARY KEY,
    business_type   TEXT NOT NULL,
    name            TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX flow_definitions_business_type_key ON flow_definitions (business_type);

-- Every saved graph; an instance keeps the version it started under.
CREATE TABLE flow_definition_versions (
    definition_id   BIGINT NOT NULL REFERENCES flow_definitions(id),
    version_no      INTEGER NOT NULL,
    graph           JSONB NOT NULL,
    created_by      BIGINT REFERENCES users(id),
    created_by_name TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (definition_id, version_no)
);

CREATE TABLE flow_instances (
    id                      BIGSERIAL PRIMARY KEY,
    definition_id           BIGINT NOT NULL REFERENCES flow_definitions(id),
    definition_version      INTEGER NOT NULL,
    business_type           TEXT NOT NULL,
    business_id             BIGINT NOT NULL,
    -- What the inbox shows, e.g. 'LA20260302-0001 张三 ¥200,000.00'.
    title                   TEXT NOT NULL,
    facts                   JSONB NOT NULL,
    status                  TEXT NOT NULL
        CHECK (status IN ('running', 'returned', 'approved', 'rejected', 'cancelled')),
    current_step            TEXT,
    applicant_id            BIGINT NOT NULL REFERENCES users(id),
    applicant_department_id BIGINT REFERENCES departments(id),
    started_at              TIMESTAMPTZ NOT NULL,
    ended_at                TIMESTAMPTZ,
    version                 INTEGER NOT NULL DEFAULT 1,
    FOREIGN KEY (definition_id, definition_version)
        REFERENCES flow_definition_versions(definition_id, version_no)
);
CREATE INDEX flow_instances_business_idx ON flow_instances (business_type, business_id);

CREATE TABLE flow_tasks (
    id            BIGSERIAL PRIMARY KEY,
    instance_id   BIGINT NOT NULL REFERENCES flow_instances(id),
    step_key      TEXT NOT NULL,
    step_name     TEXT NOT NULL,
    -- Resolved when the task opens, so a later role change does not move work silently.
    candidate_ids BIGINT[] NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    action        TEXT CHECK (action IN ('approve', 'reject', 'return', 'transfer')),
    comment       TEXT,
    acted_by      BIGINT REFERENCES users(id),
    acted_by_name TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    acted_at      TIMESTAMPTZ
);
CREATE INDEX flow_tasks_instance_idx ON flow_tasks (instance_id, id);
CREATE INDEX flow_tasks_inbox_idx ON flow_tasks USING GIN (candidate_ids) WHERE status = 'open';
-- At most one open task per instance: two approvals racing cannot both advance it.
CREATE UNIQUE INDEX flow_tasks_one_open_key ON flow_tasks (instance_id) WHERE status = 'open';

-- The history an application shows: submissions, every action, who and when.
CREATE TABLE flow_events (
    id          BIGSERIAL PRIMARY KEY,
    instance_id BIGINT NOT NULL REFERENCES flow_instances(id),
    task_id     BIGINT REFERENCES flow_tasks(id),
    action      TEXT NOT NULL,
    step_key    TEXT,
    step_name   TEXT,
    to_step     TEXT,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT,
    comment     TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX flow_events_instance_idx ON flow_events (instance_id, id);
"#;

const DOWN: &str = r#"
DROP TABLE flow_events;
DROP TABLE flow_tasks;
DROP TABLE flow_instances;
DROP TABLE flow_definition_versions;
DROP TABLE flow_definitions;
"#;
