//! Balance snapshots (余额快照) written by the daily close for the average-daily-balance
//! (日均余额) and portfolio-quality (资产质量) reports. A row per loan per day would be a
//! million rows a day; a loan's balance changes on a few days a month, so its history keeps
//! one row per stretch of unchanged figures (effective-dated), and the quality report reads a
//! per-day aggregate that each partition of the close writes once.

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
-- A loan's end-of-day figures from valid_from (the first closed day they held) up to valid_to,
-- exclusive; valid_to is NULL while they are current. Days a loan has no row (before its first
-- close, after it settled) count as a zero balance.
CREATE TABLE loan_balance_history (
    loan_id               BIGINT NOT NULL REFERENCES loans(id),
    valid_from            DATE NOT NULL,
    valid_to              DATE,
    -- 本金-正常 + 逾期 + 展期 + 已减值.
    principal_outstanding NUMERIC(18, 2) NOT NULL CHECK (principal_outstanding >= 0),
    principal_overdue     NUMERIC(18, 2) NOT NULL CHECK (principal_overdue >= 0),
    classification        TEXT NOT NULL,
    PRIMARY KEY (loan_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
-- One current row per loan: a rerun of the close finds it and adds nothing.
CREATE UNIQUE INDEX loan_balance_history_current_key ON loan_balance_history (loan_id) WHERE valid_to IS NULL;

-- The book at the end of a closed day per product and class, one set of rows per partition of
-- the close (so each partition writes its own rows once); the report sums the partitions.
CREATE TABLE portfolio_quality_daily (
    business_date         DATE NOT NULL,
    partition_lo          BIGINT NOT NULL,
    product_code          TEXT NOT NULL,
    classification        TEXT NOT NULL,
    loan_count            BIGINT NOT NULL,
    principal_outstanding NUMERIC(18, 2) NOT NULL,
    principal_overdue     NUMERIC(18, 2) NOT NULL,
    interest_receivable   NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (business_date, partition_lo, product_code, classification)
);
"#;

const DOWN: &str = r#"
DROP TABLE portfolio_quality_daily;
DROP TABLE loan_balance_history;
"#;
