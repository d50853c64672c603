//! Credit lines (授信): the application and its review, the approved amount and validity,
//! freezing, and every use of the line by a loan, so the used amount is auditable.

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
CREATE TABLE credit_lines (
    id               BIGSERIAL PRIMARY KEY,
    line_no          TEXT NOT NULL,
    customer_id      BIGINT NOT NULL REFERENCES customers(id),
    requested_amount NUMERIC(18, 2) NOT NULL CHECK (requested_amount > 0),
    -- Set when the review approves; the ceiling of every use.
    approved_amount  NUMERIC(18, 2) CHECK (approved_amount > 0),
    -- Uses less releases, kept with the row locked; never above the approved amount.
    used_amount      NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (used_amount >= 0),
    valid_from       DATE NOT NULL,
    valid_until      DATE NOT NULL,
    purpose          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'returned', 'active',
                         'frozen', 'rejected', 'withdrawn')),
    frozen_reason    TEXT,
    department_id    BIGINT REFERENCES departments(id),
    created_by       BIGINT NOT NULL REFERENCES users(id),
    decided_at       TIMESTAMPTZ,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CHECK (valid_from <= valid_until),
    CHECK (used_amount <= COALESCE(approved_amount, 0)),
    CHECK (status NOT IN ('active', 'frozen') OR approved_amount IS NOT NULL)
);
CREATE UNIQUE INDEX credit_lines_line_no_key ON credit_lines (line_no);
CREATE INDEX credit_lines_department_idx ON credit_lines (department_id, id);
CREATE INDEX credit_lines_customer_idx ON credit_lines (customer_id, id);
CREATE INDEX credit_lines_status_idx ON credit_lines (status, id);
CREATE INDEX credit_lines_created_by_idx ON credit_lines (created_by, id);

-- Every status change: the edge, who and when.
CREATE TABLE credit_line_transitions (
    id          BIGSERIAL PRIMARY KEY,
    line_id     BIGINT NOT NULL REFERENCES credit_lines(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    action      TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT,
    comment     TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_line_transitions_idx ON credit_line_transitions (line_id, id);

-- Insert-only: every draw on a line (use) and every give-back (release), naming what caused
-- it. A reference uses a line once; its releases never exceed what it used.
CREATE TABLE credit_line_uses (
    id             BIGSERIAL PRIMARY KEY,
    line_id        BIGINT NOT NULL REFERENCES credit_lines(id),
    kind           TEXT NOT NULL CHECK (kind IN ('use', 'release')),
    amount         NUMERIC(18, 2) NOT NULL CHECK (amount > 0),
    reference_type TEXT NOT NULL,
    reference_id   BIGINT NOT NULL,
    -- The line's used amount after this entry.
    used_after     NUMERIC(18, 2) NOT NULL CHECK (used_after >= 0),
    actor_id       BIGINT REFERENCES users(id),
    actor_name     TEXT,
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_line_uses_idx ON credit_line_uses (line_id, id);
CREATE UNIQUE INDEX credit_line_uses_reference_key ON credit_line_uses (line_id, reference_type, reference_id)
    WHERE kind = 'use';

-- A loan application may draw on a line of its customer's.
ALTER TABLE loan_applications ADD COLUMN credit_line_id BIGINT REFERENCES credit_lines(id);
CREATE INDEX loan_applications_credit_line_idx ON loan_applications (credit_line_id)
    WHERE credit_line_id IS NOT NULL;
"#;

const DOWN: &str = r#"
DROP INDEX loan_applications_credit_line_idx;
ALTER TABLE loan_applications DROP COLUMN credit_line_id;
DROP TABLE credit_line_uses;
DROP TABLE credit_line_transitions;
DROP TABLE credit_lines;
"#;
