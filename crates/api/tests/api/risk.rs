//! Risk screening over HTTP, with the external providers played by a small local fake server
//! that the real HTTP client talks to.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::customers::{ID_A, ID_B, create_individual, individual};
use crate::helpers::*;

/// What the fake providers answer; tests change it as they go.
#[derive(Clone)]
struct Answers(Arc<Mutex<Value>>);

impl Answers {
    fn set(&self, provider: &str, answer: Value) {
        self.0.lock().unwrap()[provider] = answer;
    }
}

/// Starts the fake provider server: `POST /{provider}` answers from `Answers`; `POST /hang`
/// never answers, for timeouts.
fn fake_providers() -> (String, Answers) {
    let answers = Answers(Arc::new(Mutex::new(json!({
        "court": {"listed": false, "cases": []},
        "bureau": {"score": 720, "overdueAccounts": 0},
        "vehicle": {"price": "250000.00"}
    }))));
    let shared = answers.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        let shared = shared.clone();
        App::new()
            .route(
                "/hang",
                web::post().to(|| async {
                    std::future::pending::<()>().await;
                    HttpResponse::Ok().finish()
                }),
            )
            .route(
                "/{provider}",
                web::post().to(move |path: web::Path<String>, body: web::Json<Value>| {
                    let shared = shared.clone();
                    async move {
                        // The subject arrives in full, since the provider needs it.
                        assert!(body.get("name").is_some() || body.get("vin").is_some());
                        let answer = shared.0.lock().unwrap()[path.as_str()].clone();
                        HttpResponse::Ok().json(answer)
                    }
                }),
            )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}"), answers)
}

async fn configure(app: &TestApp, admin: &str, base: &str, hang_bureau: bool) {
    for (kind, path) in [
        ("court_enforcement", "court"),
        ("credit_bureau", if hang_bureau { "hang" } else { "bureau" }),
        ("vehicle_price", "vehicle"),
    ] {
        expect_json(
            app.put(
                &format!("/api/v1/risk/providers/{kind}"),
                admin,
                &json!({"url": format!("{base}/{path}"), "timeoutMs": 300, "enabled": true, "version": 0}),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
}

fn loan(customer: &Value) -> Value {
    json!({
        "customerId": customer["id"],
        "loanAmount": "100000.00",
        "termMonths": 36,
        "existingMonthlyDebt": "2000.00",
        "vehicle": {"vin": "LSVAU2180N2183294", "description": "2022 大众帕萨特", "declaredValue": "260000.00"}
    })
}

async fn screen(app: &TestApp, token: &str, body: &Value) -> Value {
    expect_json(
        app.post("/api/v1/risk/screenings", Some(token), body).await,
        StatusCode::CREATED,
    )
    .await
}

fn reason_codes(screening: &Value) -> Vec<String> {
    screening["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_screening_gives_an_explained_decision_that_is_stored_and_can_be_rerun() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (base, _) = fake_providers();
    configure(&app, &admin, &base, false).await;
    let c = create_individual(&app, &admin, &individual("乙", ID_B, "13812345679")).await;
    let s = screen(&app, &admin, &loan(&c)).await;
    // 600 + 40 (age 35) + 30 (income 18000) + 40 (DTI 0.2654) + 40 (LTV 0.4) + 30 (bureau 720).
    assert_eq!(s["score"], 780, "{s}");
    assert_eq!(s["grade"], "A");
    assert_eq!(s["decision"], "pass");
    assert_eq!(reason_codes(&s), vec!["score"]);
    assert_eq!(s["ruleSetVersion"], 0);
    assert_eq!(s["facts"]["vehicleValue"], "250000.00");
    let calls = s["providerCalls"].as_array().unwrap();
    assert_eq!(calls.len(), 3);
    assert!(calls.iter().all(|c| c["status"] == "ok"), "{s}");
    // What is kept of the request is masked.
    assert_eq!(calls[1]["request"]["idNumber"], "440***********1232");
    assert_eq!(calls[1]["response"]["score"], 720);

    let stored = expect_json(
        app.get(&format!("/api/v1/risk/screenings/{}", s["id"]), &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stored["reasons"], s["reasons"]);
    let again = expect_json(
        app.post(
            &format!("/api/v1/risk/screenings/{}/rerun", s["id"]),
            Some(&admin),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(again["rerunOf"], s["id"]);
    assert_eq!(again["decision"], "pass");
    let list = expect_json(
        app.get(
            &format!("/api/v1/risk/screenings?customerId={}", c["id"]),
            &admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 2);
}

#[tokio::test]
async fn a_provider_that_times_out_leaves_a_completed_screening_with_that_reason() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (base, _) = fake_providers();
    configure(&app, &admin, &base, true).await;
    let c = create_individual(&app, &admin, &individual("乙", ID_B, "13812345679")).await;
    let s = screen(&app, &admin, &loan(&c)).await;
    assert_eq!(s["decision"], "manual_review", "{s}");
    assert!(reason_codes(&s).contains(&"provider_unavailable:credit_bureau".to_string()));
    let bureau = &s["providerCalls"][1];
    assert_eq!(bureau["provider"], "credit_bureau");
    assert_eq!(bureau["status"], "timeout");
    assert!(bureau["error"].as_str().unwrap().contains("300 ms"));
    assert_eq!(s["facts"]["bureauScore"], Value::Null);
    // Without the bureau the score has no bureau points: 780 - 30.
    assert_eq!(s["score"], 750);
}

#[tokio::test]
async fn editing_a_threshold_and_a_band_through_the_api_changes_the_decision_and_keeps_history() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (base, _) = fake_providers();
    configure(&app, &admin, &base, false).await;
    let c = create_individual(&app, &admin, &individual("乙", ID_B, "13812345679")).await;
    let first = screen(&app, &admin, &loan(&c)).await;
    assert_eq!(first["decision"], "pass");

    let current = expect_json(
        app.get("/api/v1/risk/rule-set", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(current["version"], 0);
    let mut rules = current["ruleSet"].clone();
    // The debt-to-income limit (rule 3) goes down to 0.20.
    assert_eq!(rules["rules"][3]["code"], "debt_to_income");
    rules["rules"][3]["max"] = json!("0.20");
    let v1 = expect_json(
        app.put(
            "/api/v1/risk/rule-set",
            &admin,
            &json!({"ruleSet": rules, "note": "收紧负债收入比", "baseVersion": 0}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v1["version"], 1);
    let second = expect_json(
        app.post(
            &format!("/api/v1/risk/screenings/{}/rerun", first["id"]),
            Some(&admin),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second["decision"], "reject");
    assert_eq!(second["ruleSetVersion"], 1);
    let dti = &second["reasons"][0];
    assert_eq!(dti["code"], "debt_to_income");
    assert_eq!(dti["value"], "0.2654");
    assert_eq!(dti["threshold"], "0.2");

    // A stale base version is refused.
    expect_problem(
        app.put(
            "/api/v1/risk/rule-set",
            &admin,
            &json!({"ruleSet": rules, "baseVersion": 0}),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;

    // Restore the limit, and make a 720 bureau score cost 300 points instead of earning 30.
    rules["rules"][3]["max"] = json!("0.55");
    assert_eq!(
        rules["scorecard"]["characteristics"][4]["attribute"],
        "bureau_score"
    );
    rules["scorecard"]["characteristics"][4]["bands"][2]["points"] = json!(-300);
    expect_json(
        app.put(
            "/api/v1/risk/rule-set",
            &admin,
            &json!({"ruleSet": rules, "note": "征信分段调整", "baseVersion": 1}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let third = screen(&app, &admin, &loan(&c)).await;
    assert_eq!(third["score"], 450);
    assert_eq!(third["grade"], "D");
    assert_eq!(third["decision"], "reject");
    assert_eq!(reason_codes(&third), vec!["score"]);

    let history = expect_json(
        app.get("/api/v1/risk/rule-set/versions", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history["total"], 2);
    assert_eq!(history["items"][0]["note"], "征信分段调整");
    let v1_again = expect_json(
        app.get("/api/v1/risk/rule-set/versions/1", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v1_again["ruleSet"]["rules"][3]["max"], "0.20");
    let log = expect_json(
        app.get("/api/v1/audit-logs?entity=risk_rule_set", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 2);
}

#[tokio::test]
async fn blacklist_and_court_listing_reject_with_their_reasons() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (base, answers) = fake_providers();
    configure(&app, &admin, &base, false).await;
    let c = create_individual(&app, &admin, &individual("乙", ID_B, "13812345679")).await;
    expect_json(
        app.post(
            "/api/v1/blacklist",
            Some(&admin),
            &json!({"subjectKind": "mobile", "value": "13812345679", "reason": "欺诈申请", "source": "internal"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    answers.set(
        "court",
        json!({"listed": true, "cases": ["(2025)京0105执123号"]}),
    );
    let s = screen(&app, &admin, &loan(&c)).await;
    assert_eq!(s["decision"], "reject");
    let codes = reason_codes(&s);
    assert!(codes.contains(&"blacklist".to_string()), "{codes:?}");
    assert!(
        codes.contains(&"court_enforcement".to_string()),
        "{codes:?}"
    );
    let black = s["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "blacklist")
        .unwrap();
    assert!(black["message"].as_str().unwrap().contains("欺诈申请"));
}

#[tokio::test]
async fn screening_needs_the_permission_and_a_customer_in_scope_and_bad_input_names_fields() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let c = create_individual(&app, &admin, &individual("甲", ID_A, "13812345678")).await;
    let role = app
        .create_role(&admin, "cm", "self", &["customer:read", "risk:screen"])
        .await;
    let (_, manager) = app.user_token(&admin, "cm1", None, &[role]).await;
    let p = expect_problem(
        app.post("/api/v1/risk/screenings", Some(&manager), &loan(&c))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("customerId".into(), "unknown_reference".into())]
    );
    expect_problem(
        app.get("/api/v1/risk/rule-set", &manager).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mut body = loan(&c);
    body["loanAmount"] = json!("0.00");
    body["termMonths"] = json!(0);
    let p = expect_problem(
        app.post("/api/v1/risk/screenings", Some(&admin), &body)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("loanAmount".into(), "not_positive".into()),
            ("termMonths".into(), "out_of_range".into())
        ]
    );
    // Without providers configured the screening still completes, for a person to review.
    let s = screen(&app, &admin, &loan(&c)).await;
    assert_eq!(s["decision"], "reject", "{s}");
    assert!(
        reason_codes(&s).contains(&"age".to_string()),
        "76 is above 65"
    );
    assert!(reason_codes(&s).contains(&"provider_unavailable:vehicle_price".to_string()));
    assert_eq!(s["providerCalls"][0]["status"], "skipped");
    assert_eq!(
        s["facts"]["vehicleValue"], "260000.00",
        "the declared value stands in"
    );

    let current = expect_json(
        app.get("/api/v1/risk/rule-set", &admin).await,
        StatusCode::OK,
    )
    .await;
    let mut rules = current["ruleSet"].clone();
    rules["rules"][0]["max"] = json!("10");
    rules["scorecard"]["reviewScore"] = json!(900);
    let p = expect_problem(
        app.put(
            "/api/v1/risk/rule-set",
            &admin,
            &json!({"ruleSet": rules, "baseVersion": 0}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("ruleSet.rules[0].max".into(), "below_min".into()),
            ("ruleSet.scorecard.reviewScore".into(), "above_pass".into())
        ]
    );
}

#[tokio::test]
async fn a_draft_rule_set_can_be_tried_on_a_customer_without_saving_anything() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (base, _) = fake_providers();
    configure(&app, &admin, &base, false).await;
    let c = create_individual(&app, &admin, &individual("乙", ID_B, "13812345679")).await;
    let current = expect_json(
        app.get("/api/v1/risk/rule-set", &admin).await,
        StatusCode::OK,
    )
    .await;
    let mut draft = current["ruleSet"].clone();
    draft["rules"][4]["max"] = json!("0.30");
    let trial = expect_json(
        app.post(
            "/api/v1/risk/rule-set/trial",
            Some(&admin),
            &json!({"ruleSet": draft, "screening": loan(&c)}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(trial["outcome"]["decision"], "manual_review");
    assert_eq!(trial["outcome"]["reasons"][0]["code"], "loan_to_value");
    assert_eq!(app.count("risk_screenings").await, 0);
    assert_eq!(app.count("risk_rule_sets").await, 0);
}

#[tokio::test]
async fn a_manager_sees_only_the_screenings_of_their_own_customers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let role = app
        .create_role(
            &admin,
            "cm",
            "self",
            &["customer:read", "customer:write", "risk:screen"],
        )
        .await;
    let (_, manager) = app.user_token(&admin, "cm1", None, &[role]).await;
    let theirs = create_individual(&app, &admin, &individual("甲", ID_A, "13812345678")).await;
    let mine = create_individual(&app, &manager, &individual("乙", ID_B, "13812345679")).await;
    let other = screen(&app, &admin, &loan(&theirs)).await;
    screen(&app, &manager, &loan(&mine)).await;
    let list = expect_json(
        app.get("/api/v1/risk/screenings", &manager).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["customerId"], mine["id"]);
    expect_problem(
        app.get(
            &format!("/api/v1/risk/screenings/{}", other["id"]),
            &manager,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let all = expect_json(
        app.get("/api/v1/risk/screenings?decision=reject", &admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["total"], 1, "甲 is 76: the age rule rejects");
}
