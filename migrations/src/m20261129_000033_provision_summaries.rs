//! The provisions of a date per class (`provision_summaries`), one set of rows per partition of
//! the close, kept by its primary key as the day's quality aggregate is. The provision report
//! and the general allowance read them; `loan_provisions` keeps the per-loan figures only of
//! the loans that carry an allowance or carried one. A month end wrote a per-loan row for every
//! active loan, most of them normal loans at a rate of 0: at the 1M-loan benchmark that was most
//! of the provisions step, on the one day of the month the close is longest.
//!
//! The dates provisioned before keep all their per-loan rows; their summaries are made from
//! them here (as one partition from 0).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE provision_summaries (
    as_of          DATE NOT NULL,
    partition_lo   BIGINT NOT NULL,
    classification TEXT NOT NULL,
    loan_count     BIGINT NOT NULL,
    balance        NUMERIC(18, 2) NOT NULL,
    rate           NUMERIC(6, 4) NOT NULL,
    allowance      NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (as_of, partition_lo, classification)
);
INSERT INTO provision_summaries (as_of, partition_lo, classification, loan_count, balance, rate, allowance)
SELECT as_of, 0, classification, count(*), sum(balance), max(rate), sum(allowance)
FROM loan_provisions GROUP BY as_of, classification;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE provision_summaries;")
            .await?;
        Ok(())
    }
}
