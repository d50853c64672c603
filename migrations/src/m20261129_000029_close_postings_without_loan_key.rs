//! The close's per-loan postings without a foreign key to `loans`. The interest accrual writes
//! one posting per active loan a day; the key's check locks each referenced loan row
//! (`FOR KEY SHARE`), which writes to every page of `loans` every night. The postings are
//! written only by the close's own statements, from loan ids those statements read from
//! `loans` in the same transaction, and loans are never deleted.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE close_postings DROP CONSTRAINT close_postings_loan_id_fkey;",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE close_postings ADD CONSTRAINT close_postings_loan_id_fkey \
                 FOREIGN KEY (loan_id) REFERENCES loans(id);",
            )
            .await?;
        Ok(())
    }
}
