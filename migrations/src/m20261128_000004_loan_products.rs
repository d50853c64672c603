//! Loan products (贷款产品) and their terms, versioned: a product row points at its current
//! version; version rows are insert-only so a loan can keep the one it was signed under.

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
CREATE TABLE loan_products (
    id               BIGSERIAL PRIMARY KEY,
    code             TEXT NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT,
    collateral_kind  TEXT NOT NULL CHECK (collateral_kind IN ('mortgage', 'pledge')),
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    current_version  INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX loan_products_code_key ON loan_products (lower(code));
CREATE INDEX loan_products_status_idx ON loan_products (status, code);
CREATE INDEX loan_products_collateral_idx ON loan_products (collateral_kind, code);

CREATE TABLE loan_product_versions (
    id               BIGSERIAL PRIMARY KEY,
    product_id       BIGINT NOT NULL REFERENCES loan_products(id),
    version_no       INTEGER NOT NULL CHECK (version_no > 0),
    name             TEXT NOT NULL,
    terms            JSONB NOT NULL,
    worst_apr_pct    NUMERIC(9, 4) NOT NULL,
    cap_status       TEXT NOT NULL CHECK (cap_status IN ('ok', 'warning')),
    created_by       BIGINT REFERENCES users(id),
    created_by_name  TEXT,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX loan_product_versions_no_key ON loan_product_versions (product_id, version_no);
"#;

const DOWN: &str = r#"
DROP TABLE loan_product_versions;
DROP TABLE loan_products;
"#;
