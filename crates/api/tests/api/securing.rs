//! Securing a signed contract with its car over HTTP: mortgage registration, pledge refused
//! for a mortgage product, GPS with a checked IMEI, and the disbursement readiness they add up
//! to. Releasing the car (解押) is in `release.rs`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::contracts::{
    SCAN, approved, approved_at, generate, one_step_flow, sign_body, upload_scan,
};
use crate::helpers::*;
use crate::origination::{Cast, cast};

/// A signed contract for 100 000 on the cast's car (the product: mortgage, GPS required).
pub async fn signed_contract(app: &TestApp, c: &Cast) -> Value {
    signed_contract_at(app, c, "0.12").await
}

/// The same at another annual rate.
pub async fn signed_contract_at(app: &TestApp, c: &Cast, rate: &str) -> Value {
    one_step_flow(app, c).await;
    let a = approved_at(app, c, "100000", rate).await;
    let k = expect_json(
        generate(app, c, &a, "2026-03-10").await,
        StatusCode::CREATED,
    )
    .await;
    let k = expect_json(upload_scan(app, c, &k, SCAN).await, StatusCode::OK).await;
    expect_json(
        app.post(
            &format!("/api/v1/contracts/{}/sign", k["id"]),
            Some(&c.admin),
            &sign_body(&k["version"], json!(["王见证"])),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn readiness(app: &TestApp, c: &Cast, k: &Value) -> Vec<(String, bool)> {
    let held = expect_json(
        app.get(
            &format!("/api/v1/contracts/{}/collateral", k["id"]),
            &c.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    held["readiness"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap().to_string(),
                x["ok"].as_bool().unwrap(),
            )
        })
        .collect()
}

pub fn mortgage(vehicle: i64) -> Value {
    json!({"vehicleId": vehicle, "registryOffice": "北京市公安局公安交通管理局车辆管理所",
           "certificateNo": "110012345678", "registeredOn": "2026-03-02"})
}

pub fn gps(vehicle: i64, imei: &str) -> Value {
    json!({"vehicleId": vehicle, "imei": imei, "simNo": "1064812345678", "kind": "wired",
           "installPlace": "仪表台下", "installer": "赵师傅", "installedOn": "2026-03-02"})
}

#[tokio::test]
async fn a_signed_contract_is_ready_for_disbursement_once_its_car_is_mortgaged_and_tracked() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let k = signed_contract(&app, &c).await;
    assert_eq!(
        readiness(&app, &c, &k).await,
        vec![
            ("contract_signed".into(), true),
            ("mortgage_registered".into(), false),
            ("gps_installed".into(), false),
        ]
    );
    let path = format!("/api/v1/contracts/{}/mortgages", k["id"]);

    // Another car, not in the contract; a pledge for a mortgage product.
    let other = expect_json(
        app.post(
            "/api/v1/vehicles",
            Some(&c.admin),
            &json!({"vin": "1HGCM82633A004352", "brand": "本田", "model": "雅阁",
                    "firstRegisteredOn": "2020-01-10", "mileageKm": 30000, "usage": "private"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let p = expect_problem(
        app.post(
            &path,
            Some(&c.admin),
            &mortgage(other["id"].as_i64().unwrap()),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("vehicleId".into(), "not_in_contract".into())]
    );
    expect_problem(
        app.post(
            &format!("/api/v1/contracts/{}/pledges", k["id"]),
            Some(&c.admin),
            &json!({"vehicleId": c.vehicle, "yard": "一号库", "keysCount": 2,
                    "conditionNote": "外观完好", "intakeOn": "2026-03-02"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "wrong_security_kind",
    )
    .await;

    let m = expect_json(
        app.post(&path, Some(&c.admin), &mortgage(c.vehicle)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(m["kind"], "mortgage");
    assert_eq!(m["certificateNo"], "110012345678");
    expect_problem(
        app.post(&path, Some(&c.admin), &mortgage(c.vehicle)).await,
        StatusCode::CONFLICT,
        "already_held",
    )
    .await;

    // The certificate's scan, and the mortgage query finds the car by its plate.
    let scanned = app
        .client
        .post(app.url(&format!(
            "/api/v1/collateral-registrations/{}/document",
            m["id"]
        )))
        .bearer_auth(&c.admin)
        .header("content-type", "application/octet-stream")
        .body(b"%PDF-1.7 registration certificate".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_json(scanned, StatusCode::OK).await["hasDocument"],
        true
    );
    let found = expect_json(
        app.get(
            "/api/v1/collateral-registrations?kind=mortgage&status=registered&q=京A123",
            &c.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["certificateNo"], "110012345678");
    assert_eq!(found["items"][0]["contractNo"], k["contractNo"]);
    assert_eq!(found["items"][0]["borrowerName"], "借款人甲");
    assert_eq!(found["items"][0]["hasDocument"], true);
    let none = expect_json(
        app.get("/api/v1/collateral-registrations?kind=pledge", &c.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none["total"], 0);

    // The IMEI's Luhn digit catches a typo.
    let gps_path = format!("/api/v1/contracts/{}/gps-devices", k["id"]);
    let p = expect_problem(
        app.post(
            &gps_path,
            Some(&c.admin),
            &gps(c.vehicle, "490154203237517"),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("imei".into(), "invalid_check_digit".into())]
    );
    let device = expect_json(
        app.post(
            &gps_path,
            Some(&c.admin),
            &gps(c.vehicle, "490154203237518"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_problem(
        app.post(
            &gps_path,
            Some(&c.admin),
            &gps(c.vehicle, "490154203237518"),
        )
        .await,
        StatusCode::CONFLICT,
        "device_in_use",
    )
    .await;
    let held = expect_json(
        app.get(
            &format!("/api/v1/contracts/{}/collateral", k["id"]),
            &c.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(held["readiness"]["ready"], true);

    // The GPS ledger lists the device, found by its IMEI.
    let ledger = expect_json(
        app.get("/api/v1/gps-devices?status=installed&q=4901542", &c.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ledger["total"], 1);
    assert_eq!(ledger["items"][0]["vin"], "1M8GDM9AXKP042788");

    // The device comes out: the loan is no longer ready.
    expect_json(
        app.post(
            &format!("/api/v1/gps-devices/{}/remove", device["id"]),
            Some(&c.admin),
            &json!({"removedOn": "2026-03-02", "reason": "设备故障", "version": device["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        readiness(&app, &c, &k).await[2],
        ("gps_installed".into(), false)
    );
}

#[tokio::test]
async fn nothing_is_registered_against_an_unsigned_contract() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    one_step_flow(&app, &c).await;
    let a = approved(&app, &c, "100000").await;
    let k = expect_json(
        generate(&app, &c, &a, "2026-03-10").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        readiness(&app, &c, &k).await[0],
        ("contract_signed".into(), false)
    );
    expect_problem(
        app.post(
            &format!("/api/v1/contracts/{}/mortgages", k["id"]),
            Some(&c.admin),
            &mortgage(c.vehicle),
        )
        .await,
        StatusCode::CONFLICT,
        "contract_not_signed",
    )
    .await;
    assert_eq!(app.count("collateral_registrations").await, 0);
}
