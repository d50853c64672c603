//! The scan of a mortgage registration certificate (or a pledge hand-over sheet).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE collateral_registrations ADD COLUMN document_key TEXT, \
                 ADD COLUMN document_content_type TEXT",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE collateral_registrations DROP COLUMN document_key, \
                 DROP COLUMN document_content_type",
            )
            .await?;
        Ok(())
    }
}
