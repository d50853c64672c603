//! The close at scale and under faults: the index its per-loan statements walk (each loan's
//! unsettled installments in due order), the loans a step could not do (recorded, skipped, and
//! brought up to date by the next close — every step catches a loan up to its date), and
//! provisions asked for on a day that is not a month end.

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
-- The close's statements join a partition's loans to their unpaid installments; without this
-- the planner scanned every installment (docs/BENCHMARKS.md, the daily close: 94.7 s → 30.3 s).
CREATE INDEX loan_installments_unsettled_idx ON loan_installments (loan_id, due_date)
    WHERE settled_on IS NULL;

-- A loan a step failed on: the rest of its partition went on; the loan is done by the next run.
CREATE TABLE close_loan_failures (
    run_id    BIGINT NOT NULL REFERENCES close_runs(id),
    step      TEXT NOT NULL,
    loan_id   BIGINT NOT NULL REFERENCES loans(id),
    error     TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, step, loan_id)
);
CREATE INDEX close_loan_failures_loan_idx ON close_loan_failures (loan_id);

-- 按需计提: provisions made at the close of this business date although it is not a month end.
CREATE TABLE provision_demands (
    business_date DATE PRIMARY KEY,
    requested_by  BIGINT NOT NULL REFERENCES users(id),
    requested_at  TIMESTAMPTZ NOT NULL
);
"#;

const DOWN: &str = r#"
DROP TABLE provision_demands;
DROP TABLE close_loan_failures;
DROP INDEX loan_installments_unsettled_idx;
"#;
