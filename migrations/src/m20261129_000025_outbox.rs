//! The outbox (发件箱, DESIGN.md §2 "notifications through an outbox"): messages to customers
//! written by the business (the daily close's reminders first) in the same transaction as what
//! caused them, and delivered later by a sender that is not built yet, so every row starts
//! `pending`. Plus the indexes the close's reminder step selects through at a million loans.

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
CREATE TABLE outbox_messages (
    id             BIGSERIAL PRIMARY KEY,
    channel        TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'wechat', 'webhook')),
    customer_id    BIGINT NOT NULL REFERENCES customers(id),
    loan_id        BIGINT REFERENCES loans(id),
    -- Copied from the loan for data scope, as warnings do: its department and its manager.
    department_id  BIGINT REFERENCES departments(id),
    manager_id     BIGINT REFERENCES users(id),
    template       TEXT NOT NULL,
    -- The template's figures; amounts as decimal strings, dates as YYYY-MM-DD.
    params         JSONB NOT NULL,
    -- Says what the message is about, so that writing it again (a rerun of the close, a
    -- retried request) never sends it twice.
    dedupe_key     TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    business_date  DATE NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
-- The list's filters and its order (newest first).
CREATE INDEX outbox_messages_date_idx ON outbox_messages (business_date DESC, id DESC);
CREATE INDEX outbox_messages_loan_idx ON outbox_messages (loan_id, id DESC);
-- What a sender will poll.
CREATE INDEX outbox_messages_pending_idx ON outbox_messages (id) WHERE status = 'pending';

-- Reminders select the unsettled installments due on a given day within a partition's loan
-- ids: equality on the date then a range on the loan, instead of every installment due that
-- day for each of a hundred partitions.
CREATE INDEX loan_installments_unsettled_due_loan_idx ON loan_installments (due_date, loan_id)
    WHERE settled_on IS NULL;
-- Overdue reminders look only at loans past due, a small part of the book.
CREATE INDEX loans_past_due_idx ON loans (days_past_due, id) WHERE status = 'active' AND days_past_due > 0;
"#;

const DOWN: &str = r#"
DROP INDEX loans_past_due_idx;
DROP INDEX loan_installments_unsettled_due_loan_idx;
DROP TABLE outbox_messages;
"#;
