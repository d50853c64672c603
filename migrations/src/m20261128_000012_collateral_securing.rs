//! Securing the loan with its cars (车辆管理): mortgage registration (抵押登记) and pledge
//! intake (质押入库) per contract and vehicle, their release (解押), and GPS devices.

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
CREATE TABLE collateral_registrations (
    id                 BIGSERIAL PRIMARY KEY,
    vehicle_id         BIGINT NOT NULL REFERENCES vehicles(id),
    contract_id        BIGINT NOT NULL REFERENCES loan_contracts(id),
    kind               TEXT NOT NULL CHECK (kind IN ('mortgage', 'pledge')),
    status             TEXT NOT NULL CHECK (status IN ('registered', 'released')),
    -- Mortgage: the vehicle registry's record.
    registry_office    TEXT,
    certificate_no     TEXT,
    registered_on      DATE NOT NULL,
    -- Pledge: where the car and its keys are kept, and its state at intake.
    yard               TEXT,
    slot               TEXT,
    keys_count         INTEGER,
    condition_note     TEXT,
    -- Release.
    released_on        DATE,
    release_basis      TEXT CHECK (release_basis IN ('settled', 'exception')),
    release_reason     TEXT,
    settlement_cert_no TEXT,
    handover_note      TEXT,
    released_by        BIGINT REFERENCES users(id),
    created_by         BIGINT NOT NULL REFERENCES users(id),
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    CHECK (kind <> 'mortgage' OR (registry_office IS NOT NULL AND certificate_no IS NOT NULL)),
    CHECK (kind <> 'pledge' OR (yard IS NOT NULL AND keys_count IS NOT NULL))
);
-- A car is held for one contract at a time.
CREATE UNIQUE INDEX collateral_registrations_live_key ON collateral_registrations (vehicle_id)
    WHERE status = 'registered';
CREATE INDEX collateral_registrations_contract_idx ON collateral_registrations (contract_id);

CREATE TABLE gps_devices (
    id             BIGSERIAL PRIMARY KEY,
    vehicle_id     BIGINT NOT NULL REFERENCES vehicles(id),
    contract_id    BIGINT REFERENCES loan_contracts(id),
    imei           TEXT NOT NULL,
    sim_no         TEXT,
    kind           TEXT NOT NULL CHECK (kind IN ('wired', 'wireless')),
    install_place  TEXT NOT NULL,
    installer      TEXT NOT NULL,
    installed_on   DATE NOT NULL,
    photo_key      TEXT,
    status         TEXT NOT NULL CHECK (status IN ('installed', 'removed')),
    removed_on     DATE,
    removal_reason TEXT,
    created_by     BIGINT NOT NULL REFERENCES users(id),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
-- One device is in one car at a time.
CREATE UNIQUE INDEX gps_devices_imei_live_key ON gps_devices (imei) WHERE status = 'installed';
CREATE INDEX gps_devices_vehicle_idx ON gps_devices (vehicle_id);
"#;

const DOWN: &str = r#"
DROP TABLE gps_devices;
DROP TABLE collateral_registrations;
"#;
