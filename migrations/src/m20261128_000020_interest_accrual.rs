//! Interest accrual for the books (RULES.md §1, §10): each installment keeps the interest
//! recognised on it so far — accrued by the daily close (Dr 1132) or received before the
//! close got to it — so that a repayment knows how much of the interest it collects clears
//! the receivable and how much is new income.

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
ALTER TABLE loan_installments ADD COLUMN interest_accrued NUMERIC(18, 2) NOT NULL DEFAULT 0;
-- Interest received before this existed was recognised when received.
UPDATE loan_installments SET interest_accrued = paid_interest WHERE paid_interest > 0;
ALTER TABLE loan_installments ADD CONSTRAINT loan_installments_accrual_bounds
    CHECK (interest_accrued BETWEEN paid_interest AND interest);
"#;

const DOWN: &str = r#"
ALTER TABLE loan_installments
    DROP CONSTRAINT loan_installments_accrual_bounds,
    DROP COLUMN interest_accrued;
"#;
