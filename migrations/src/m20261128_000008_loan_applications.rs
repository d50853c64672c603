//! Loan applications (贷款申请) with their status history, the pre-loan investigation
//! (贷前调查) and its files, and the round-robin cursor of assignment (贷款分单).

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
CREATE TABLE loan_applications (
    id               BIGSERIAL PRIMARY KEY,
    application_no   TEXT NOT NULL,
    customer_id      BIGINT NOT NULL REFERENCES customers(id),
    product_id       BIGINT NOT NULL REFERENCES loan_products(id),
    -- The terms version the application was last saved under.
    product_version  INTEGER NOT NULL,
    amount           NUMERIC(18, 2) NOT NULL CHECK (amount > 0),
    term_months      INTEGER NOT NULL CHECK (term_months > 0),
    repayment_method TEXT NOT NULL,
    annual_rate      NUMERIC(12, 8) NOT NULL CHECK (annual_rate > 0),
    purpose          TEXT NOT NULL,
    vehicle_ids      BIGINT[] NOT NULL DEFAULT '{}',
    guarantor_ids    BIGINT[] NOT NULL DEFAULT '{}',
    status           TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'investigating',
                         'in_review', 'returned', 'approved', 'rejected', 'withdrawn')),
    screening_id     BIGINT REFERENCES risk_screenings(id),
    risk_decision    TEXT,
    risk_grade       TEXT,
    risk_score       INTEGER,
    investigator_id  BIGINT REFERENCES users(id),
    assigned_at      TIMESTAMPTZ,
    department_id    BIGINT REFERENCES departments(id),
    created_by       BIGINT NOT NULL REFERENCES users(id),
    decided_at       TIMESTAMPTZ,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX loan_applications_no_key ON loan_applications (application_no);
CREATE INDEX loan_applications_department_idx ON loan_applications (department_id, id);
CREATE INDEX loan_applications_customer_idx ON loan_applications (customer_id);
CREATE INDEX loan_applications_status_idx ON loan_applications (status, id);
CREATE INDEX loan_applications_investigator_idx ON loan_applications (investigator_id);

-- Every status change: the edge, who and when.
CREATE TABLE loan_application_transitions (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES loan_applications(id),
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    action         TEXT NOT NULL,
    actor_id       BIGINT REFERENCES users(id),
    actor_name     TEXT,
    comment        TEXT,
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX loan_application_transitions_idx ON loan_application_transitions (application_id, id);

CREATE TABLE loan_investigations (
    application_id    BIGINT PRIMARY KEY REFERENCES loan_applications(id),
    findings          TEXT NOT NULL,
    visit_place       TEXT NOT NULL,
    visit_at          TIMESTAMPTZ NOT NULL,
    conclusion        TEXT NOT NULL CHECK (conclusion IN ('recommend', 'conditional', 'decline')),
    conditions        TEXT,
    investigator_id   BIGINT NOT NULL REFERENCES users(id),
    investigator_name TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE loan_investigation_files (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES loan_applications(id),
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    file_key       TEXT NOT NULL,
    uploaded_by    BIGINT NOT NULL REFERENCES users(id),
    uploaded_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX loan_investigation_files_idx ON loan_investigation_files (application_id, id);

-- Round robin (轮询分单): the last investigator given work in each department.
CREATE TABLE loan_assignment_cursors (
    department_id BIGINT PRIMARY KEY REFERENCES departments(id),
    last_user_id  BIGINT NOT NULL REFERENCES users(id)
);
"#;

const DOWN: &str = r#"
DROP TABLE loan_assignment_cursors;
DROP TABLE loan_investigation_files;
DROP TABLE loan_investigations;
DROP TABLE loan_application_transitions;
DROP TABLE loan_applications;
"#;
