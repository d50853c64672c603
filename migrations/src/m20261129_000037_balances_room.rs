//! Room on the balance rows' pages for a second copy of every row (fillfactor 45, was 70 from
//! 000028). The accrual rewrites every active loan's balance row each night, a partition's ten
//! thousand rows in one transaction, so every row of a page gets a new version before any old
//! one can be pruned: at 70 % only the first few rows of each page found room, and 44 % of the
//! balance updates of a 1M-loan close went to another page and into the key's index
//! (`pg_stat_user_tables`, docs/BENCHMARKS.md runs 47–). At 45 % a page holds its rows twice;
//! the table is small (a row per loan), so the extra pages cost little. New pages only: an
//! existing book gets it from `VACUUM FULL loan_balances`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE loan_balances SET (fillfactor = 45);")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE loan_balances SET (fillfactor = 70);")
            .await?;
        Ok(())
    }
}
