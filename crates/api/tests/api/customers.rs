//! Customers over HTTP: validation of every identifier, one customer per ID number, data scope,
//! exact search, masking and audited unmasking, the blacklist and transfer of ownership.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::*;

pub const ID_A: &str = "11010519491231002X";
pub const ID_B: &str = "440306199003071232";
pub const ID_C: &str = "320102200002290013";

pub fn individual(name: &str, id_number: &str, mobile: &str) -> Value {
    json!({
        "name": name,
        "idNumber": id_number,
        "mobile": mobile,
        "addresses": [{"kind": "residence", "text": "北京市西城区金融街 1 号"}],
        "employer": "北京某某科技有限公司",
        "monthlyIncome": "18000.00",
        "maritalStatus": "married",
        "education": "bachelor",
        "contacts": [
            {"name": "李四", "relation": "spouse", "phone": "13911112222"},
            {"name": "王五", "relation": "friend", "phone": "13733334444"}
        ]
    })
}

pub async fn create_individual(app: &TestApp, token: &str, body: &Value) -> Value {
    expect_json(
        app.post("/api/v1/customers/individuals", Some(token), body)
            .await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test]
async fn a_new_individual_gets_birth_date_sex_and_age_from_the_id_and_comes_back_masked() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    assert_eq!(c["kind"], "individual");
    assert_eq!(c["birthDate"], "1949-12-31");
    assert_eq!(c["sex"], "female");
    // The test clock stands at 2026-03-02.
    assert_eq!(c["age"], 76);
    assert_eq!(c["idNumber"], "110***********002X");
    assert_eq!(c["mobile"], "138****5678");
    assert_eq!(c["contacts"][0]["phone"], "139****2222");
    assert_eq!(c["monthlyIncome"], "18000.00");
    assert_eq!(c["piiMasked"], true);
    assert_eq!(c["version"], 1);
    assert!(c["blacklistHits"].as_array().unwrap().is_empty());

    // At rest the numbers are ciphertext under a key id, with keyed hashes beside them.
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT id_number_cipher, mobile_cipher, id_number_hash FROM customers".to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    let id_cipher: String = row.try_get("", "id_number_cipher").unwrap();
    let mobile_cipher: String = row.try_get("", "mobile_cipher").unwrap();
    assert!(id_cipher.starts_with("t1:"));
    assert!(!id_cipher.contains(ID_A) && !mobile_cipher.contains("13812345678"));
    let hash: String = row.try_get("", "id_number_hash").unwrap();
    assert_eq!(hash.len(), 64);
}

#[tokio::test]
async fn every_broken_rule_is_a_422_naming_its_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut body = individual("", "110105194912310021", "12812345678");
    body["contacts"] = json!([{"name": "李四", "phone": "1391111"}]);
    let p = expect_problem(
        app.post("/api/v1/customers/individuals", Some(&admin), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let errors = field_errors(&p);
    for expected in [
        ("name", "required"),
        ("idNumber", "invalid_id_check_digit"),
        ("mobile", "invalid_phone"),
        ("contacts", "too_few_contacts"),
        ("contacts[0].relation", "required"),
        ("contacts[0].phone", "invalid_phone"),
    ] {
        assert!(
            errors.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} missing from {errors:?}"
        );
    }
    let mut short = individual("张三", "11010519491231", "13812345678");
    short["contacts"] = json!([]);
    let p = expect_problem(
        app.post("/api/v1/customers/individuals", Some(&admin), &short)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(field_errors(&p).contains(&("idNumber".into(), "invalid_id_number".into())));
    // A marital status outside the list does not parse at all.
    let mut odd = individual("张三", ID_A, "13812345678");
    odd["maritalStatus"] = json!("complicated");
    expect_problem(
        app.post("/api/v1/customers/individuals", Some(&admin), &odd)
            .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_eq!(app.count("customers").await, 0);
}

#[tokio::test]
async fn a_second_customer_with_the_same_id_number_is_409_naming_the_first_only_within_scope() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let first = create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    // Lower-case x is the same number.
    let p = expect_problem(
        app.post(
            "/api/v1/customers/individuals",
            Some(&admin),
            &individual("张三三", &ID_A.to_lowercase(), "13800000001"),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("idNumber".into(), "duplicate".into())]
    );
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("customer {} (张三)", first["id"])),
        "{p}"
    );

    let role = app
        .create_role(&admin, "cm", "self", &["customer:read", "customer:write"])
        .await;
    let (_, manager) = app.user_token(&admin, "cm1", None, &[role]).await;
    let p = expect_problem(
        app.post(
            "/api/v1/customers/individuals",
            Some(&manager),
            &individual("张三", ID_A, "13812345678"),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let detail = p["detail"].as_str().unwrap();
    assert!(
        !detail.contains("张三") && detail.contains("outside your data scope"),
        "{p}"
    );
    assert_eq!(app.count("customers").await, 1);
}

#[tokio::test]
async fn a_manager_sees_only_their_own_customers_and_a_transfer_moves_them() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let biz = app.create_department(&admin, None, "BIZ").await;
    let role = app
        .create_role(&admin, "cm", "self", &["customer:read", "customer:write"])
        .await;
    let (m1_id, m1) = app
        .user_token(&admin, "cm1", biz["id"].as_i64(), &[role])
        .await;
    let (m2_id, m2) = app
        .user_token(&admin, "cm2", biz["id"].as_i64(), &[role])
        .await;
    let a = create_individual(&app, &m1, &individual("甲", ID_A, "13812345678")).await;
    let b = create_individual(&app, &m2, &individual("乙", ID_B, "13812345679")).await;
    assert_eq!(a["managerId"], m1_id);
    assert_eq!(a["departmentId"], biz["id"]);

    let mine = expect_json(app.get("/api/v1/customers", &m1).await, StatusCode::OK).await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["name"], "甲");
    expect_problem(
        app.get(&format!("/api/v1/customers/{}", b["id"]), &m1)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let all = expect_json(app.get("/api/v1/customers", &admin).await, StatusCode::OK).await;
    assert_eq!(all["total"], 2);

    // Transfer needs its own permission.
    expect_problem(
        app.post(
            "/api/v1/customers/transfer",
            Some(&m1),
            &json!({"customerIds": [a["id"]], "toManagerId": m2_id}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let moved = expect_json(
        app.post(
            "/api/v1/customers/transfer",
            Some(&admin),
            &json!({"customerIds": [a["id"], a["id"]], "toManagerId": m2_id, "reason": "离职交接"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["transferred"], json!([a["id"]]));
    let mine = expect_json(app.get("/api/v1/customers", &m1).await, StatusCode::OK).await;
    assert_eq!(mine["total"], 0);
    let theirs = expect_json(app.get("/api/v1/customers", &m2).await, StatusCode::OK).await;
    assert_eq!(theirs["total"], 2);
    let log = expect_json(
        app.get(
            &format!(
                "/api/v1/audit-logs?entity=customer&entityId={}&action=transfer",
                a["id"]
            ),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["before"]["managerId"], m1_id);
    assert_eq!(log["items"][0]["after"]["managerId"], m2_id);
    assert_eq!(log["items"][0]["after"]["transferReason"], "离职交接");
    // An unknown customer fails the whole transfer.
    expect_problem(
        app.post(
            "/api/v1/customers/transfer",
            Some(&admin),
            &json!({"customerIds": [b["id"], 999999], "toManagerId": m1_id}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let theirs = expect_json(app.get("/api/v1/customers", &m2).await, StatusCode::OK).await;
    assert_eq!(theirs["total"], 2);
}

#[tokio::test]
async fn exact_search_by_id_number_or_mobile_and_filters_combine() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    create_individual(&app, &admin, &individual("张四", ID_B, "13812345679")).await;
    create_individual(&app, &admin, &individual("李五", ID_C, "13812345670")).await;
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    let by_id = expect_json(
        app.get(&format!("/api/v1/customers?idNumber={ID_B}"), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(names(&by_id), vec!["张四"]);
    let by_mobile = expect_json(
        app.get("/api/v1/customers?mobile=13812345670", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(names(&by_mobile), vec!["李五"]);
    let by_name = expect_json(
        app.get(
            "/api/v1/customers?name=%E5%BC%A0&kind=individual&pageSize=1",
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_name["total"], 2);
    assert_eq!(names(&by_name), vec!["张四"]);
    let nothing = expect_json(
        app.get("/api/v1/customers?idNumber=123", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(nothing["total"], 0);
}

#[tokio::test]
async fn unmasking_needs_the_permission_and_every_unmasked_read_is_audited() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    let path = format!("/api/v1/customers/{}", c["id"]);
    let reader = app
        .create_role(&admin, "reader", "all", &["customer:read"])
        .await;
    let (_, token) = app.user_token(&admin, "reader1", None, &[reader]).await;
    let masked = expect_json(app.get(&path, &token).await, StatusCode::OK).await;
    assert_eq!(masked["idNumber"], "110***********002X");
    expect_problem(
        app.get(&format!("{path}?reveal=true"), &token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let shown = expect_json(
        app.get(&format!("{path}?reveal=true"), &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shown["idNumber"], ID_A);
    assert_eq!(shown["mobile"], "13812345678");
    assert_eq!(shown["contacts"][0]["phone"], "13911112222");
    assert_eq!(shown["piiMasked"], false);
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
    assert!(log["items"][0]["actorName"].is_string());
    // The audit record itself never holds the plain number.
    assert!(!log.to_string().contains(ID_A));
    let created = expect_json(
        app.get(
            &format!(
                "/api/v1/audit-logs?entity=customer&entityId={}&action=create",
                c["id"]
            ),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(!created.to_string().contains(ID_A));
    assert!(!created.to_string().contains("13812345678"));
}

#[tokio::test]
async fn an_update_with_a_stale_version_is_409_and_a_good_one_moves_the_version() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    let path = format!("/api/v1/customers/individuals/{}", c["id"]);
    let mut body = individual("张三丰", ID_A, "13900000000");
    body["version"] = json!(1);
    let updated = expect_json(app.put(&path, &admin, &body).await, StatusCode::OK).await;
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["name"], "张三丰");
    assert_eq!(updated["mobile"], "139****0000");
    expect_problem(
        app.put(&path, &admin, &body).await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    let found = expect_json(
        app.get("/api/v1/customers?mobile=13900000000", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["total"], 1);
}

#[tokio::test]
async fn the_blacklist_blocks_an_application_check_and_shows_on_the_customer_until_lifted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let entry = expect_json(
        app.post(
            "/api/v1/blacklist",
            Some(&admin),
            &json!({"subjectKind": "id_number", "value": ID_B, "subjectName": "赵六",
                    "reason": "法院失信被执行人", "source": "court"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(entry["value"], "440***********1232");
    assert_eq!(entry["effectiveOn"], "2026-03-02");
    expect_problem(
        app.post(
            "/api/v1/blacklist",
            Some(&admin),
            &json!({"subjectKind": "id_number", "value": ID_B, "reason": "again", "source": "internal"}),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let bad = expect_problem(
        app.post(
            "/api/v1/blacklist",
            Some(&admin),
            &json!({"subjectKind": "credit_code", "value": "91350100M000100Y44", "reason": "", "source": "x"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&bad),
        vec![
            ("value".into(), "invalid_credit_code_check".into()),
            ("reason".into(), "required".into())
        ]
    );

    let check = expect_json(
        app.post(
            "/api/v1/blacklist/check",
            Some(&admin),
            &json!({"idNumber": ID_B, "mobile": "13800000000"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(check["blocked"], true);
    assert_eq!(check["hits"][0]["reason"], "法院失信被执行人");
    assert_eq!(check["hits"][0]["subjectKind"], "id_number");
    let c = create_individual(&app, &admin, &individual("赵六", ID_B, "13812345678")).await;
    assert_eq!(c["blacklistHits"][0]["entryId"], entry["id"]);

    let lifted = expect_json(
        app.post(
            &format!("/api/v1/blacklist/{}/lift", entry["id"]),
            Some(&admin),
            &json!({"reason": "已履行", "version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(lifted["status"], "lifted");
    expect_problem(
        app.post(
            &format!("/api/v1/blacklist/{}/lift", entry["id"]),
            Some(&admin),
            &json!({"reason": "again", "version": 2}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    let check = expect_json(
        app.post(
            "/api/v1/blacklist/check",
            Some(&admin),
            &json!({"idNumber": ID_B}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(check["blocked"], false);
    let log = expect_json(
        app.get(
            &format!(
                "/api/v1/audit-logs?entity=blacklist_entry&entityId={}",
                entry["id"]
            ),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 2);
    let found = expect_json(
        app.get(
            &format!("/api/v1/blacklist?value={ID_B}&status=lifted"),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["total"], 1);
}

#[tokio::test]
async fn a_blacklist_entry_not_yet_in_force_or_expired_does_not_match() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (value, from, to) in [
        ("13800000001", "2026-04-01", None),
        ("13800000002", "2025-01-01", Some("2026-03-02")),
    ] {
        expect_json(
            app.post(
                "/api/v1/blacklist",
                Some(&admin),
                &json!({"subjectKind": "mobile", "value": value, "reason": "r", "source": "internal",
                        "effectiveOn": from, "expiresOn": to}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    for mobile in ["13800000001", "13800000002"] {
        let check = expect_json(
            app.post(
                "/api/v1/blacklist/check",
                Some(&admin),
                &json!({"mobile": mobile}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(check["blocked"], false, "{mobile}");
    }
}

#[tokio::test]
async fn two_simultaneous_creates_with_one_id_number_leave_one_customer_and_one_409() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let first = individual("张三", ID_A, "13812345678");
    let second = individual("张三", ID_A, "13812345679");
    let (a, b) = tokio::join!(
        app.post("/api/v1/customers/individuals", Some(&admin), &first),
        app.post("/api/v1/customers/individuals", Some(&admin), &second),
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let loser = if a.status() == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    let p = expect_problem(loser, StatusCode::CONFLICT, "duplicate").await;
    assert_eq!(
        field_errors(&p),
        vec![("idNumber".into(), "duplicate".into())]
    );
    assert_eq!(app.count("customers").await, 1);
}
