//! The loan and its money (贷款台账): the loan created when its disbursement is approved, its
//! binding installments, its sub-ledger of balances (分户账), and the maker-checker
//! registrations that move money: disbursements (放款登记/复核) and repayments
//! (还款登记/财务确认).

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
CREATE TABLE loans (
    id             BIGSERIAL PRIMARY KEY,
    loan_no        TEXT NOT NULL UNIQUE,
    contract_id    BIGINT NOT NULL UNIQUE REFERENCES loan_contracts(id),
    application_id BIGINT NOT NULL REFERENCES loan_applications(id),
    customer_id    BIGINT NOT NULL REFERENCES customers(id),
    -- Copied from the application for data scope: its department and its customer manager.
    department_id  BIGINT REFERENCES departments(id),
    manager_id     BIGINT NOT NULL REFERENCES users(id),
    status         TEXT NOT NULL CHECK (status IN ('active', 'settled')),
    principal      NUMERIC(18, 2) NOT NULL CHECK (principal > 0),
    annual_rate    NUMERIC(12, 8) NOT NULL,
    method         TEXT NOT NULL,
    term_months    INTEGER NOT NULL,
    value_date     DATE NOT NULL,
    maturity_date  DATE NOT NULL,
    -- The servicing parameters fixed at signing: day basis, penalty multiplier, grace days,
    -- allocation order, VAT rate.
    terms          JSONB NOT NULL,
    settled_on     DATE,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX loans_customer_idx ON loans (customer_id);
CREATE INDEX loans_status_idx ON loans (status, id);

-- 期供: what each period owes and what has been paid against it.
CREATE TABLE loan_installments (
    loan_id          BIGINT NOT NULL REFERENCES loans(id),
    period           INTEGER NOT NULL CHECK (period >= 1),
    start_date       DATE NOT NULL,
    due_date         DATE NOT NULL,
    principal        NUMERIC(18, 2) NOT NULL CHECK (principal >= 0),
    interest         NUMERIC(18, 2) NOT NULL CHECK (interest >= 0),
    fees             NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (fees >= 0),
    paid_principal   NUMERIC(18, 2) NOT NULL DEFAULT 0,
    paid_interest    NUMERIC(18, 2) NOT NULL DEFAULT 0,
    paid_fees        NUMERIC(18, 2) NOT NULL DEFAULT 0,
    paid_penalty     NUMERIC(18, 2) NOT NULL DEFAULT 0,
    paid_compound    NUMERIC(18, 2) NOT NULL DEFAULT 0,
    -- Penalty and compound interest accrued (8 places, memo, off balance sheet) up to
    -- accrued_through, exclusive.
    penalty_accrued  NUMERIC(20, 8) NOT NULL DEFAULT 0,
    compound_accrued NUMERIC(20, 8) NOT NULL DEFAULT 0,
    accrued_through  DATE,
    settled_on       DATE,
    PRIMARY KEY (loan_id, period),
    CHECK (paid_principal BETWEEN 0 AND principal),
    CHECK (paid_interest BETWEEN 0 AND interest),
    CHECK (paid_fees BETWEEN 0 AND fees),
    CHECK (paid_penalty >= 0 AND paid_compound >= 0)
);
CREATE INDEX loan_installments_due_idx ON loan_installments (due_date) WHERE settled_on IS NULL;

-- 分户账: the loan's balances; summed over loans they equal the control accounts.
CREATE TABLE loan_balances (
    loan_id             BIGINT PRIMARY KEY REFERENCES loans(id),
    principal_normal    NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (principal_normal >= 0),
    principal_overdue   NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (principal_overdue >= 0),
    principal_extended  NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (principal_extended >= 0),
    principal_impaired  NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (principal_impaired >= 0),
    interest_receivable NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (interest_receivable >= 0),
    credit_balance      NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
    updated_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE disbursements (
    id                  BIGSERIAL PRIMARY KEY,
    contract_id         BIGINT NOT NULL REFERENCES loan_contracts(id),
    loan_id             BIGINT REFERENCES loans(id),
    status              TEXT NOT NULL CHECK (status IN ('registered', 'approved', 'rejected')),
    amount              NUMERIC(18, 2) NOT NULL CHECK (amount > 0),
    value_date          DATE NOT NULL,
    customer_account_id BIGINT NOT NULL REFERENCES customer_bank_accounts(id),
    fund_account_code   TEXT NOT NULL REFERENCES accounts(code),
    reference           TEXT NOT NULL,
    department_id       BIGINT REFERENCES departments(id),
    registered_by       BIGINT NOT NULL REFERENCES users(id),
    registered_at       TIMESTAMPTZ NOT NULL,
    reviewed_by         BIGINT REFERENCES users(id),
    reviewed_at         TIMESTAMPTZ,
    review_comment      TEXT,
    voucher_id          BIGINT REFERENCES vouchers(id),
    version             INTEGER NOT NULL DEFAULT 1,
    -- Maker and checker are two people, whatever the code does.
    CHECK (reviewed_by IS NULL OR reviewed_by <> registered_by),
    CHECK (status <> 'approved' OR (loan_id IS NOT NULL AND voucher_id IS NOT NULL))
);
-- One live disbursement per contract.
CREATE UNIQUE INDEX disbursements_live_key ON disbursements (contract_id) WHERE status <> 'rejected';
CREATE INDEX disbursements_status_idx ON disbursements (status, id);

CREATE TABLE repayments (
    id                BIGSERIAL PRIMARY KEY,
    loan_id           BIGINT NOT NULL REFERENCES loans(id),
    kind              TEXT NOT NULL CHECK (kind IN ('regular', 'payoff', 'prepayment')),
    status            TEXT NOT NULL CHECK (status IN ('registered', 'confirmed', 'rejected', 'reversed')),
    amount            NUMERIC(18, 2) NOT NULL CHECK (amount > 0),
    channel           TEXT NOT NULL CHECK (channel IN ('cash', 'bank_transfer', 'channel')),
    fund_account_code TEXT NOT NULL REFERENCES accounts(code),
    reference         TEXT NOT NULL,
    value_date        DATE NOT NULL,
    department_id     BIGINT REFERENCES departments(id),
    registered_by     BIGINT NOT NULL REFERENCES users(id),
    registered_at     TIMESTAMPTZ NOT NULL,
    confirmed_by      BIGINT REFERENCES users(id),
    confirmed_at      TIMESTAMPTZ,
    review_comment    TEXT,
    -- The exact split applied on confirmation, per installment and component.
    allocation        JSONB,
    voucher_id        BIGINT REFERENCES vouchers(id),
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK (confirmed_by IS NULL OR confirmed_by <> registered_by),
    CHECK (status <> 'confirmed' OR (voucher_id IS NOT NULL AND allocation IS NOT NULL))
);
CREATE INDEX repayments_loan_idx ON repayments (loan_id, id);
CREATE INDEX repayments_status_idx ON repayments (status, id);
"#;

const DOWN: &str = r#"
DROP TABLE repayments;
DROP TABLE disbursements;
DROP TABLE loan_balances;
DROP TABLE loan_installments;
DROP TABLE loans;
"#;
