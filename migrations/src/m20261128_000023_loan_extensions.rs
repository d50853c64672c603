//! Extensions (展期, RULES.md §7) as the books will keep them: applied for before maturity,
//! within the cumulative limit, regenerating the schedule from the extension date. Granting
//! them is a later capability; the extensions ledger (展期台账) reads this table now.

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
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE loan_extensions;")
            .await?;
        Ok(())
    }
}

const UP: &str = r#"
CREATE TABLE loan_extensions (
    id               BIGSERIAL PRIMARY KEY,
    loan_id          BIGINT NOT NULL REFERENCES loans(id),
    status           TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    applied_on       DATE NOT NULL,
    extension_months INTEGER NOT NULL CHECK (extension_months > 0),
    old_maturity     DATE NOT NULL,
    new_maturity     DATE NOT NULL CHECK (new_maturity > old_maturity),
    -- The principal carried into 本金-展期.
    principal        NUMERIC(18, 2) NOT NULL CHECK (principal > 0),
    new_annual_rate  NUMERIC(12, 8) NOT NULL CHECK (new_annual_rate >= 0),
    -- Granted for financial difficulty: a restructuring, classified at least 关注.
    restructuring    BOOLEAN NOT NULL DEFAULT FALSE,
    department_id    BIGINT REFERENCES departments(id),
    requested_by     BIGINT NOT NULL REFERENCES users(id),
    requested_at     TIMESTAMPTZ NOT NULL,
    approved_by      BIGINT REFERENCES users(id),
    approved_at      TIMESTAMPTZ,
    CHECK (approved_by IS NULL OR approved_by <> requested_by)
);
CREATE INDEX loan_extensions_loan_idx ON loan_extensions (loan_id);
"#;
