//! Room on each page for the rows the close rewrites every night. The interest accrual updates
//! every active loan's current installment and its balance row each day; with pages packed full
//! (the default, and what a bulk load leaves) every such update moves the row to another page
//! and inserts into every index of the table, where an update on the same page (HOT) touches no
//! index. Applies to pages written from now on; an existing large book gets it from
//! `VACUUM FULL` (or pg_repack) in a maintenance window.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE loan_installments SET (fillfactor = 85);
                 ALTER TABLE loan_balances SET (fillfactor = 70);",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE loan_installments RESET (fillfactor);
                 ALTER TABLE loan_balances RESET (fillfactor);",
            )
            .await?;
        Ok(())
    }
}
