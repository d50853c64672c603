//! Each loan names its product (`loans.product_id`, the application's, fixed at disbursement),
//! so the close's per-loan postings and the day's quality aggregate find the product from the
//! loan row they read anyway. Before, every accrual posting and every loan's snapshot probed
//! the application for it: two million probes of `loan_applications` a night at 1M loans, 21
//! of 370 ms of an accrual partition and 17 of 90 ms of a snapshot partition in the profile of
//! docs/BENCHMARKS.md, runs 47–61.
//!
//! The backfill writes a new version of every loan row: a large existing book wants
//! `VACUUM FULL loans` after it, as for 000030, to get its pages compact again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
ALTER TABLE loans ADD COLUMN product_id BIGINT REFERENCES loan_products(id);
UPDATE loans l SET product_id = a.product_id FROM loan_applications a WHERE a.id = l.application_id;
ALTER TABLE loans ALTER COLUMN product_id SET NOT NULL;
"#;

const DOWN: &str = r#"
ALTER TABLE loans DROP COLUMN product_id;
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
