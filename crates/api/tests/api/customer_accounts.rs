//! A customer's bank accounts, documents and grade over HTTP.

use reqwest::StatusCode;
use serde_json::json;

use crate::customers::{ID_A, create_individual, individual};
use crate::helpers::*;

#[tokio::test]
async fn bank_accounts_are_luhn_checked_held_by_the_customer_and_have_one_primary() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    let path = format!("/api/v1/customers/{}/bank-accounts", c["id"]);
    let bad = expect_problem(
        app.post(
            &path,
            Some(&admin),
            &json!({"bankName": "工商银行", "accountType": "card",
                    "number": "6222021234567890127", "holderName": "李四"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&bad),
        vec![
            ("number".into(), "invalid_card_luhn".into()),
            ("holderName".into(), "holder_mismatch".into())
        ]
    );
    let card = expect_json(
        app.post(
            &path,
            Some(&admin),
            &json!({"bankName": "工商银行", "branch": "北京金融街支行", "accountType": "card",
                    "number": "6222 0212 3456 7890 128", "holderName": "张三"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(card["number"], "6222***********0128");
    assert_eq!(card["isPrimary"], true, "the first account is primary");
    // A plain account has no check digit.
    let account = expect_json(
        app.post(
            &path,
            Some(&admin),
            &json!({"bankName": "建设银行", "accountType": "account",
                    "number": "110100012345678", "holderName": "张三", "isPrimary": true}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(account["isPrimary"], true);
    expect_problem(
        app.post(
            &path,
            Some(&admin),
            &json!({"bankName": "工商银行", "accountType": "card",
                    "number": "6222021234567890128", "holderName": "张三"}),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let list = expect_json(app.get(&path, &admin).await, StatusCode::OK).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], account["id"]);
    assert_eq!(list[1]["isPrimary"], false);
    let primary = expect_json(
        app.post(
            &format!("{path}/{}/make-primary", card["id"]),
            Some(&admin),
            &json!({"version": list[1]["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(primary["isPrimary"], true);
    let shown = expect_json(
        app.get(&format!("{path}?reveal=true"), &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shown[0]["number"], "6222021234567890128");
    let log = expect_json(
        app.get(
            &format!(
                "/api/v1/audit-logs?entity=customer&entityId={}&action=view_pii",
                c["id"]
            ),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 1);
}

#[tokio::test]
async fn documents_are_stored_by_hash_with_a_sniffed_type_and_id_scans_must_be_images() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    let path = format!("/api/v1/customers/{}/documents", c["id"]);
    let png: &[u8] = b"\x89PNG\r\n\x1a\n0000IHDR-fake-image";
    let upload = |kind: &str, bytes: Vec<u8>| {
        app.client
            .post(app.url(&format!("{path}?kind={kind}&fileName=scan.png")))
            .bearer_auth(&admin)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
    };
    let doc = expect_json(
        upload("id_front", png.to_vec()).await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(doc["contentType"], "image/png");
    assert_eq!(doc["sizeBytes"], png.len());
    assert_eq!(doc["sha256"].as_str().unwrap().len(), 64);
    let pdf = b"%PDF-1.7 fake".to_vec();
    let p = expect_problem(
        upload("id_back", pdf.clone()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("file".into(), "image_required".into())]
    );
    expect_json(
        upload("income_proof", pdf).await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let p = expect_problem(
        upload("other", b"MZ not a document".to_vec())
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("file".into(), "unsupported_file_type".into())]
    );
    let mut big = png.to_vec();
    big.resize(10 * 1024 * 1024 + 1, 0);
    expect_problem(
        upload("other", big).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
    )
    .await;
    let list = expect_json(app.get(&path, &admin).await, StatusCode::OK).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let content = app
        .get(&format!("{path}/{}/content", doc["id"]), &admin)
        .await;
    assert_eq!(content.status(), StatusCode::OK);
    assert_eq!(content.headers()["content-type"], "image/png");
    assert_eq!(content.bytes().await.unwrap().as_ref(), png);
}

#[tokio::test]
async fn grades_are_configurable_per_scope_and_a_customer_takes_only_a_customer_grade() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let a = expect_json(
        app.post(
            "/api/v1/customer-grades",
            Some(&admin),
            &json!({"scope": "customer", "code": "A", "name": "优质客户", "criteria": "月收入两万以上"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let hot = expect_json(
        app.post(
            "/api/v1/customer-grades",
            Some(&admin),
            &json!({"scope": "prospect", "code": "A", "name": "高意向"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_problem(
        app.post(
            "/api/v1/customer-grades",
            Some(&admin),
            &json!({"scope": "customer", "code": "a", "name": "重复"}),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let listed = expect_json(
        app.get("/api/v1/customer-grades?scope=customer", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["total"], 1);
    let mut body = individual("张三", ID_A, "13812345678");
    body["gradeId"] = hot["id"].clone();
    let p = expect_problem(
        app.post("/api/v1/customers/individuals", Some(&admin), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("gradeId".into(), "unknown_reference".into())]
    );
    body["gradeId"] = a["id"].clone();
    let c = create_individual(&app, &admin, &body).await;
    assert_eq!(c["gradeName"], "优质客户");
    let by_grade = expect_json(
        app.get(&format!("/api/v1/customers?gradeId={}", a["id"]), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_grade["total"], 1);
    let renamed = expect_json(
        app.put(
            &format!("/api/v1/customer-grades/{}", a["id"]),
            &admin,
            &json!({"scope": "customer", "code": "A", "name": "A 级", "version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["version"], 2);
}
