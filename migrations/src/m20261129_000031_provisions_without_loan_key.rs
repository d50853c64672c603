//! The allowance kept per loan and date (`loan_provisions`) without a foreign key to `loans`.
//! A month-end close writes a row for every active loan; the key's check probed `loans` and
//! share-locked each loan row, which was a third of the provisions step (33 of 88 ms per
//! partition of ten thousand loans at the 1M-loan benchmark). The rows are written only by the
//! close's provisions step, from loan ids that statement reads from `loans` in the same
//! transaction, and loans are never deleted.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE loan_provisions DROP CONSTRAINT loan_provisions_loan_id_fkey;",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE loan_provisions ADD CONSTRAINT loan_provisions_loan_id_fkey \
                 FOREIGN KEY (loan_id) REFERENCES loans(id);",
            )
            .await?;
        Ok(())
    }
}
