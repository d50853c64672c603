//! What the close writes every night, made cheap to write (docs/BENCHMARKS.md, runs 10–12):
//!
//! - `loans_past_due_idx` goes: classification rewrites the days past due of every overdue
//!   loan every night, and an index on that column made each of those updates non-HOT, so it
//!   inserted into all seven indexes of `loans` (423k updates, 347 HOT, in three closes of the
//!   1M-loan book). The overdue reminders find their loans through the unpaid installments
//!   falling on the reminder days instead (`loan_installments_unsettled_due_loan_idx`).
//! - `loans` gets room on its pages (fillfactor 85, as the installments have), so that update
//!   can stay on the page. New pages only: an existing large book needs `VACUUM FULL loans`.
//! - The outbox and the close's postings lose their foreign keys: each row's check probed the
//!   referenced tables and share-locked the referenced rows — the same few department, user and
//!   close-run rows for every message and posting, from every lane of the close at once — and
//!   cost more than writing the row (reminders: 30 of 53 ms per partition). Both are written
//!   only by the close's own statements from rows those statements read in the same
//!   transaction, and none of the referenced rows is ever deleted.

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
DROP INDEX loans_past_due_idx;
ALTER TABLE loans SET (fillfactor = 85);
ALTER TABLE close_postings DROP CONSTRAINT close_postings_run_id_fkey;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_customer_id_fkey;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_loan_id_fkey;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_department_id_fkey;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_manager_id_fkey;
"#;

const DOWN: &str = r#"
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES users(id);
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_department_id_fkey FOREIGN KEY (department_id) REFERENCES departments(id);
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_loan_id_fkey FOREIGN KEY (loan_id) REFERENCES loans(id);
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(id);
ALTER TABLE close_postings ADD CONSTRAINT close_postings_run_id_fkey FOREIGN KEY (run_id) REFERENCES close_runs(id);
ALTER TABLE loans RESET (fillfactor);
CREATE INDEX loans_past_due_idx ON loans (days_past_due, id) WHERE status = 'active' AND days_past_due > 0;
"#;
