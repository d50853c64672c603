//! An early release of a car (提前解押) only by a second person's approval: the registration
//! waits in `release_requested` while its request, with the reason and the planned hand-over,
//! is approved (the car is released, basis `exception`) or rejected (it stays held). The
//! request keeps who asked and who decided, and when; nobody decides their own request.

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
ALTER TABLE collateral_registrations DROP CONSTRAINT collateral_registrations_status_check;
ALTER TABLE collateral_registrations ADD CONSTRAINT collateral_registrations_status_check
    CHECK (status IN ('registered', 'release_requested', 'released'));
-- A car waiting for its early release is still held: no second registration of it meanwhile.
DROP INDEX collateral_registrations_live_key;
CREATE UNIQUE INDEX collateral_registrations_live_key ON collateral_registrations (vehicle_id)
    WHERE status <> 'released';
-- A released car says on what basis, and an exception says why.
ALTER TABLE collateral_registrations ADD CONSTRAINT collateral_registrations_release_check
    CHECK (status <> 'released' OR (released_on IS NOT NULL AND release_basis IS NOT NULL
        AND handover_note IS NOT NULL
        AND (release_basis <> 'settled' OR settlement_cert_no IS NOT NULL)
        AND (release_basis <> 'exception' OR release_reason IS NOT NULL)));

CREATE TABLE collateral_release_requests (
    id              BIGSERIAL PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES collateral_registrations(id),
    status          TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    reason          TEXT NOT NULL,
    -- 交接记录 as planned: what will be handed back and to whom.
    handover_note   TEXT NOT NULL,
    requested_by    BIGINT NOT NULL REFERENCES users(id),
    requested_at    TIMESTAMPTZ NOT NULL,
    reviewed_by     BIGINT REFERENCES users(id),
    reviewed_at     TIMESTAMPTZ,
    review_comment  TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    -- Maker-checker: nobody decides their own request.
    CHECK (reviewed_by IS NULL OR reviewed_by <> requested_by),
    -- Decided exactly when it has a reviewer; a rejection says why.
    CHECK ((status = 'requested') = (reviewed_by IS NULL AND reviewed_at IS NULL)),
    CHECK (status <> 'rejected' OR review_comment IS NOT NULL)
);
-- One open request per registration.
CREATE UNIQUE INDEX collateral_release_requests_open_key ON collateral_release_requests (registration_id)
    WHERE status = 'requested';
CREATE INDEX collateral_release_requests_status_idx ON collateral_release_requests (status, id);
"#;

const DOWN: &str = r#"
DROP TABLE collateral_release_requests;
ALTER TABLE collateral_registrations DROP CONSTRAINT collateral_registrations_release_check;
DROP INDEX collateral_registrations_live_key;
UPDATE collateral_registrations SET status = 'registered' WHERE status = 'release_requested';
CREATE UNIQUE INDEX collateral_registrations_live_key ON collateral_registrations (vehicle_id)
    WHERE status = 'registered';
ALTER TABLE collateral_registrations DROP CONSTRAINT collateral_registrations_status_check;
ALTER TABLE collateral_registrations ADD CONSTRAINT collateral_registrations_status_check
    CHECK (status IN ('registered', 'released'));
"#;
