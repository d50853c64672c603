//! Customers: grades, individual and enterprise customers (one table, so a loan names one
//! customer id), their bank accounts and documents, the blacklist and prospects.
//!
//! Personal data (ID numbers, mobile numbers, bank account numbers) is stored only encrypted
//! (`*_cipher`: `<key id>:<hex>`) beside a keyed hash (`*_hash`) for exact search.

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
CREATE TABLE customer_grades (
    id          BIGSERIAL PRIMARY KEY,
    -- 'customer' grades (客户等级) or 'prospect' grades (意向客户等级).
    scope       TEXT NOT NULL CHECK (scope IN ('customer', 'prospect')),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    criteria    TEXT,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX customer_grades_code_key ON customer_grades (scope, lower(code));

CREATE TABLE customers (
    id                    BIGSERIAL PRIMARY KEY,
    kind                  TEXT NOT NULL CHECK (kind IN ('individual', 'enterprise')),
    name                  TEXT NOT NULL,
    -- Individuals.
    id_number_cipher      TEXT,
    id_number_hash        TEXT,
    birth_date            DATE,
    sex                   TEXT CHECK (sex IN ('male', 'female')),
    mobile_cipher         TEXT,
    mobile_hash           TEXT,
    employer              TEXT,
    monthly_income        NUMERIC(18, 2),
    marital_status        TEXT,
    education             TEXT,
    -- Enterprises.
    credit_code           TEXT,
    registered_capital    NUMERIC(18, 2),
    founded_on            DATE,
    industry              TEXT,
    legal_rep_customer_id BIGINT REFERENCES customers(id),
    legal_rep_name        TEXT,
    legal_rep_id_cipher   TEXT,
    legal_rep_id_hash     TEXT,
    -- Both.
    addresses             JSONB NOT NULL DEFAULT '[]',
    contacts              JSONB NOT NULL DEFAULT '[]',
    grade_id              BIGINT REFERENCES customer_grades(id),
    manager_id            BIGINT NOT NULL REFERENCES users(id),
    department_id         BIGINT REFERENCES departments(id),
    status                TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_by            BIGINT REFERENCES users(id),
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    CHECK (kind <> 'individual' OR (id_number_hash IS NOT NULL AND mobile_hash IS NOT NULL)),
    CHECK (kind <> 'enterprise' OR credit_code IS NOT NULL)
);
-- One customer per ID number and per credit code.
CREATE UNIQUE INDEX customers_id_number_key ON customers (id_number_hash) WHERE id_number_hash IS NOT NULL;
CREATE UNIQUE INDEX customers_credit_code_key ON customers (credit_code) WHERE credit_code IS NOT NULL;
CREATE INDEX customers_mobile_idx ON customers (mobile_hash);
CREATE INDEX customers_manager_idx ON customers (manager_id, id);
CREATE INDEX customers_department_idx ON customers (department_id, id);
CREATE INDEX customers_grade_idx ON customers (grade_id, id);
CREATE INDEX customers_kind_idx ON customers (kind, id);
CREATE INDEX customers_name_idx ON customers (name text_pattern_ops);

CREATE TABLE customer_bank_accounts (
    id            BIGSERIAL PRIMARY KEY,
    customer_id   BIGINT NOT NULL REFERENCES customers(id),
    bank_name     TEXT NOT NULL,
    branch        TEXT,
    account_type  TEXT NOT NULL CHECK (account_type IN ('card', 'account')),
    number_cipher TEXT NOT NULL,
    number_hash   TEXT NOT NULL,
    holder_name   TEXT NOT NULL,
    is_primary    BOOLEAN NOT NULL DEFAULT FALSE,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_by    BIGINT REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX customer_bank_accounts_number_key
    ON customer_bank_accounts (customer_id, number_hash) WHERE status = 'active';
CREATE UNIQUE INDEX customer_bank_accounts_primary_key
    ON customer_bank_accounts (customer_id) WHERE is_primary AND status = 'active';
CREATE INDEX customer_bank_accounts_hash_idx ON customer_bank_accounts (number_hash);

CREATE TABLE customer_documents (
    id            BIGSERIAL PRIMARY KEY,
    customer_id   BIGINT NOT NULL REFERENCES customers(id),
    kind          TEXT NOT NULL,
    file_key      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    file_name     TEXT,
    uploaded_by   BIGINT REFERENCES users(id),
    uploaded_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_documents_customer_idx ON customer_documents (customer_id, id);

CREATE TABLE blacklist_entries (
    id            BIGSERIAL PRIMARY KEY,
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('id_number', 'mobile', 'credit_code')),
    value_cipher  TEXT NOT NULL,
    value_hash    TEXT NOT NULL,
    subject_name  TEXT,
    reason        TEXT NOT NULL,
    source        TEXT NOT NULL,
    effective_on  DATE NOT NULL,
    expires_on    DATE,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lifted')),
    lifted_at     TIMESTAMPTZ,
    lifted_by     BIGINT REFERENCES users(id),
    lift_reason   TEXT,
    created_by    BIGINT REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK (expires_on IS NULL OR expires_on > effective_on)
);
CREATE UNIQUE INDEX blacklist_entries_value_key
    ON blacklist_entries (subject_kind, value_hash) WHERE status = 'active';
CREATE INDEX blacklist_entries_hash_idx ON blacklist_entries (value_hash);

CREATE TABLE prospects (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL,
    mobile_cipher TEXT NOT NULL,
    mobile_hash   TEXT NOT NULL,
    source        TEXT,
    grade_id      BIGINT REFERENCES customer_grades(id),
    follow_up_on  DATE,
    notes         TEXT,
    manager_id    BIGINT NOT NULL REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'converted', 'dropped')),
    customer_id   BIGINT REFERENCES customers(id),
    created_by    BIGINT REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX prospects_manager_idx ON prospects (manager_id, id);
CREATE INDEX prospects_department_idx ON prospects (department_id, id);
CREATE INDEX prospects_mobile_idx ON prospects (mobile_hash);
CREATE INDEX prospects_follow_up_idx ON prospects (follow_up_on) WHERE status = 'open';
"#;

const DOWN: &str = r#"
DROP TABLE prospects;
DROP TABLE blacklist_entries;
DROP TABLE customer_documents;
DROP TABLE customer_bank_accounts;
DROP TABLE customers;
DROP TABLE customer_grades;
"#;
