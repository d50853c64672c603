//! Each of the close's per-loan postings keeps its loan's VAT rate, so a step's voucher sums its
//! postings per product and rate from one range of their key. It joined every posting to its
//! loan for the rate instead: two seconds a night for the accrual's million postings at the
//! 1M-loan benchmark, between the step's last partition and its voucher. Postings written
//! before have none (the voucher query looks theirs up from the loan).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE close_postings ADD COLUMN vat_rate NUMERIC;")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE close_postings DROP COLUMN vat_rate;")
            .await?;
        Ok(())
    }
}
