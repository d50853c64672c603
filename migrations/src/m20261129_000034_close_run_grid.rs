//! A close run keeps its partition grid (`close_runs.partition_size`): the first worker's
//! `--partition-size` sets it and every worker joining or resuming the run plans on it. Before,
//! each worker planned on its own size, so two workers (or a rerun) with different sizes could
//! hold overlapping ranges of one step at once.
//!
//! Runs before this keep the grid their partitions show.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
ALTER TABLE close_runs ADD COLUMN partition_size BIGINT NOT NULL DEFAULT 10000 CHECK (partition_size > 0);
UPDATE close_runs r SET partition_size = p.size
FROM (SELECT run_id, min(hi - lo) AS size FROM close_partitions GROUP BY run_id) p
WHERE p.run_id = r.id;
ALTER TABLE close_runs ALTER COLUMN partition_size DROP DEFAULT;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE close_runs DROP COLUMN partition_size")
            .await?;
        Ok(())
    }
}
