//! Five-tier classification (五级分类), non-accrual and loan-loss provisions (RULES.md §8,
//! §10): each loan's class with its DPD floor and its history; a person's class (worse at
//! once, better than the floor only through a reviewed request); the day interest stopped
//! accruing; and the allowance per loan (单项) beside the general one (一般, 1 % of loans).

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
ALTER TABLE loans
    ADD COLUMN days_past_due INTEGER NOT NULL DEFAULT 0 CHECK (days_past_due >= 0),
    ADD COLUMN classification TEXT NOT NULL DEFAULT 'normal'
        CHECK (classification IN ('normal', 'special_mention', 'substandard', 'doubtful', 'loss')),
    ADD COLUMN classification_floor TEXT NOT NULL DEFAULT 'normal'
        CHECK (classification_floor IN ('normal', 'special_mention', 'substandard', 'doubtful', 'loss')),
    -- A person's class: worse than the floor at once, better only once reviewed; it holds
    -- while the floor is no worse than when it was approved.
    ADD COLUMN classification_assigned TEXT
        CHECK (classification_assigned IN ('normal', 'special_mention', 'substandard', 'doubtful', 'loss')),
    ADD COLUMN classification_approved_floor TEXT
        CHECK (classification_approved_floor IN ('normal', 'special_mention', 'substandard', 'doubtful', 'loss')),
    ADD COLUMN non_accrual_since DATE;
CREATE INDEX loans_classification_idx ON loans (classification) WHERE status = 'active';

CREATE TABLE loan_classifications (
    id            BIGSERIAL PRIMARY KEY,
    loan_id       BIGINT NOT NULL REFERENCES loans(id),
    business_date DATE NOT NULL,
    from_class    TEXT NOT NULL,
    to_class      TEXT NOT NULL,
    floor         TEXT NOT NULL,
    days_past_due INTEGER NOT NULL,
    -- 'close' (the DPD floor), 'manual' (a person, worse), 'review' (an approved request).
    source        TEXT NOT NULL CHECK (source IN ('close', 'manual', 'review')),
    reason        TEXT,
    made_by       BIGINT REFERENCES users(id),
    checked_by    BIGINT REFERENCES users(id),
    made_at       TIMESTAMPTZ NOT NULL,
    CHECK (checked_by IS NULL OR checked_by <> made_by)
);
CREATE INDEX loan_classifications_loan_idx ON loan_classifications (loan_id, id);

-- 五级分类审核: a better class than the floor, asked by one person and decided by another.
CREATE TABLE classification_requests (
    id            BIGSERIAL PRIMARY KEY,
    loan_id       BIGINT NOT NULL REFERENCES loans(id),
    status        TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    from_class    TEXT NOT NULL,
    to_class      TEXT NOT NULL CHECK (to_class IN ('normal', 'special_mention', 'substandard', 'doubtful', 'loss')),
    floor         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    requested_by  BIGINT NOT NULL REFERENCES users(id),
    requested_at  TIMESTAMPTZ NOT NULL,
    reviewed_by   BIGINT REFERENCES users(id),
    reviewed_at   TIMESTAMPTZ,
    review_comment TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    CHECK (reviewed_by IS NULL OR reviewed_by <> requested_by)
);
CREATE UNIQUE INDEX classification_requests_open_key ON classification_requests (loan_id)
    WHERE status = 'requested';

-- Allowances: 单项 per loan (the sub-ledger) and 一般 for the book as a whole.
INSERT INTO accounts (code, name, parent_code, category, direction) VALUES
    ('130401', '贷款损失准备-单项', '1304', 'asset', 'credit'),
    ('130402', '贷款损失准备-一般', '1304', 'asset', 'credit');
ALTER TABLE loan_balances ADD COLUMN allowance NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (allowance >= 0);

-- A provision's movement may release allowance: the close's per-loan detail takes signs.
ALTER TABLE close_postings DROP CONSTRAINT close_postings_amount_check;
ALTER TABLE close_postings ADD CONSTRAINT close_postings_amount_check CHECK (amount <> 0);

-- The provision run of a date: per loan, the class, the balance and the allowance it needs.
CREATE TABLE loan_provisions (
    as_of          DATE NOT NULL,
    loan_id        BIGINT NOT NULL REFERENCES loans(id),
    classification TEXT NOT NULL,
    balance        NUMERIC(18, 2) NOT NULL,
    rate           NUMERIC(6, 4) NOT NULL,
    allowance      NUMERIC(18, 2) NOT NULL,
    PRIMARY KEY (as_of, loan_id)
);
"#;

const DOWN: &str = r#"
DROP TABLE loan_provisions;
ALTER TABLE close_postings DROP CONSTRAINT close_postings_amount_check;
ALTER TABLE close_postings ADD CONSTRAINT close_postings_amount_check CHECK (amount > 0);
ALTER TABLE loan_balances DROP COLUMN allowance;
DELETE FROM accounts WHERE code IN ('130401', '130402');
DROP TABLE classification_requests;
DROP TABLE loan_classifications;
DROP INDEX loans_classification_idx;
ALTER TABLE loans
    DROP COLUMN non_accrual_since,
    DROP COLUMN classification_approved_floor,
    DROP COLUMN classification_assigned,
    DROP COLUMN classification_floor,
    DROP COLUMN classification,
    DROP COLUMN days_past_due;
"#;
