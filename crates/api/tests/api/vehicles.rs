//! Vehicles and appraisals over HTTP: the VIN check digit and its audited override, one vehicle
//! per VIN, field validation, photos, appraisal history and current value, the appraisal
//! queries within the data scope, and permissions.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// The classic valid VIN (check digit X).
const VIN: &str = "1M8GDM9AXKP042788";
/// A Honda-format VIN, check digit 3.
const VIN_B: &str = "1HGCM82633A004352";
/// The classic VIN with a wrong check digit (1 instead of X).
const VIN_BAD_CHECK: &str = "1M8GDM9A1KP042788";

fn vehicle(vin: &str) -> Value {
    json!({
        "vin": vin,
        "plate": "京A12345",
        "brand": "大众",
        "model": "帕萨特 2019 330TSI",
        "firstRegisteredOn": "2019-05-20",
        "mileageKm": 68000,
        "colour": "黑色",
        "transmission": "dct",
        "displacement": "2.0T",
        "usage": "private",
        "inspectionExpiresOn": "2027-05-31",
        "insuranceExpiresOn": "2026-12-31"
    })
}

async fn create_vehicle(app: &TestApp, token: &str, body: &Value) -> Value {
    expect_json(
        app.post("/api/v1/vehicles", Some(token), body).await,
        StatusCode::CREATED,
    )
    .await
}

async fn appraise(app: &TestApp, token: &str, vehicle_id: &Value, body: &Value) -> Value {
    expect_json(
        app.post(
            &format!("/api/v1/vehicles/{vehicle_id}/appraisals"),
            Some(token),
            body,
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

const ALL: [&str; 3] = ["vehicle:read", "vehicle:write", "appraisal:write"];

#[tokio::test]
async fn a_failing_vin_check_digit_is_refused_unless_overridden_with_a_reason_which_is_audited() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let refused = expect_problem(
        app.post("/api/v1/vehicles", Some(&admin), &vehicle(VIN_BAD_CHECK))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&refused),
        vec![("vin".into(), "invalid_vin_check_digit".into())]
    );

    let mut body = vehicle(VIN_BAD_CHECK);
    body["vinOverride"] = json!(true);
    let no_reason = expect_problem(
        app.post("/api/v1/vehicles", Some(&admin), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&no_reason),
        vec![("overrideReason".into(), "required".into())]
    );

    // The override never excuses a VIN of the wrong shape.
    let mut bad_shape = body.clone();
    bad_shape["vin"] = json!("1M8GDM9A1KP04278O");
    bad_shape["overrideReason"] = json!("平行进口车");
    let shape = expect_problem(
        app.post("/api/v1/vehicles", Some(&admin), &bad_shape).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&shape),
        vec![("vin".into(), "invalid_vin".into())]
    );
    assert_eq!(app.count("vehicles").await, 0);

    body["overrideReason"] = json!("平行进口车，铭牌与行驶证一致");
    let saved = create_vehicle(&app, &admin, &body).await;
    assert_eq!(saved["vin"], VIN_BAD_CHECK);
    assert_eq!(saved["vinCheckDigitValid"], false);
    assert_eq!(saved["vinOverrideReason"], "平行进口车，铭牌与行驶证一致");

    let audit = expect_json(
        app.get(
            "/api/v1/audit-logs?entity=vehicle&action=override_vin_check_digit",
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["entityId"], saved["id"].to_string());
    assert_eq!(
        audit["items"][0]["after"]["reason"],
        "平行进口车，铭牌与行驶证一致"
    );

    // A valid VIN ignores the override flag and keeps no reason.
    let mut good = vehicle(VIN);
    good["vinOverride"] = json!(true);
    good["overrideReason"] = json!("not needed");
    let ok = create_vehicle(&app, &admin, &good).await;
    assert_eq!(ok["vinCheckDigitValid"], true);
    assert_eq!(ok["vinOverrideReason"], Value::Null);
}

#[tokio::test]
async fn one_active_vehicle_per_vin_and_edits_need_the_current_version() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let first = create_vehicle(&app, &admin, &vehicle(VIN)).await;
    // Lower case and separators are the same VIN.
    let dup = expect_problem(
        app.post(
            "/api/v1/vehicles",
            Some(&admin),
            &vehicle("1m8gdm9axkp-042788"),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    assert_eq!(field_errors(&dup), vec![("vin".into(), "duplicate".into())]);
    let second = create_vehicle(&app, &admin, &vehicle(VIN_B)).await;

    let path = format!("/api/v1/vehicles/{}", second["id"]);
    let mut edit = vehicle(VIN);
    edit["version"] = json!(1);
    expect_problem(
        app.put(&path, &admin, &edit).await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let mut edit = vehicle(VIN_B);
    edit["mileageKm"] = json!(70500);
    edit["version"] = json!(1);
    let saved = expect_json(app.put(&path, &admin, &edit).await, StatusCode::OK).await;
    assert_eq!(saved["mileageKm"], 70500);
    assert_eq!(saved["version"], 2);
    expect_problem(
        app.put(&path, &admin, &edit).await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    assert_eq!(first["version"], 1);
}

#[tokio::test]
async fn plate_mileage_dates_and_owner_are_validated_naming_the_fields() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut body = vehicle(VIN);
    body["plate"] = json!("京12345");
    body["mileageKm"] = json!(-1);
    // The test clock stands at 2026-03-02.
    body["firstRegisteredOn"] = json!("2026-03-03");
    body["brand"] = json!(" ");
    body["ownerCustomerId"] = json!(999);
    let p = expect_problem(
        app.post("/api/v1/vehicles", Some(&admin), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("plate".into(), "invalid_plate".into()),
            ("brand".into(), "required".into()),
            ("firstRegisteredOn".into(), "in_future".into()),
            ("mileageKm".into(), "negative".into()),
        ]
    );
    let mut body = vehicle(VIN);
    body["ownerCustomerId"] = json!(999);
    let p = expect_problem(
        app.post("/api/v1/vehicles", Some(&admin), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("ownerCustomerId".into(), "unknown_reference".into())]
    );

    // What cannot be read at all is a 400, not a field error.
    for (field, value) in [
        ("mileageKm", json!("lots")),
        ("usage", json!("spaceship")),
        ("firstRegisteredOn", json!("20/05/2019")),
    ] {
        let mut body = vehicle(VIN);
        body[field] = value;
        expect_problem(
            app.post("/api/v1/vehicles", Some(&admin), &body).await,
            StatusCode::BAD_REQUEST,
            "malformed_json",
        )
        .await;
    }

    // A new-energy plate has six characters after the letter; no plate at all is allowed.
    let mut green = vehicle(VIN);
    green["plate"] = json!("沪ad12345");
    assert_eq!(
        create_vehicle(&app, &admin, &green).await["plate"],
        "沪AD12345"
    );
    let mut none = vehicle(VIN_B);
    none["plate"] = Value::Null;
    assert_eq!(
        create_vehicle(&app, &admin, &none).await["plate"],
        Value::Null
    );
    assert_eq!(app.count("vehicles").await, 2);
}

#[tokio::test]
async fn appraisals_keep_their_history_and_the_newest_is_the_current_value() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let v = create_vehicle(&app, &admin, &vehicle(VIN)).await;
    assert_eq!(v["currentValue"], Value::Null);
    let path = format!("/api/v1/vehicles/{}/appraisals", v["id"]);
    for (value, on, code, field) in [
        ("0", "2026-03-01", "not_positive", "value"),
        ("-5", "2026-03-01", "not_positive", "value"),
        ("1.234", "2026-03-01", "too_many_decimals", "value"),
        ("abc", "2026-03-01", "invalid_amount", "value"),
        ("1000", "2026-03-03", "in_future", "appraisedOn"),
        ("1000", "2019-01-01", "before_registration", "appraisedOn"),
    ] {
        let p = expect_problem(
            app.post(
                &path,
                Some(&admin),
                &json!({"value": value, "appraisedOn": on, "method": "market_comparison",
                        "conditionGrade": "good"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            field_errors(&p),
            vec![(field.into(), code.into())],
            "{value} {on}"
        );
    }
    let older = appraise(
        &app,
        &admin,
        &v["id"],
        &json!({"value": "92000", "appraisedOn": "2026-01-15", "method": "market_comparison",
                "conditionGrade": "good", "notes": "首次评估"}),
    )
    .await;
    assert_eq!(older["value"], "92000.00");
    assert!(older["appraiserName"].is_string());
    // Today by default.
    let newer = appraise(
        &app,
        &admin,
        &v["id"],
        &json!({"value": "86500.50", "method": "replacement_cost", "conditionGrade": "fair"}),
    )
    .await;
    assert_eq!(newer["appraisedOn"], "2026-03-02");
    // Back-dated after the newer one: history is ordered by date, so it is not current.
    appraise(
        &app,
        &admin,
        &v["id"],
        &json!({"value": "95000.00", "appraisedOn": "2025-12-01", "method": "market_comparison",
                "conditionGrade": "excellent"}),
    )
    .await;
    let history = expect_json(app.get(&path, &admin).await, StatusCode::OK).await;
    let values: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["86500.50", "92000.00", "95000.00"]);
    let current = expect_json(
        app.get(&format!("/api/v1/vehicles/{}", v["id"]), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(current["currentValue"], "86500.50");
    assert_eq!(current["lastAppraisedOn"], "2026-03-02");
    assert_eq!(current["appraisalCount"], 3);

    // The queries: filters combine.
    let other = create_vehicle(&app, &admin, &vehicle(VIN_B)).await;
    appraise(
        &app,
        &admin,
        &other["id"],
        &json!({"value": "150000.00", "appraisedOn": "2026-02-01", "method": "income_approach",
                "conditionGrade": "good"}),
    )
    .await;
    let query = |q: &str| {
        let url = format!("/api/v1/appraisals?{q}");
        let app = &app;
        let admin = &admin;
        async move { expect_json(app.get(&url, admin).await, StatusCode::OK).await }
    };
    assert_eq!(query("").await["total"], 4);
    assert_eq!(
        query(&format!("vin={}", VIN_B.to_lowercase())).await["total"],
        1
    );
    assert_eq!(query("minValue=90000&maxValue=100000").await["total"], 2);
    assert_eq!(query("from=2026-01-01&to=2026-02-28").await["total"], 2);
    assert_eq!(query("brand=大&plate=A123").await["total"], 4);
    assert_eq!(query("appraiserId=999").await["total"], 0);
    expect_problem(
        app.get("/api/v1/appraisals?from=yesterday", &admin).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn appraisal_queries_follow_the_data_scope() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let team1 = app.create_department(&admin, None, "T1").await;
    let team2 = app.create_department(&admin, None, "T2").await;
    let dept_role = app
        .create_role(&admin, "appraiser", "department", &ALL)
        .await;
    let own_role = app.create_role(&admin, "field", "self", &ALL).await;
    let (_, a1) = app
        .user_token(&admin, "appraiser_a", team1["id"].as_i64(), &[dept_role])
        .await;
    let (own_id, own) = app
        .user_token(&admin, "field_a", team1["id"].as_i64(), &[own_role])
        .await;
    let (_, b1) = app
        .user_token(&admin, "appraiser_b", team2["id"].as_i64(), &[dept_role])
        .await;

    let va = create_vehicle(&app, &a1, &vehicle(VIN)).await;
    appraise(
        &app,
        &a1,
        &va["id"],
        &json!({"value": "80000", "method": "market_comparison", "conditionGrade": "good"}),
    )
    .await;
    let vo = create_vehicle(&app, &own, &vehicle(VIN_B)).await;
    appraise(
        &app,
        &own,
        &vo["id"],
        &json!({"value": "60000", "method": "market_comparison", "conditionGrade": "fair"}),
    )
    .await;

    let total = |token: &str, path: &str| {
        let url = path.to_string();
        let token = token.to_string();
        let app = &app;
        async move {
            expect_json(app.get(&url, &token).await, StatusCode::OK).await["total"]
                .as_i64()
                .unwrap()
        }
    };
    // The department sees both; the own-only appraiser just theirs; the other department none.
    assert_eq!(total(&a1, "/api/v1/appraisals").await, 2);
    assert_eq!(total(&own, "/api/v1/appraisals").await, 1);
    assert_eq!(total(&b1, "/api/v1/appraisals").await, 0);
    assert_eq!(total(&admin, "/api/v1/appraisals").await, 2);
    assert_eq!(total(&b1, "/api/v1/vehicles").await, 0);
    assert_eq!(total(&own, "/api/v1/vehicles").await, 1);
    let mine = expect_json(app.get("/api/v1/appraisals", &own).await, StatusCode::OK).await;
    assert_eq!(mine["items"][0]["appraiserId"], own_id);

    // Outside the scope a vehicle does not exist, and cannot be appraised or photographed.
    let path = format!("/api/v1/vehicles/{}", va["id"]);
    expect_problem(
        app.get(&path, &b1).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        app.get(&format!("{path}/appraisals"), &b1).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_problem(
        app.post(
            &format!("{path}/appraisals"),
            Some(&b1),
            &json!({"value": "1", "method": "market_comparison", "conditionGrade": "good"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn each_action_needs_its_permission() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let v = create_vehicle(&app, &admin, &vehicle(VIN)).await;
    let reader = app
        .create_role(&admin, "reader", "all", &["vehicle:read"])
        .await;
    let registrar = app
        .create_role(
            &admin,
            "registrar",
            "all",
            &["vehicle:read", "vehicle:write"],
        )
        .await;
    let (_, read_only) = app.user_token(&admin, "reader1", None, &[reader]).await;
    let (_, register_only) = app
        .user_token(&admin, "registrar1", None, &[registrar])
        .await;
    let (_, nobody) = app.user_token(&admin, "nobody1", None, &[]).await;

    for path in ["/api/v1/vehicles", "/api/v1/appraisals"] {
        expect_problem(
            app.get(path, &nobody).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        expect_json(app.get(path, &read_only).await, StatusCode::OK).await;
    }
    expect_problem(
        app.post("/api/v1/vehicles", Some(&read_only), &vehicle(VIN_B))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let appraisal =
        json!({"value": "50000", "method": "market_comparison", "conditionGrade": "good"});
    let path = format!("/api/v1/vehicles/{}/appraisals", v["id"]);
    expect_problem(
        app.post(&path, Some(&register_only), &appraisal).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    create_vehicle(&app, &register_only, &vehicle(VIN_B)).await;
    assert_eq!(app.count("appraisals").await, 0);
}

#[tokio::test]
async fn photos_must_be_images_within_the_size_limit() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let v = create_vehicle(&app, &admin, &vehicle(VIN)).await;
    let path = format!("/api/v1/vehicles/{}/photos", v["id"]);
    let jpeg: &[u8] = b"\xFF\xD8\xFF\xE0fake-jpeg-front-left";
    let upload = |bytes: Vec<u8>| {
        app.client
            .post(app.url(&format!("{path}?fileName=front.jpg")))
            .bearer_auth(&admin)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
    };
    let photo = expect_json(upload(jpeg.to_vec()).await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(photo["contentType"], "image/jpeg");
    assert_eq!(photo["fileName"], "front.jpg");
    for (bytes, code) in [
        (b"%PDF-1.7 not a photo".to_vec(), "image_required"),
        (b"plain text".to_vec(), "image_required"),
        (Vec::new(), "required"),
    ] {
        let p = expect_problem(
            upload(bytes).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_errors(&p), vec![("file".into(), code.into())]);
    }
    let mut big = jpeg.to_vec();
    big.resize(10 * 1024 * 1024 + 1, 0);
    expect_problem(
        upload(big).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
    )
    .await;
    let list = expect_json(app.get(&path, &admin).await, StatusCode::OK).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let content = app
        .get(&format!("{path}/{}/content", photo["id"]), &admin)
        .await;
    assert_eq!(content.status(), StatusCode::OK);
    assert_eq!(content.headers()["content-type"], "image/jpeg");
    assert_eq!(content.bytes().await.unwrap().as_ref(), jpeg);
    expect_problem(
        app.get(&format!("{path}/999/content"), &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
