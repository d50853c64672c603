//! Undoing a confirmed repayment only through an approved reversal (冲正), and fees received
//! outside the installments — consulting fees (咨询费登记/复核) — with their own maker-checker.

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
-- The installments and balances a confirmed repayment found, so an approved reversal can put
-- them back exactly.
ALTER TABLE repayments ADD COLUMN restore JSONB;

CREATE TABLE repayment_reversals (
    id            BIGSERIAL PRIMARY KEY,
    repayment_id  BIGINT NOT NULL REFERENCES repayments(id),
    status        TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    reason        TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    requested_by  BIGINT NOT NULL REFERENCES users(id),
    requested_at  TIMESTAMPTZ NOT NULL,
    reviewed_by   BIGINT REFERENCES users(id),
    reviewed_at   TIMESTAMPTZ,
    review_comment TEXT,
    voucher_id    BIGINT REFERENCES vouchers(id),
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK (reviewed_by IS NULL OR reviewed_by <> requested_by)
);
-- One open or approved reversal per repayment.
CREATE UNIQUE INDEX repayment_reversals_live_key ON repayment_reversals (repayment_id)
    WHERE status <> 'rejected';

CREATE TABLE fee_receipts (
    id                BIGSERIAL PRIMARY KEY,
    contract_id       BIGINT NOT NULL REFERENCES loan_contracts(id),
    -- 'consulting' (咨询费), 'service', 'gps' ...
    fee_type          TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('registered', 'approved', 'rejected')),
    amount            NUMERIC(18, 2) NOT NULL CHECK (amount > 0),
    vat_rate          NUMERIC(6, 4) NOT NULL,
    fund_account_code TEXT NOT NULL REFERENCES accounts(code),
    reference         TEXT NOT NULL,
    value_date        DATE NOT NULL,
    department_id     BIGINT REFERENCES departments(id),
    registered_by     BIGINT NOT NULL REFERENCES users(id),
    registered_at     TIMESTAMPTZ NOT NULL,
    reviewed_by       BIGINT REFERENCES users(id),
    reviewed_at       TIMESTAMPTZ,
    review_comment    TEXT,
    voucher_id        BIGINT REFERENCES vouchers(id),
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK (reviewed_by IS NULL OR reviewed_by <> registered_by),
    CHECK (status <> 'approved' OR voucher_id IS NOT NULL)
);
CREATE INDEX fee_receipts_status_idx ON fee_receipts (status, id);
"#;

const DOWN: &str = r#"
DROP TABLE fee_receipts;
DROP TABLE repayment_reversals;
ALTER TABLE repayments DROP COLUMN restore;
"#;
