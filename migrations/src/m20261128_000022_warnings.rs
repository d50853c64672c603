//! Post-loan warnings (贷后预警): configurable rules (days past due, maturity approaching, GPS
//! offline or alarming, insurance or annual inspection expiring, the borrower newly on the
//! blacklist), the GPS platforms' status feed, and the warnings themselves with their handling
//! (open → assigned → handled → closed, each step with who, when and a note).

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
-- 预警规则: a fixed set of rules whose thresholds, levels and switches are configured.
CREATE TABLE warning_rules (
    code        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('dpd', 'maturity', 'gps_offline', 'gps_alarm',
                                              'insurance', 'inspection', 'blacklist')),
    -- dpd: at least this many days past due; maturity, insurance, inspection: within this many
    -- days (an expired insurance or inspection too); gps_offline: no online report for this
    -- many days. The alarm and blacklist rules have none.
    days        INTEGER CHECK (days BETWEEN 1 AND 3650),
    level       TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_by  BIGINT REFERENCES users(id),
    updated_at  TIMESTAMPTZ NOT NULL,
    CHECK ((kind IN ('gps_alarm', 'blacklist')) = (days IS NULL))
);
INSERT INTO warning_rules (code, kind, days, level, sort_order, updated_at) VALUES
    ('dpd_1',       'dpd',         1,    'low',    10, now()),
    ('dpd_30',      'dpd',         30,   'medium', 20, now()),
    ('dpd_90',      'dpd',         90,   'high',   30, now()),
    ('maturity',    'maturity',    30,   'low',    40, now()),
    ('gps_offline', 'gps_offline', 3,    'medium', 50, now()),
    ('gps_alarm',   'gps_alarm',   NULL, 'high',   60, now()),
    ('insurance',   'insurance',   30,   'medium', 70, now()),
    ('inspection',  'inspection',  30,   'low',    80, now()),
    ('blacklist',   'blacklist',   NULL, 'high',   90, now());

-- What GPS platforms report about a fitted device (GPS状态上报), as received.
CREATE TABLE gps_status_reports (
    id           BIGSERIAL PRIMARY KEY,
    device_id    BIGINT NOT NULL REFERENCES gps_devices(id),
    imei         TEXT NOT NULL,
    reported_at  TIMESTAMPTZ NOT NULL,
    online       BOOLEAN NOT NULL,
    alarm        TEXT CHECK (alarm IN ('power_cut', 'tamper', 'geofence', 'low_battery', 'other')),
    message      TEXT,
    received_by  BIGINT NOT NULL REFERENCES users(id),
    received_at  TIMESTAMPTZ NOT NULL
);
-- A platform's retry of the same report is the same report.
CREATE UNIQUE INDEX gps_status_reports_key ON gps_status_reports (device_id, reported_at, (coalesce(alarm, '')));
CREATE INDEX gps_status_reports_device_idx ON gps_status_reports (device_id, reported_at DESC);

-- Each device's latest known state, what the close reads for "offline for N days".
CREATE TABLE gps_device_status (
    device_id         BIGINT PRIMARY KEY REFERENCES gps_devices(id),
    online            BOOLEAN NOT NULL,
    first_reported_at TIMESTAMPTZ NOT NULL,
    last_reported_at  TIMESTAMPTZ NOT NULL,
    -- The latest report that said online (NULL: none yet).
    last_online_at    TIMESTAMPTZ,
    last_alarm        TEXT,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- 预警: one per loan, rule and subject (the occurrence it is about: the overdue episode's
-- oldest due date, the car and its expiry date, the device, the blacklist entry).
CREATE TABLE warnings (
    id            BIGSERIAL PRIMARY KEY,
    loan_id       BIGINT NOT NULL REFERENCES loans(id),
    rule_code     TEXT NOT NULL REFERENCES warning_rules(code),
    kind          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),
    subject       TEXT NOT NULL,
    -- What was seen when it was raised (days past due, the expiry date, the alarm, ...).
    facts         JSONB NOT NULL DEFAULT '{}',
    raised_on     DATE NOT NULL,
    raised_at     TIMESTAMPTZ NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'handled', 'closed')),
    assignee_id   BIGINT REFERENCES users(id),
    -- The loan's department, for data scope.
    department_id BIGINT REFERENCES departments(id),
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK (status = 'open' OR assignee_id IS NOT NULL)
);
-- Raising the same warning again while one is not closed adds nothing.
CREATE UNIQUE INDEX warnings_live_key ON warnings (loan_id, rule_code, subject) WHERE status <> 'closed';
-- The close's "raised before (closed since)?" look-up.
CREATE INDEX warnings_subject_idx ON warnings (loan_id, rule_code, subject);
CREATE INDEX warnings_status_idx ON warnings (status, id);
CREATE INDEX warnings_rule_idx ON warnings (rule_code, id);
CREATE INDEX warnings_assignee_idx ON warnings (assignee_id, id);
CREATE INDEX warnings_department_idx ON warnings (department_id, id);

-- The handling history: every assignment, handling and closing with its note.
CREATE TABLE warning_actions (
    id          BIGSERIAL PRIMARY KEY,
    warning_id  BIGINT NOT NULL REFERENCES warnings(id),
    action      TEXT NOT NULL CHECK (action IN ('assign', 'handle', 'close')),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    assignee_id BIGINT REFERENCES users(id),
    note        TEXT,
    actor_id    BIGINT NOT NULL REFERENCES users(id),
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX warning_actions_warning_idx ON warning_actions (warning_id, id);
"#;

const DOWN: &str = r#"
DROP TABLE warning_actions;
DROP TABLE warnings;
DROP TABLE gps_device_status;
DROP TABLE gps_status_reports;
DROP TABLE warning_rules;
"#;
