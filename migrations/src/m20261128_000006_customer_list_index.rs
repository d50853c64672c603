//! The customer list filtered by department and grade (the usual manager's view) counts its
//! total from this index alone; measured in docs/BENCHMARKS.md (customers).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX customers_department_grade_idx ON customers (department_id, grade_id, id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX customers_department_grade_idx")
            .await?;
        Ok(())
    }
}
