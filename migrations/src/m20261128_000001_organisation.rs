//! Organisation and sign-in: departments, positions, roles, users, employees, refresh tokens,
//! the audit log, and the `updated_at` trigger every later table uses.

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
CREATE TABLE departments (
    id          BIGSERIAL PRIMARY KEY,
    parent_id   BIGINT REFERENCES departments(id),
    name        TEXT NOT NULL,
    code        TEXT NOT NULL,
    -- '/1/4/9/': the ids from the root down, for "department and below" scopes.
    path        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX departments_code_key ON departments (lower(code));
CREATE INDEX departments_parent_idx ON departments (parent_id);
CREATE INDEX departments_path_idx ON departments (path text_pattern_ops);

CREATE TABLE positions (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX positions_code_key ON positions (lower(code));

CREATE TABLE roles (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    data_scope  TEXT NOT NULL CHECK (data_scope IN ('self', 'department', 'department_tree', 'all')),
    permissions TEXT[] NOT NULL DEFAULT '{}',
    -- Built-in roles (the administrator) cannot be disabled or stripped.
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX roles_code_key ON roles (lower(code));

CREATE TABLE users (
    id                   BIGSERIAL PRIMARY KEY,
    username             TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    department_id        BIGINT REFERENCES departments(id),
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMPTZ,
    last_login_at        TIMESTAMPTZ,
    password_changed_at  TIMESTAMPTZ,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_department_idx ON users (department_id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role_id BIGINT NOT NULL REFERENCES roles(id),
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_idx ON user_roles (role_id);

CREATE TABLE employees (
    id            BIGSERIAL PRIMARY KEY,
    employee_no   TEXT NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT,
    email         TEXT,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    position_id   BIGINT REFERENCES positions(id),
    user_id       BIGINT REFERENCES users(id),
    hired_on      DATE,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_by    BIGINT REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX employees_no_key ON employees (lower(employee_no));
CREATE UNIQUE INDEX employees_user_key ON employees (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX employees_department_idx ON employees (department_id);
CREATE INDEX employees_position_idx ON employees (position_id);

-- Refresh tokens are stored hashed. A family is one sign-in's chain of rotations: presenting
-- a token that was already rotated revokes the whole family.
CREATE TABLE refresh_tokens (
    id          BIGSERIAL PRIMARY KEY,
    family_id   UUID NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    token_hash  TEXT NOT NULL UNIQUE,
    issued_at   TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    rotated_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Insert-only: who changed what, when, with the record before and after.
CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    before      JSONB,
    after       JSONB,
    request_id  TEXT
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, occurred_at DESC);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
"#;

const DOWN: &str = r#"
DROP TABLE audit_log;
DROP FUNCTION audit_log_is_append_only();
DROP TABLE refresh_tokens;
DROP TABLE employees;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE roles;
DROP TABLE positions;
DROP TABLE departments;
"#;
