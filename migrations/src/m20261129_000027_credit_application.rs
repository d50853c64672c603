//! Credit applied by the daily close (溢缴款冲抵, RULES.md §4): when an installment falls due
//! and the borrower's credit balance can pay it, the close applies the credit as a repayment of
//! no cash. It is kept with the repayments (kind `credit_application`, channel
//! `credit_balance`) so the repayments ledger and the borrower's statement show it; nobody
//! registers it, and it brings no money. The partial index lets the close find the few loans
//! holding credit without reading the others.

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
    DROP CONSTRAINT repayments_kind_check,
    DROP CONSTRAINT repayments_channel_check,
    DROP CONSTRAINT repayments_amount_check,
    ALTER COLUMN registered_by DROP NOT NULL,
    ADD CONSTRAINT repayments_kind_check
        CHECK (kind IN ('regular', 'payoff', 'prepayment', 'credit_application')),
    ADD CONSTRAINT repayments_channel_check
        CHECK (channel IN ('cash', 'bank_transfer', 'channel', 'credit_balance')),
    -- `amount` is the money received: an application from credit brings none.
    ADD CONSTRAINT repayments_amount_check
        CHECK (CASE WHEN kind = 'credit_application' THEN amount = 0 ELSE amount > 0 END),
    -- Only the close applies credit, and it registers nothing else.
    ADD CONSTRAINT repayments_credit_application CHECK (
        (kind = 'credit_application') = (channel = 'credit_balance')
        AND (kind = 'credit_application') = (registered_by IS NULL)
    );
CREATE INDEX loan_balances_credit_idx ON loan_balances (loan_id) WHERE credit_balance > 0;
"#;

// Fails while applications from credit exist: they would have nowhere to go.
const DOWN: &str = r#"
DROP INDEX loan_balances_credit_idx;
ALTER TABLE repayments
    DROP CONSTRAINT repayments_credit_application,
    DROP CONSTRAINT repayments_amount_check,
    DROP CONSTRAINT repayments_channel_check,
    DROP CONSTRAINT repayments_kind_check,
    ALTER COLUMN registered_by SET NOT NULL,
    ADD CONSTRAINT repayments_kind_check CHECK (kind IN ('regular', 'payoff', 'prepayment')),
    ADD CONSTRAINT repayments_channel_check CHECK (channel IN ('cash', 'bank_transfer', 'channel')),
    ADD CONSTRAINT repayments_amount_check CHECK (amount > 0);
"#;
