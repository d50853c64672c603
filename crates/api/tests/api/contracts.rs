//! Contracts over HTTP: generated for an approved application with its schedule and APR
//! disclosure fixed, downloaded as a PDF, signed with the scan, and refused everything else.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::origination::{Cast, act, cast, inbox, to_review, to_review_at};

/// 初审 alone, by role 1.
pub async fn one_step_flow(app: &TestApp, c: &Cast) {
    expect_json(
        app.put(
            "/api/v1/flows/loan_application",
            &c.admin,
            &json!({"name": "贷款审批", "graph": {"start": "first", "steps": [
                {"key": "first", "name": "初审", "assignee": {"kind": "role", "roleId": c.first_role},
                 "next": [{"to": "end"}]}]}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

pub async fn approved(app: &TestApp, c: &Cast, amount: &str) -> Value {
    approved_at(app, c, amount, "0.12").await
}

pub async fn approved_at(app: &TestApp, c: &Cast, amount: &str, rate: &str) -> Value {
    let a = to_review_at(app, c, amount, rate).await;
    let task = inbox(app, &c.first_reviewer.1).await[0].clone();
    let done = act(
        app,
        &c.first_reviewer.1,
        &task,
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(done["decision"], "approved");
    a
}

pub async fn generate(
    app: &TestApp,
    c: &Cast,
    application: &Value,
    planned: &str,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/loan-applications/{}/contracts", application["id"]),
        Some(&c.admin),
        &json!({"plannedDisbursementDate": planned}),
    )
    .await
}

pub async fn upload_scan(
    app: &TestApp,
    c: &Cast,
    contract: &Value,
    bytes: &[u8],
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/contracts/{}/scan", contract["id"])))
        .bearer_auth(&c.admin)
        .header("content-type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

pub const SCAN: &[u8] = b"\x89PNG\r\n\x1a\nsigned-contract-page-1";

pub fn sign_body(version: &Value, witnesses: Value) -> Value {
    json!({"signedOn": "2026-03-02", "place": "福州市鼓楼区营业部", "witnesses": witnesses,
           "version": version})
}

#[tokio::test]
async fn an_approved_application_gets_a_contract_that_is_downloaded_and_signed_with_its_scan() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    one_step_flow(&app, &c).await;
    let a = approved(&app, &c, "100000").await;

    let k = expect_json(
        generate(&app, &c, &a, "2026-03-10").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(k["status"], "draft");
    assert_eq!(
        k["contractNo"],
        format!("JK20260302{:06}", a["id"].as_i64().unwrap())
    );
    let s = &k["terms"]["schedule"];
    let rows = s["installments"].as_array().unwrap();
    assert_eq!(rows.len(), 24);
    assert_eq!(
        rows[0]["dueDate"], "2026-04-10",
        "drafted from the planned disbursement date"
    );
    // 100 000 at 1 % a month over 24 months: 100000 × 0.01 / (1 − 1.01^−24) = 4707.3472.
    assert_eq!(rows[0]["total"], "4707.35");
    assert_eq!(s["totalPrincipal"], "100000.00");
    // No fees: the disclosed simple APR is the contract rate itself.
    assert_eq!(s["aprSimplePct"], "12.0000");
    assert_eq!(k["terms"]["borrowerName"], "借款人甲");
    assert_eq!(k["terms"]["vehicles"][0]["vin"], "1M8GDM9AXKP042788");

    let pdf = app
        .client
        .get(app.url(&format!("/api/v1/contracts/{}/pdf", k["id"])))
        .bearer_auth(&c.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.len() > 20_000,
        "a real document with its font: {} bytes",
        bytes.len()
    );

    // Signing needs the scan, a place and witnesses.
    let sign = format!("/api/v1/contracts/{}/sign", k["id"]);
    expect_problem(
        app.post(
            &sign,
            Some(&c.admin),
            &sign_body(&k["version"], json!(["王见证"])),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "scan_missing",
    )
    .await;
    let p = expect_problem(
        upload_scan(&app, &c, &k, b"just some text").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("file".into(), "unsupported_type".into())]
    );
    let k = expect_json(upload_scan(&app, &c, &k, SCAN).await, StatusCode::OK).await;
    assert_eq!(k["hasScan"], true);
    let p = expect_problem(
        app.post(
            &sign,
            Some(&c.admin),
            &sign_body(&k["version"], json!([" "])),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("witnesses".into(), "required".into())]
    );
    let signed = expect_json(
        app.post(
            &sign,
            Some(&c.admin),
            &sign_body(&k["version"], json!(["王见证", "李见证"])),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(signed["status"], "signed");
    assert_eq!(signed["witnesses"], json!(["王见证", "李见证"]));
    let scan = app
        .client
        .get(app.url(&format!("/api/v1/contracts/{}/scan", k["id"])))
        .bearer_auth(&c.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(scan.headers()["content-type"], "image/png");
    assert_eq!(scan.bytes().await.unwrap().as_ref(), SCAN);

    // Signed is final here: no second signing, no void, no second contract.
    expect_problem(
        app.post(
            &sign,
            Some(&c.admin),
            &sign_body(&signed["version"], json!(["王见证"])),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/contracts/{}/void", k["id"]),
            Some(&c.admin),
            &json!({"reason": "重签", "version": signed["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_problem(
        generate(&app, &c, &a, "2026-03-10").await,
        StatusCode::CONFLICT,
        "contract_exists",
    )
    .await;
}

#[tokio::test]
async fn only_approved_applications_get_contracts_and_a_voided_draft_is_regenerated() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    one_step_flow(&app, &c).await;
    let pending = to_review(&app, &c, "100000").await;
    expect_problem(
        generate(&app, &c, &pending, "2026-03-10").await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;

    let task = inbox(&app, &c.first_reviewer.1).await[0].clone();
    act(
        &app,
        &c.first_reviewer.1,
        &task,
        json!({"action": "approve"}),
    )
    .await;
    let p = expect_problem(
        generate(&app, &c, &pending, "2026-03-01").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("plannedDisbursementDate".into(), "in_past".into())]
    );
    let first = expect_json(
        generate(&app, &c, &pending, "2026-03-10").await,
        StatusCode::CREATED,
    )
    .await;
    expect_json(
        app.post(
            &format!("/api/v1/contracts/{}/void", first["id"]),
            Some(&c.admin),
            &json!({"reason": "放款日改期", "version": first["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let second = expect_json(
        generate(&app, &c, &pending, "2026-03-20").await,
        StatusCode::CREATED,
    )
    .await;
    assert!(second["contractNo"].as_str().unwrap().ends_with("-2"));
    assert_eq!(
        second["terms"]["schedule"]["installments"][0]["dueDate"],
        "2026-04-20"
    );
    let all = expect_json(
        app.get(
            &format!("/api/v1/loan-applications/{}/contracts", pending["id"]),
            &c.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let statuses: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["draft", "voided"]);
    // The customer manager has no contract permission.
    expect_problem(
        app.get(&format!("/api/v1/contracts/{}", second["id"]), &c.manager)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}
