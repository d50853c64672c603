//! Partial prepayment (部分提前还款): a repayment of kind `prepayment` names the principal it
//! prepays and what the borrower keeps — the term or the installment (RULES.md §6).

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
ALTER TABLE repayments
    ADD COLUMN prepaid_principal NUMERIC(18, 2) CHECK (prepaid_principal > 0),
    ADD COLUMN reamortisation TEXT CHECK (reamortisation IN ('keep_term', 'keep_installment')),
    ADD CONSTRAINT repayments_prepayment_named CHECK (
        (kind = 'prepayment') = (prepaid_principal IS NOT NULL AND reamortisation IS NOT NULL)
    );
"#;

const DOWN: &str = r#"
ALTER TABLE repayments
    DROP CONSTRAINT repayments_prepayment_named,
    DROP COLUMN reamortisation,
    DROP COLUMN prepaid_principal;
"#;
