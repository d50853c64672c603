//! Loan contracts (借款合同): generated on approval with the terms and schedule fixed as a
//! snapshot, signed with date, place, witnesses and the signed scan.

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
CREATE TABLE loan_contracts (
    id                        BIGSERIAL PRIMARY KEY,
    contract_no               TEXT NOT NULL,
    application_id            BIGINT NOT NULL REFERENCES loan_applications(id),
    status                    TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'voided')),
    planned_disbursement_date DATE NOT NULL,
    -- The terms, fees, annualised rates and drafted schedule, fixed when generated.
    terms                     JSONB NOT NULL,
    scan_file_key             TEXT,
    scan_content_type         TEXT,
    signed_on                 DATE,
    signed_place              TEXT,
    witnesses                 TEXT[] NOT NULL DEFAULT '{}',
    signed_by                 BIGINT REFERENCES users(id),
    void_reason               TEXT,
    created_by                BIGINT NOT NULL REFERENCES users(id),
    version                   INTEGER NOT NULL DEFAULT 1,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX loan_contracts_no_key ON loan_contracts (contract_no);
-- One live contract per application.
CREATE UNIQUE INDEX loan_contracts_live_key ON loan_contracts (application_id)
    WHERE status <> 'voided';

CREATE TABLE loan_contract_transitions (
    id          BIGSERIAL PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES loan_contracts(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    action      TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users(id),
    actor_name  TEXT,
    comment     TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX loan_contract_transitions_idx ON loan_contract_transitions (contract_id, id);
"#;

const DOWN: &str = r#"
DROP TABLE loan_contract_transitions;
DROP TABLE loan_contracts;
"#;
