//! The daily close (日终): one run per business date in ordered, recorded steps; partitioned
//! steps split the loans into id ranges that workers claim with `FOR UPDATE SKIP LOCKED`, each
//! range done and marked in one transaction, so a crash redoes only what did not commit.

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
-- The day the installment's unpaid principal moved to 本金-逾期 (NULL: still normal).
ALTER TABLE loan_installments ADD COLUMN overdue_since DATE;
-- What the overdue transfer looks for each night: due, unpaid, not yet moved.
CREATE INDEX loan_installments_to_transfer_idx ON loan_installments (due_date)
    WHERE settled_on IS NULL AND overdue_since IS NULL;

CREATE TABLE close_runs (
    id            BIGSERIAL PRIMARY KEY,
    business_date DATE NOT NULL UNIQUE,
    status        TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_by    BIGINT REFERENCES users(id),
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ
);

CREATE TABLE close_steps (
    run_id      BIGINT NOT NULL REFERENCES close_runs(id),
    step        TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    rows_done   BIGINT NOT NULL DEFAULT 0,
    voucher_id  BIGINT REFERENCES vouchers(id),
    PRIMARY KEY (run_id, step)
);

CREATE TABLE close_partitions (
    run_id     BIGINT NOT NULL REFERENCES close_runs(id),
    step       TEXT NOT NULL,
    lo         BIGINT NOT NULL,
    hi         BIGINT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    worker     TEXT,
    done_at    TIMESTAMPTZ,
    rows_done  BIGINT NOT NULL DEFAULT 0,
    error      TEXT,
    PRIMARY KEY (run_id, step, lo),
    CHECK (lo < hi)
);
CREATE INDEX close_partitions_pending_idx ON close_partitions (run_id, step) WHERE status = 'pending';

-- Per-loan amounts a step moved, summed into the step's one voucher when it finishes.
CREATE TABLE close_postings (
    run_id   BIGINT NOT NULL REFERENCES close_runs(id),
    step     TEXT NOT NULL,
    loan_id  BIGINT NOT NULL REFERENCES loans(id),
    product  TEXT NOT NULL,
    amount   NUMERIC(18, 2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (run_id, step, loan_id)
);
"#;

const DOWN: &str = r#"
DROP TABLE close_postings;
DROP TABLE close_partitions;
DROP TABLE close_steps;
DROP TABLE close_runs;
DROP INDEX loan_installments_to_transfer_idx;
ALTER TABLE loan_installments DROP COLUMN overdue_since;
"#;
