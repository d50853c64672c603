//! Loan products over HTTP: versioned terms, the worst-case APR check against the caps,
//! validation, optimistic locking, permissions and the audit record.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// 车抵贷-等额本息: 12–36 months at 12–18 %, no fees: 18 % is above 4 × LPR (12 %), below 24 %.
fn product(code: &str) -> Value {
    json!({
        "code": code, "name": "车抵贷-等额本息", "description": "按揭车辆抵押",
        "methods": ["equal_installment", "interest_only"],
        "termMonthsMin": 12, "termMonthsMax": 36,
        "amountMin": "30000", "amountMax": "500000",
        "rateMin": "0.12", "rateMax": "0.18",
        "maxLtv": "0.8", "collateralKind": "mortgage", "gpsRequired": true,
        "prepaymentFee": {"kind": "percent_of_remaining", "rate": "0.02", "freeAfterMonths": 12}
    })
}

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    expect_json(
        app.post("/api/v1/products", Some(token), body).await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test]
async fn a_product_is_created_edited_into_versions_and_keeps_its_history() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = create(&app, &admin, &product("CAR-EI")).await;
    assert_eq!(created["termsVersion"], 1);
    assert_eq!(created["status"], "active");
    assert_eq!(created["terms"]["amountMin"], "30000.00");
    assert_eq!(created["terms"]["dayBasis"], 360);
    assert_eq!(created["terms"]["penaltyMultiplier"], "1.5");
    assert_eq!(created["terms"]["allocation"]["components"][0], "fees");
    // 18 % at the worst case: allowed, with the 4 × LPR warning.
    let cap = &created["capCheck"];
    assert_eq!(cap["check"]["status"], "warning");
    assert_eq!(cap["check"]["aprSimplePct2dp"], "18.00");
    assert_eq!(cap["check"]["lprCapPct"], "12.00");
    assert_eq!(cap["check"]["reasons"][0]["code"], "above_lpr_cap");
    assert_eq!(cap["perMethod"].as_array().unwrap().len(), 2);

    let id = created["id"].as_i64().unwrap();
    let mut edit = product("CAR-EI");
    edit["name"] = json!("车抵贷-等额本息（新）");
    edit["rateMax"] = json!("0.10");
    edit["rateMin"] = json!("0.08");
    edit["fees"] = json!([
        {"type": "gps", "basis": "fixed", "timing": "at_signing", "amount": "800"}
    ]);
    edit["version"] = created["version"].clone();
    let edited = expect_json(
        app.put(&format!("/api/v1/products/{id}"), &admin, &edit)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["termsVersion"], 2);
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["terms"]["fees"][0]["amount"], "800.00");
    // 800 on the smallest loan over 12 months costs more than the 10 % rate.
    assert_eq!(edited["capCheck"]["worst"]["amount"], "30000.00");
    assert_eq!(edited["capCheck"]["worst"]["termMonths"], 12);

    let versions = expect_json(
        app.get(&format!("/api/v1/products/{id}/versions"), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["versionNo"], 2);
    assert_eq!(versions[1]["capStatus"], "warning");
    // The first version is kept as it was signed.
    let first = expect_json(
        app.get(&format!("/api/v1/products/{id}/versions/1"), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["terms"]["rateMax"], "0.18");
    assert_eq!(first["name"], "车抵贷-等额本息");
    expect_problem(
        app.get(&format!("/api/v1/products/{id}/versions/9"), &admin)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let got = expect_json(
        app.get(&format!("/api/v1/products/{id}"), &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got["terms"]["rateMax"], "0.10");
    assert!(got["capCheck"]["check"]["status"].is_string());

    // Disable, then list with filters.
    let disabled = expect_json(
        app.post(
            &format!("/api/v1/products/{id}/disable"),
            Some(&admin),
            &json!({"version": 2}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(disabled["status"], "disabled");
    create(&app, &admin, &product("CAR-IO")).await;
    let active = expect_json(
        app.get("/api/v1/products?status=active", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(active["total"], 1);
    assert_eq!(active["items"][0]["code"], "CAR-IO");
    assert!(active["items"][0].get("capCheck").is_none());
    let searched = expect_json(
        app.get("/api/v1/products?q=ei&collateralKind=mortgage", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(searched["total"], 1);
    assert_eq!(searched["items"][0]["id"], id);
    assert_eq!(app.count("loan_product_versions").await, 3);
}

#[tokio::test]
async fn a_product_that_can_cost_more_than_24_percent_is_refused_with_the_reason() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut body = product("CAR-HIGH");
    body["rateMax"] = json!("0.30");
    let refused = expect_problem(
        app.post("/api/v1/products", Some(&admin), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "apr_above_cap",
    )
    .await;
    let detail = refused["detail"].as_str().unwrap_or_default().to_string()
        + refused["title"].as_str().unwrap_or_default();
    assert!(
        detail.contains("equal_installment") || detail.contains("interest_only"),
        "{refused}"
    );
    assert!(detail.contains("30.00 %"), "{refused}");
    assert!(detail.contains("24.00 %"), "{refused}");
    assert_eq!(
        field_errors(&refused),
        vec![("rateMax".into(), "apr_above_cap".into())]
    );

    // A flat 月息 1.2 % looks like 14.4 %, but costs about 25.7 % over 17 months.
    let mut flat = product("CAR-FLAT");
    flat["methods"] = json!(["flat"]);
    flat["rateMin"] = json!("0.144");
    flat["rateMax"] = json!("0.144");
    let refused = expect_problem(
        app.post("/api/v1/products", Some(&admin), &flat).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "apr_above_cap",
    )
    .await;
    let text = refused.to_string();
    assert!(text.contains("flat over 17 months"), "{text}");
    assert_eq!(app.count("loan_products").await, 0);

    // Fees count: 18 % plus a 5 % fee at signing breaks the cap on a 12-month loan.
    let mut fees = product("CAR-FEES");
    fees["fees"] = json!([
        {"type": "consulting", "basis": "percent", "timing": "at_signing", "rate": "0.05"}
    ]);
    expect_problem(
        app.post("/api/v1/products", Some(&admin), &fees).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "apr_above_cap",
    )
    .await;
}

#[tokio::test]
async fn a_product_within_four_times_lpr_has_no_warning() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut body = product("CAR-LOW");
    body["rateMax"] = json!("0.1");
    body["rateMin"] = json!("0.06");
    let created = create(&app, &admin, &body).await;
    assert_eq!(created["capCheck"]["check"]["status"], "ok");
    assert_eq!(created["capCheck"]["check"]["reasons"], json!([]));
}

#[tokio::test]
async fn bad_input_is_400_when_unreadable_and_422_naming_every_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut wrong_type = product("X");
    wrong_type["amountMax"] = json!(500000);
    expect_problem(
        app.post("/api/v1/products", Some(&admin), &wrong_type)
            .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    let mut unknown = product("X");
    unknown["methods"] = json!(["weekly"]);
    expect_problem(
        app.post("/api/v1/products", Some(&admin), &unknown).await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;

    let mut bad = product("bad code!");
    bad["termMonthsMax"] = json!(6);
    bad["penaltyMultiplier"] = json!("2.5");
    bad["maxLtv"] = json!("1.2");
    bad["fees"] = json!([
        {"type": "gps", "basis": "fixed", "timing": "at_signing", "amount": "1500.001"},
        {"type": "service", "basis": "percent", "timing": "per_period"}
    ]);
    let problem = expect_problem(
        app.post("/api/v1/products", Some(&admin), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        vec![
            ("code".into(), "invalid_format".into()),
            ("termMonthsMax".into(), "less_than_min".into()),
            ("penaltyMultiplier".into(), "out_of_range".into()),
            ("fees[0].amount".into(), "too_many_decimals".into()),
            ("fees[1].rate".into(), "required".into()),
            ("maxLtv".into(), "out_of_range".into()),
        ]
    );
    assert_eq!(app.count("loan_products").await, 0);

    create(&app, &admin, &product("CAR-EI")).await;
    expect_problem(
        app.post("/api/v1/products", Some(&admin), &product("car-ei"))
            .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
}

#[tokio::test]
async fn a_stale_edit_is_409_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = create(&app, &admin, &product("CAR-EI")).await;
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/products/{id}");
    let mut edit = product("CAR-EI");
    edit["version"] = json!(1);
    expect_json(app.put(&path, &admin, &edit).await, StatusCode::OK).await;
    expect_problem(
        app.put(&path, &admin, &edit).await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    expect_problem(
        app.post(
            &format!("{path}/disable"),
            Some(&admin),
            &json!({"version": 1}),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    let mut missing = product("CAR-EI");
    missing["version"] = Value::Null;
    let problem = expect_problem(
        app.put(&path, &admin, &missing).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&problem),
        vec![("version".into(), "required".into())]
    );
    assert_eq!(app.count("loan_product_versions").await, 2);
    expect_problem(
        app.put("/api/v1/products/999", &admin, &edit).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn reading_needs_product_read_and_writing_product_write_and_changes_are_audited() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = create(&app, &admin, &product("CAR-EI")).await;
    let id = created["id"].as_i64().unwrap();

    let nothing = app.create_role(&admin, "nobody", "all", &[]).await;
    let (_, outsider) = app.user_token(&admin, "outsider", None, &[nothing]).await;
    expect_problem(
        app.get("/api/v1/products", &outsider).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let reader_role = app
        .create_role(&admin, "reader", "all", &["product:read"])
        .await;
    let (_, reader) = app.user_token(&admin, "reader", None, &[reader_role]).await;
    expect_json(
        app.get(&format!("/api/v1/products/{id}"), &reader).await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.post("/api/v1/products", Some(&reader), &product("CAR-2"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/products/{id}/disable"),
            Some(&reader),
            &json!({"version": 1}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let log = expect_json(
        app.get(
            &format!("/api/v1/audit-logs?entity=loan_product&entityId={id}"),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["action"], "create");
    assert_eq!(log["items"][0]["after"]["terms"]["rateMax"], "0.18");
}
