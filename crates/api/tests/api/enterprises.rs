//! Enterprise customers, prospects and key rotation over HTTP.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::customers::{ID_A, ID_B, create_individual, individual};
use crate::helpers::*;

fn enterprise(code: &str) -> Value {
    json!({
        "name": "北京某某汽车服务有限公司",
        "creditCode": code,
        "legalRepresentative": {"name": "王总", "idNumber": ID_B},
        "registeredCapital": "5000000.00",
        "foundedOn": "2015-06-01",
        "industry": "汽车销售",
        "addresses": [{"kind": "registered", "text": "北京市朝阳区"}],
        "contacts": [{"name": "刘会计", "position": "财务经理", "phone": "13600001111"}]
    })
}

#[tokio::test]
async fn an_enterprise_needs_a_valid_credit_code_and_a_legal_representative() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut bad = enterprise("91350100M000100Y44");
    bad["legalRepresentative"] = json!({"name": "", "idNumber": "110105194912310021"});
    let p = expect_problem(
        app.post("/api/v1/customers/enterprises", Some(&admin), &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let errors = field_errors(&p);
    assert!(errors.contains(&("creditCode".into(), "invalid_credit_code_check".into())));
    assert!(errors.contains(&("legalRepresentative.name".into(), "required".into())));
    assert!(errors.contains(&(
        "legalRepresentative.idNumber".into(),
        "invalid_id_check_digit".into()
    )));
    let e = expect_json(
        app.post(
            "/api/v1/customers/enterprises",
            Some(&admin),
            &enterprise("91350100m000100y43"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(e["kind"], "enterprise");
    assert_eq!(e["creditCode"], "91350100M000100Y43");
    assert_eq!(e["legalRepresentative"]["idNumber"], "440***********1232");
    assert_eq!(e["registeredCapital"], "5000000.00");
    assert_eq!(e["contacts"][0]["phone"], "136****1111");
    expect_problem(
        app.post(
            "/api/v1/customers/enterprises",
            Some(&admin),
            &enterprise("91350100M000100Y43"),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    // A representative who is our customer.
    let person = create_individual(&app, &admin, &individual("王总", ID_A, "13812345678")).await;
    let mut linked = enterprise("91440300708461136T");
    linked["legalRepresentative"] = json!({"customerId": person["id"]});
    let e2 = expect_json(
        app.post("/api/v1/customers/enterprises", Some(&admin), &linked)
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(e2["legalRepresentative"]["customerId"], person["id"]);
    assert_eq!(e2["legalRepresentative"]["name"], "王总");
    let found = expect_json(
        app.get("/api/v1/customers?creditCode=91440300708461136T", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["total"], 1);
    // A blacklisted credit code shows on the enterprise.
    expect_json(
        app.post(
            "/api/v1/blacklist",
            Some(&admin),
            &json!({"subjectKind": "credit_code", "value": "91350100M000100Y43",
                    "reason": "经营异常", "source": "internal"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let shown = expect_json(
        app.get(&format!("/api/v1/customers/{}", e["id"]), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shown["blacklistHits"][0]["reason"], "经营异常");
}

#[tokio::test]
async fn a_prospect_is_followed_up_and_converted_into_a_customer_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let p = expect_json(
        app.post(
            "/api/v1/prospects",
            Some(&admin),
            &json!({"name": "张三", "mobile": "13812345678", "source": "dealer",
                    "followUpOn": "2026-03-05"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(p["mobile"], "138****5678");
    assert_eq!(p["status"], "open");
    let due = expect_json(
        app.get(
            "/api/v1/prospects?followUpBy=2026-03-05&status=open",
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(due["total"], 1);
    let path = format!("/api/v1/prospects/{}/convert", p["id"]);
    let mut broken = individual("张三", "110105194912310021", "13812345678");
    broken["contacts"] = json!([]);
    let problem = expect_problem(
        app.post(
            &path,
            Some(&admin),
            &json!({"version": 1, "customer": broken}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        field_errors(&problem)
            .contains(&("customer.idNumber".into(), "invalid_id_check_digit".into()))
    );
    let customer = expect_json(
        app.post(
            &path,
            Some(&admin),
            &json!({"version": 1, "customer": individual("张三", ID_A, "13812345678")}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(customer["name"], "张三");
    let after = expect_json(
        app.get("/api/v1/prospects?status=converted", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after["items"][0]["customerId"], customer["id"]);
    expect_problem(
        app.post(
            &path,
            Some(&admin),
            &json!({"version": 2, "customer": individual("张三", ID_B, "13812345678")}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
}

#[tokio::test]
async fn rotation_re_encrypts_everything_under_the_new_key_and_search_still_finds_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = create_individual(&app, &admin, &individual("张三", ID_A, "13812345678")).await;
    expect_json(
        app.post(
            &format!("/api/v1/customers/{}/bank-accounts", c["id"]),
            Some(&admin),
            &json!({"bankName": "工商银行", "accountType": "card",
                    "number": "6222021234567890128", "holderName": "张三"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let both = customers::PiiKeys::parse(
        &format!("t1:{},t2:{}", "11".repeat(32), "33".repeat(32)),
        Some("t2"),
        &"22".repeat(32),
    )
    .unwrap();
    let report = customers::service::rotation::rotate(&app.db, &both)
        .await
        .unwrap();
    let count = |name: &str| {
        report
            .columns
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, n)| *n)
            .unwrap()
    };
    assert_eq!(count("customers.id_number_cipher"), 1);
    assert_eq!(count("customer_bank_accounts.number_cipher"), 1);
    // Run again: nothing left to do.
    let again = customers::service::rotation::rotate(&app.db, &both)
        .await
        .unwrap();
    assert!(again.columns.iter().all(|(_, n)| *n == 0));
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT id_number_cipher FROM customers".to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    let sealed: String = row.try_get("", "id_number_cipher").unwrap();
    assert!(sealed.starts_with("t2:"));
    let only_new =
        customers::PiiKeys::parse(&format!("t2:{}", "33".repeat(32)), None, &"22".repeat(32))
            .unwrap();
    assert_eq!(
        only_new.decrypt("customers.id_number", &sealed).unwrap(),
        ID_A
    );
    // The hashes did not change, so exact search still finds the customer. (The running
    // server holds only t1, so this looks in the table itself.)
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT COUNT(*) AS n FROM customers WHERE id_number_hash = '{}'",
                only_new.hash("id_number", ID_A)
            ),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
}

#[tokio::test]
async fn an_enterprise_is_updated_with_its_version_and_can_be_disabled_and_enabled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let e = expect_json(
        app.post(
            "/api/v1/customers/enterprises",
            Some(&admin),
            &enterprise("91110108MA01AB2C3T"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let mut body = enterprise("91110108MA01AB2C3T");
    body["industry"] = json!("二手车经销");
    body["version"] = json!(1);
    let path = format!("/api/v1/customers/enterprises/{}", e["id"]);
    let updated = expect_json(app.put(&path, &admin, &body).await, StatusCode::OK).await;
    assert_eq!(updated["industry"], "二手车经销");
    assert_eq!(updated["version"], 2);
    expect_problem(
        app.put(&path, &admin, &body).await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    // An individual's id is not an enterprise.
    let person = create_individual(&app, &admin, &individual("王总", ID_A, "13812345678")).await;
    body["version"] = json!(1);
    expect_problem(
        app.put(
            &format!("/api/v1/customers/enterprises/{}", person["id"]),
            &admin,
            &body,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let disabled = expect_json(
        app.post(
            &format!("/api/v1/customers/{}/disable", e["id"]),
            Some(&admin),
            &json!({"version": 2}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(disabled["status"], "disabled");
    let listed = expect_json(
        app.get("/api/v1/customers?status=disabled&kind=enterprise", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["total"], 1);
    let enabled = expect_json(
        app.post(
            &format!("/api/v1/customers/{}/enable", e["id"]),
            Some(&admin),
            &json!({"version": 3}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(enabled["status"], "active");
}
