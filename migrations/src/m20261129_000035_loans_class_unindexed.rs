//! Two indexes nothing reads, each a cost on every write that touches it:
//!
//! - `loans_classification_idx`: no query selects loans by class (the provision and quality
//!   reports read their summaries; the close reads loans by id range). Because the class was
//!   indexed, every change of class the close makes — 100–200k loans on a month end of the
//!   1M-loan benchmark book — was a non-HOT update that inserted into every index of `loans`.
//!   Without it the close's classification update stays on the page, as its nightly days past
//!   due update already does (000030).
//! - `loan_installments_due_idx (due_date) WHERE settled_on IS NULL`: the leading column of
//!   `loan_installments_unsettled_due_loan_idx (due_date, loan_id)` with the same predicate,
//!   which serves every query it served; each settlement and each overdue transfer wrote both.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
DROP INDEX loans_classification_idx;
DROP INDEX loan_installments_due_idx;
"#;

const DOWN: &str = r#"
CREATE INDEX loan_installments_due_idx ON loan_installments (due_date) WHERE settled_on IS NULL;
CREATE INDEX loans_classification_idx ON loans (classification) WHERE status = 'active';
"#;

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
