//! Collateral: vehicles (车辆), their photos and their appraisals (车辆评估).
//!
//! One active vehicle per VIN. A VIN whose check digit fails is kept only with the appraiser's
//! reason for overriding it. Appraisals are insert-only; the newest is the vehicle's value.

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
CREATE TABLE vehicles (
    id                      BIGSERIAL PRIMARY KEY,
    vin                     TEXT NOT NULL CHECK (length(vin) = 17),
    -- Set only when the VIN's check digit fails and the appraiser accepted it anyway.
    vin_override_reason     TEXT,
    plate                   TEXT,
    brand                   TEXT NOT NULL,
    model                   TEXT NOT NULL,
    first_registered_on     DATE NOT NULL,
    mileage_km              BIGINT NOT NULL CHECK (mileage_km >= 0),
    colour                  TEXT,
    transmission            TEXT,
    displacement            TEXT,
    usage                   TEXT NOT NULL,
    accident                BOOLEAN NOT NULL DEFAULT FALSE,
    flood                   BOOLEAN NOT NULL DEFAULT FALSE,
    fire                    BOOLEAN NOT NULL DEFAULT FALSE,
    inspection_expires_on   DATE,
    insurance_expires_on    DATE,
    owner_customer_id       BIGINT REFERENCES customers(id),
    -- The department and person that registered it, for data scope.
    department_id           BIGINT REFERENCES departments(id),
    created_by              BIGINT NOT NULL REFERENCES users(id),
    status                  TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX vehicles_vin_key ON vehicles (vin) WHERE status = 'active';
CREATE INDEX vehicles_plate_idx ON vehicles (plate);
CREATE INDEX vehicles_department_idx ON vehicles (department_id);

CREATE TABLE vehicle_photos (
    id            BIGSERIAL PRIMARY KEY,
    vehicle_id    BIGINT NOT NULL REFERENCES vehicles(id),
    file_key      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    file_name     TEXT,
    uploaded_by   BIGINT REFERENCES users(id),
    uploaded_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX vehicle_photos_vehicle_idx ON vehicle_photos (vehicle_id, id);

CREATE TABLE appraisals (
    id               BIGSERIAL PRIMARY KEY,
    vehicle_id       BIGINT NOT NULL REFERENCES vehicles(id),
    value            NUMERIC(18, 2) NOT NULL CHECK (value > 0),
    appraised_on     DATE NOT NULL,
    method           TEXT NOT NULL,
    condition_grade  TEXT NOT NULL,
    notes            TEXT,
    appraiser_id     BIGINT NOT NULL REFERENCES users(id),
    department_id    BIGINT REFERENCES departments(id),
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX appraisals_vehicle_idx ON appraisals (vehicle_id, appraised_on DESC, id DESC);
CREATE INDEX appraisals_date_idx ON appraisals (appraised_on);
"#;

const DOWN: &str = r#"
DROP TABLE appraisals;
DROP TABLE vehicle_photos;
DROP TABLE vehicles;
"#;
