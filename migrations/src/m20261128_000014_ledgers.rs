//! The general ledger (总账): the chart of accounts (会计科目) seeded from RULES.md §9, monthly
//! accounting periods, vouchers (记账凭证) numbered per period, and the business date. Posted
//! vouchers are immutable and a closed period takes no postings: the database refuses both, so
//! no code path can get round them.

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
CREATE TABLE accounts (
    code        TEXT PRIMARY KEY CHECK (code ~ '^[0-9]{4}([0-9]{2})*$'),
    name        TEXT NOT NULL,
    parent_code TEXT REFERENCES accounts(code),
    category    TEXT NOT NULL CHECK (category IN ('asset', 'liability', 'equity', 'profit_and_loss')),
    -- The side on which the balance normally stands.
    direction   TEXT NOT NULL CHECK (direction IN ('debit', 'credit')),
    -- Cash, bank and other funds (1001/1002/1012 and below): what money is paid from or into.
    is_fund     BOOLEAN NOT NULL DEFAULT FALSE,
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX accounts_parent_idx ON accounts (parent_code);

INSERT INTO accounts (code, name, parent_code, category, direction, is_fund) VALUES
    ('1001', '库存现金', NULL, 'asset', 'debit', TRUE),
    ('1002', '银行存款', NULL, 'asset', 'debit', TRUE),
    ('100201', '基本存款账户', '1002', 'asset', 'debit', TRUE),
    ('1012', '其他货币资金', NULL, 'asset', 'debit', TRUE),
    ('1132', '应收利息', NULL, 'asset', 'debit', FALSE),
    ('1221', '其他应收款', NULL, 'asset', 'debit', FALSE),
    ('1303', '贷款', NULL, 'asset', 'debit', FALSE),
    ('130301', '本金-正常', '1303', 'asset', 'debit', FALSE),
    ('130302', '本金-逾期', '1303', 'asset', 'debit', FALSE),
    ('130303', '本金-展期', '1303', 'asset', 'debit', FALSE),
    ('130304', '已减值', '1303', 'asset', 'debit', FALSE),
    ('1304', '贷款损失准备', NULL, 'asset', 'credit', FALSE),
    ('1441', '抵债资产', NULL, 'asset', 'debit', FALSE),
    ('1601', '固定资产', NULL, 'asset', 'debit', FALSE),
    ('1602', '累计折旧', NULL, 'asset', 'credit', FALSE),
    ('2001', '短期借款', NULL, 'liability', 'credit', FALSE),
    ('2203', '预收账款', NULL, 'liability', 'credit', FALSE),
    ('2211', '应付职工薪酬', NULL, 'liability', 'credit', FALSE),
    ('2221', '应交税费', NULL, 'liability', 'credit', FALSE),
    ('222101', '应交增值税(销项税额)', '2221', 'liability', 'credit', FALSE),
    ('2231', '应付利息', NULL, 'liability', 'credit', FALSE),
    ('2241', '其他应付款', NULL, 'liability', 'credit', FALSE),
    ('224101', '客户溢缴款', '2241', 'liability', 'credit', FALSE),
    ('224102', '保证金', '2241', 'liability', 'credit', FALSE),
    ('2501', '长期借款', NULL, 'liability', 'credit', FALSE),
    ('4001', '实收资本', NULL, 'equity', 'credit', FALSE),
    ('4002', '资本公积', NULL, 'equity', 'credit', FALSE),
    ('4101', '盈余公积', NULL, 'equity', 'credit', FALSE),
    ('4102', '一般风险准备', NULL, 'equity', 'credit', FALSE),
    ('4103', '本年利润', NULL, 'equity', 'credit', FALSE),
    ('4104', '利润分配', NULL, 'equity', 'credit', FALSE),
    ('6011', '利息收入', NULL, 'profit_and_loss', 'credit', FALSE),
    ('601101', '正常利息', '6011', 'profit_and_loss', 'credit', FALSE),
    ('601102', '罚息', '6011', 'profit_and_loss', 'credit', FALSE),
    ('601103', '复利', '6011', 'profit_and_loss', 'credit', FALSE),
    ('6021', '手续费及佣金收入', NULL, 'profit_and_loss', 'credit', FALSE),
    ('6051', '其他业务收入', NULL, 'profit_and_loss', 'credit', FALSE),
    ('6301', '营业外收入', NULL, 'profit_and_loss', 'credit', FALSE),
    ('6403', '税金及附加', NULL, 'profit_and_loss', 'debit', FALSE),
    ('6411', '利息支出', NULL, 'profit_and_loss', 'debit', FALSE),
    ('6421', '手续费及佣金支出', NULL, 'profit_and_loss', 'debit', FALSE),
    ('6602', '业务及管理费', NULL, 'profit_and_loss', 'debit', FALSE),
    ('6701', '信用减值损失', NULL, 'profit_and_loss', 'debit', FALSE),
    ('6711', '营业外支出', NULL, 'profit_and_loss', 'debit', FALSE),
    ('6801', '所得税费用', NULL, 'profit_and_loss', 'debit', FALSE);

-- A sub-account takes its parent's category and direction, and an account with postings
-- cannot change either.
CREATE FUNCTION accounts_guard() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_code IS NOT NULL AND EXISTS (
        SELECT 1 FROM accounts p WHERE p.code = NEW.parent_code
           AND (p.category <> NEW.category OR p.direction <> NEW.direction)) THEN
        RAISE EXCEPTION 'a sub-account takes its parent''s category and direction'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'accounts_like_parent';
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.category <> NEW.category OR OLD.direction <> NEW.direction
        OR OLD.code <> NEW.code OR OLD.parent_code IS DISTINCT FROM NEW.parent_code)
       AND EXISTS (SELECT 1 FROM voucher_lines l WHERE l.account_code = OLD.code) THEN
        RAISE EXCEPTION 'account % has postings; its type cannot change', OLD.code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'accounts_in_use';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TABLE accounting_periods (
    -- 'YYYY-MM'
    period     TEXT PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    last_seq   INTEGER NOT NULL DEFAULT 0,
    closed_at  TIMESTAMPTZ,
    closed_by  BIGINT REFERENCES users(id)
);

CREATE TABLE vouchers (
    id            BIGSERIAL PRIMARY KEY,
    period        TEXT NOT NULL REFERENCES accounting_periods(period),
    seq           INTEGER NOT NULL,
    voucher_date  DATE NOT NULL CHECK (to_char(voucher_date, 'YYYY-MM') = period),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'rejected')),
    -- What made it: 'disbursement', 'repayment', 'manual', ... and that record's id.
    source_kind   TEXT NOT NULL,
    source_id     BIGINT,
    summary       TEXT NOT NULL,
    reverses_id   BIGINT REFERENCES vouchers(id),
    created_by    BIGINT REFERENCES users(id),
    reviewed_by   BIGINT REFERENCES users(id),
    created_at    TIMESTAMPTZ NOT NULL,
    posted_at     TIMESTAMPTZ,
    UNIQUE (period, seq),
    CHECK (status <> 'posted' OR posted_at IS NOT NULL)
);
CREATE INDEX vouchers_source_idx ON vouchers (source_kind, source_id);
CREATE INDEX vouchers_date_idx ON vouchers (voucher_date, id);
-- A voucher is reversed at most once.
CREATE UNIQUE INDEX vouchers_reverses_key ON vouchers (reverses_id) WHERE reverses_id IS NOT NULL;

CREATE TABLE voucher_lines (
    voucher_id    BIGINT NOT NULL REFERENCES vouchers(id),
    line_no       INTEGER NOT NULL,
    account_code  TEXT NOT NULL REFERENCES accounts(code),
    debit         NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (debit >= 0),
    credit        NUMERIC(18, 2) NOT NULL DEFAULT 0 CHECK (credit >= 0),
    -- The loan a line belongs to, for the sub-ledger reconciliation.
    loan_id       BIGINT,
    memo          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (voucher_id, line_no),
    CHECK ((debit = 0) <> (credit = 0))
);
CREATE INDEX voucher_lines_account_idx ON voucher_lines (account_code);
CREATE INDEX voucher_lines_loan_idx ON voucher_lines (loan_id) WHERE loan_id IS NOT NULL;

CREATE TRIGGER accounts_guard BEFORE INSERT OR UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_guard();
-- Deleting an account that has postings is refused by the foreign key; disable it instead.

-- Posted vouchers never change: only pending -> posted/rejected moves, and nothing is deleted
-- once posted. A closed period takes no new voucher and no posting.
CREATE FUNCTION vouchers_guard() RETURNS trigger AS $$
DECLARE
    closed BOOLEAN;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'posted' THEN
            RAISE EXCEPTION 'voucher % is posted and cannot be deleted', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'vouchers_immutable';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'voucher % is % and cannot change', OLD.id, OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vouchers_immutable';
    END IF;
    SELECT status = 'closed' INTO closed FROM accounting_periods WHERE period = NEW.period;
    IF closed THEN
        RAISE EXCEPTION 'period % is closed', NEW.period
            USING ERRCODE = 'check_violation', CONSTRAINT = 'period_closed';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER vouchers_guard BEFORE INSERT OR UPDATE OR DELETE ON vouchers
    FOR EACH ROW EXECUTE FUNCTION vouchers_guard();

-- Lines are written while their voucher is pending; posting (pending -> posted) seals them.
CREATE FUNCTION voucher_lines_guard() RETURNS trigger AS $$
BEGIN
    IF (SELECT status FROM vouchers
         WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.voucher_id ELSE NEW.voucher_id END)
       <> 'pending' THEN
        RAISE EXCEPTION 'the lines of a posted or rejected voucher cannot change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vouchers_immutable';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER voucher_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON voucher_lines
    FOR EACH ROW EXECUTE FUNCTION voucher_lines_guard();

-- Every voucher balances, checked when its transaction commits (lines arrive one by one).
CREATE FUNCTION vouchers_balanced() RETURNS trigger AS $$
DECLARE
    d NUMERIC;
    c NUMERIC;
    n INTEGER;
BEGIN
    SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) INTO d, c, n
      FROM voucher_lines WHERE voucher_id = NEW.id;
    IF n < 2 OR d <> c THEN
        RAISE EXCEPTION 'voucher % does not balance: debits %, credits %, % lines', NEW.id, d, c, n
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vouchers_balanced';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER vouchers_balanced AFTER INSERT OR UPDATE ON vouchers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vouchers_balanced();

-- The business date (营业日期): one row. It moves only with the daily close or an
-- administrator's audited command.
CREATE TABLE business_date (
    id         BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    today      DATE NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A money-moving request's idempotency key and the answer it got, stored in the same
-- transaction as the change, so a retry returns the first answer and moves nothing.
CREATE TABLE idempotency_keys (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    key         TEXT NOT NULL CHECK (length(key) BETWEEN 8 AND 100),
    operation   TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      SMALLINT NOT NULL,
    response    JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
"#;

const DOWN: &str = r#"
DROP TABLE idempotency_keys;
DROP TABLE business_date;
DROP TABLE voucher_lines;
DROP TABLE vouchers;
DROP TABLE accounting_periods;
DROP TABLE accounts;
DROP FUNCTION vouchers_balanced();
DROP FUNCTION voucher_lines_guard();
DROP FUNCTION vouchers_guard();
DROP FUNCTION accounts_guard();
"#;
