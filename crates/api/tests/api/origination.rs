//! Loan applications through a configured approval flow, over HTTP: screening on submission,
//! round-robin assignment, the investigation, the loan-to-value limit, flow conditions,
//! returns and transfers, and every illegal transition refused with nothing changed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::customers::{ID_B, create_individual, individual};
use crate::helpers::*;

/// The cast of an application's life, each a separate user in department D.
pub struct Cast {
    pub admin: String,
    pub department: i64,
    pub manager: String,
    pub investigators: Vec<(i64, String)>,
    pub first_reviewer: (i64, String),
    pub second_reviewer: (i64, String),
    pub first_role: i64,
    pub second_role: i64,
    pub customer: i64,
    pub vehicle: i64,
    pub product: i64,
}

pub async fn cast(app: &TestApp) -> Cast {
    let admin = app.admin_token().await;
    let d = app.create_department(&admin, None, "D-ORIG").await["id"]
        .as_i64()
        .unwrap();
    let manager_role = app
        .create_role(
            &admin,
            "MANAGER",
            "department",
            &[
                "customer:read",
                "customer:write",
                "vehicle:read",
                "vehicle:write",
                "loan:application:read",
                "loan:application:write",
            ],
        )
        .await;
    let investigator_role = app
        .create_role(
            &admin,
            "INVESTIGATOR",
            "department",
            &["loan:application:read", "loan:investigate"],
        )
        .await;
    let first_role = app
        .create_role(&admin, "REVIEW-1", "self", &["loan:application:read"])
        .await;
    let second_role = app
        .create_role(&admin, "REVIEW-2", "self", &["loan:application:read"])
        .await;
    let (_, manager) = app
        .user_token(&admin, "manager", Some(d), &[manager_role])
        .await;
    let mut investigators = Vec::new();
    for name in ["inv-a", "inv-b"] {
        investigators.push(
            app.user_token(&admin, name, Some(d), &[investigator_role])
                .await,
        );
    }
    let first_reviewer = app.user_token(&admin, "rev-1", None, &[first_role]).await;
    let second_reviewer = app.user_token(&admin, "rev-2", None, &[second_role]).await;

    let customer = create_individual(app, &manager, &individual("借款人甲", ID_B, "13812345679"))
        .await["id"]
        .as_i64()
        .unwrap();
    let vehicle = expect_json(
        app.post(
            "/api/v1/vehicles",
            Some(&manager),
            &json!({"vin": "1M8GDM9AXKP042788", "plate": "京A12345", "brand": "大众",
                    "model": "帕萨特", "firstRegisteredOn": "2019-05-20", "mileageKm": 68000,
                    "usage": "private"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    appraise(app, &admin, vehicle, "250000").await;
    let product = expect_json(
        app.post(
            "/api/v1/products",
            Some(&admin),
            &json!({"code": "CAR-EI", "name": "车抵贷", "methods": ["equal_installment"],
                    "termMonthsMin": 12, "termMonthsMax": 36,
                    "amountMin": "30000", "amountMax": "500000",
                    "rateMin": "0.10", "rateMax": "0.18",
                    "maxLtv": "0.8", "collateralKind": "mortgage", "gpsRequired": true}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    Cast {
        admin,
        department: d,
        manager,
        investigators,
        first_reviewer,
        second_reviewer,
        first_role,
        second_role,
        customer,
        vehicle,
        product,
    }
}

async fn appraise(app: &TestApp, token: &str, vehicle: i64, value: &str) {
    expect_json(
        app.post(
            &format!("/api/v1/vehicles/{vehicle}/appraisals"),
            Some(token),
            &json!({"value": value, "method": "market_comparison", "conditionGrade": "good"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}

/// 初审 by role 1; above 150 000 a second step (复审) by role 2; else approved.
fn two_step_flow(c: &Cast) -> Value {
    json!({
        "name": "贷款审批",
        "graph": {
            "start": "first",
            "steps": [
                {"key": "first", "name": "初审",
                 "assignee": {"kind": "role", "roleId": c.first_role},
                 "next": [
                    {"to": "second", "when": [{"fact": "amount", "op": "gt", "values": ["150000"]}]},
                    {"to": "end"}
                 ],
                 "position": {"x": 40, "y": 80}},
                {"key": "second", "name": "复审",
                 "assignee": {"kind": "role", "roleId": c.second_role},
                 "next": [{"to": "end"}]}
            ]
        }
    })
}

async fn configure_flow(app: &TestApp, c: &Cast) -> Value {
    expect_json(
        app.put(
            "/api/v1/flows/loan_application",
            &c.admin,
            &two_step_flow(c),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

pub fn application(c: &Cast, amount: &str) -> Value {
    application_at(c, amount, "0.12")
}

/// An application at another annual rate (the product allows 0.10–0.18).
pub fn application_at(c: &Cast, amount: &str, rate: &str) -> Value {
    json!({"customerId": c.customer, "productId": c.product, "amount": amount,
           "termMonths": 24, "method": "equal_installment", "annualRate": rate,
           "purpose": "经营周转", "vehicleIds": [c.vehicle]})
}

pub async fn draft(app: &TestApp, c: &Cast, amount: &str) -> Value {
    draft_at(app, c, amount, "0.12").await
}

pub async fn draft_at(app: &TestApp, c: &Cast, amount: &str, rate: &str) -> Value {
    expect_json(
        app.post(
            "/api/v1/loan-applications",
            Some(&c.manager),
            &application_at(c, amount, rate),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

pub async fn step(app: &TestApp, token: &str, id: &Value, action: &str, body: Value) -> Value {
    expect_json(
        app.post(
            &format!("/api/v1/loan-applications/{id}/{action}"),
            Some(token),
            &body,
        )
        .await,
        StatusCode::OK,
    )
    .await
}

pub async fn detail(app: &TestApp, token: &str, id: &Value) -> Value {
    expect_json(
        app.get(&format!("/api/v1/loan-applications/{id}"), token)
            .await,
        StatusCode::OK,
    )
    .await
}

fn investigation() -> Value {
    json!({"findings": "走访借款人经营场所，经营正常，月流水约 30 万元。",
           "visitPlace": "北京市朝阳区某汽修厂", "visitAt": "2026-03-01T10:00:00Z",
           "conclusion": "recommend"})
}

/// Draft → submitted → assigned by hand to the first investigator → investigated → in review.
pub async fn to_review(app: &TestApp, c: &Cast, amount: &str) -> Value {
    to_review_at(app, c, amount, "0.12").await
}

pub async fn to_review_at(app: &TestApp, c: &Cast, amount: &str, rate: &str) -> Value {
    let a = draft_at(app, c, amount, rate).await;
    let id = a["id"].clone();
    let a = step(
        app,
        &c.manager,
        &id,
        "submit",
        json!({"version": a["version"]}),
    )
    .await;
    let a = step(
        app,
        &c.admin,
        &id,
        "assign",
        json!({"userId": c.investigators[0].0, "version": a["version"]}),
    )
    .await;
    let inv = &c.investigators[0].1;
    expect_json(
        app.put(
            &format!("/api/v1/loan-applications/{id}/investigation"),
            inv,
            &investigation(),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    step(
        app,
        inv,
        &id,
        "send-to-review",
        json!({"version": a["version"]}),
    )
    .await
}

pub async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    expect_json(app.get("/api/v1/tasks", token).await, StatusCode::OK).await["items"]
        .as_array()
        .unwrap()
        .clone()
}

pub async fn act(app: &TestApp, token: &str, task: &Value, body: Value) -> Value {
    expect_json(
        app.post(
            &format!("/api/v1/tasks/{}/actions", task["id"]),
            Some(token),
            &body,
        )
        .await,
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn a_large_application_passes_screening_investigation_and_two_review_steps() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    configure_flow(&app, &c).await;

    let a = draft(&app, &c, "180000").await;
    assert_eq!(a["status"], "draft");
    assert!(
        a["applicationNo"]
            .as_str()
            .unwrap()
            .starts_with("LA20260302")
    );
    let id = a["id"].clone();
    let a = step(
        &app,
        &c.manager,
        &id,
        "submit",
        json!({"version": a["version"]}),
    )
    .await;
    assert_eq!(a["status"], "submitted");
    assert!(a["screeningId"].is_i64(), "the screening is attached: {a}");
    assert_ne!(a["riskDecision"], "reject");
    assert!(a["riskGrade"].is_string());

    let a = step(
        &app,
        &c.admin,
        &id,
        "assign",
        json!({"version": a["version"]}),
    )
    .await;
    assert_eq!(a["status"], "investigating");
    assert_eq!(
        a["investigatorId"], c.investigators[0].0,
        "round robin starts at the first"
    );
    let inv = &c.investigators[0].1;
    expect_json(
        app.put(
            &format!("/api/v1/loan-applications/{id}/investigation"),
            inv,
            &investigation(),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let a = step(
        &app,
        inv,
        &id,
        "send-to-review",
        json!({"version": a["version"]}),
    )
    .await;
    assert_eq!(a["status"], "in_review");

    // 180 000 > 150 000: the first reviewer passes it on to the second.
    let tasks = inbox(&app, &c.first_reviewer.1).await;
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["stepName"], "初审");
    assert!(tasks[0]["title"].as_str().unwrap().contains("借款人甲"));
    assert!(inbox(&app, &c.second_reviewer.1).await.is_empty());
    let moved = act(
        &app,
        &c.first_reviewer.1,
        &tasks[0],
        json!({"action": "approve", "comment": "同意"}),
    )
    .await;
    assert_eq!(moved["decision"], "pending");
    assert_eq!(moved["currentStep"], "second");
    assert_eq!(
        detail(&app, &c.manager, &id).await["application"]["status"],
        "in_review"
    );

    let tasks = inbox(&app, &c.second_reviewer.1).await;
    assert_eq!(tasks[0]["stepName"], "复审");
    // The reviewer sees the application outside their own data scope, through the task.
    let seen = detail(&app, &c.second_reviewer.1, &id).await;
    assert_eq!(seen["collateral"]["limit"], "200000.00", "0.8 × 250 000");
    assert_eq!(seen["collateral"]["withinLimit"], true);
    let done = act(
        &app,
        &c.second_reviewer.1,
        &tasks[0],
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(done["decision"], "approved");

    let d = detail(&app, &c.manager, &id).await;
    assert_eq!(d["application"]["status"], "approved");
    assert!(d["application"]["decidedAt"].is_string());
    assert_eq!(d["flow"]["status"], "approved");
    let actions: Vec<&str> = d["flow"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submit", "approve", "approve"]);
    let statuses: Vec<&str> = d["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["toStatus"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "draft",
            "submitted",
            "investigating",
            "in_review",
            "approved"
        ]
    );
    assert!(d["transitions"][4]["actorName"] == "rev-2");
    // Done tasks move to the reviewer's 已办.
    let done = expect_json(
        app.get("/api/v1/tasks?state=done", &c.second_reviewer.1)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["items"][0]["action"], "approve");
}

#[tokio::test]
async fn a_small_amount_skips_the_second_step_and_round_robin_alternates() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    configure_flow(&app, &c).await;
    let mut assigned = Vec::new();
    for _ in 0..3 {
        let a = draft(&app, &c, "100000").await;
        let a = step(
            &app,
            &c.manager,
            &a["id"],
            "submit",
            json!({"version": a["version"]}),
        )
        .await;
        let a = step(
            &app,
            &c.admin,
            &a["id"],
            "assign",
            json!({"version": a["version"]}),
        )
        .await;
        assigned.push(a["investigatorId"].as_i64().unwrap());
    }
    let (a, b) = (c.investigators[0].0, c.investigators[1].0);
    assert_eq!(assigned, vec![a, b, a]);

    let a = to_review(&app, &c, "100000").await;
    let task = &inbox(&app, &c.first_reviewer.1).await[0];
    let done = act(
        &app,
        &c.first_reviewer.1,
        task,
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(
        done["decision"], "approved",
        "100 000 ≤ 150 000 ends after the first step"
    );
    assert_eq!(
        detail(&app, &c.manager, &a["id"]).await["application"]["status"],
        "approved"
    );
}

#[tokio::test]
async fn returns_and_transfers_move_the_work_and_the_applicant_can_amend_and_resubmit() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    configure_flow(&app, &c).await;
    let a = to_review(&app, &c, "180000").await;
    let id = a["id"].clone();
    let first = inbox(&app, &c.first_reviewer.1).await[0].clone();
    act(
        &app,
        &c.first_reviewer.1,
        &first,
        json!({"action": "approve"}),
    )
    .await;

    // The second reviewer sends it back to the first step: only steps passed are allowed.
    let second = inbox(&app, &c.second_reviewer.1).await[0].clone();
    let p = expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", second["id"]),
            Some(&c.second_reviewer.1),
            &json!({"action": "return", "returnTo": "second", "comment": "再看"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("returnTo".into(), "invalid_return".into())]
    );
    expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", second["id"]),
            Some(&c.second_reviewer.1),
            &json!({"action": "return", "returnTo": "first"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let back = act(
        &app,
        &c.second_reviewer.1,
        &second,
        json!({"action": "return", "returnTo": "first", "comment": "收入证明不足"}),
    )
    .await;
    assert_eq!(back["currentStep"], "first");

    // The first reviewer hands it to the second reviewer by name, who returns it to the applicant.
    let again = inbox(&app, &c.first_reviewer.1).await[0].clone();
    act(
        &app,
        &c.first_reviewer.1,
        &again,
        json!({"action": "transfer", "transferTo": c.second_reviewer.0}),
    )
    .await;
    assert!(inbox(&app, &c.first_reviewer.1).await.is_empty());
    let moved = inbox(&app, &c.second_reviewer.1).await[0].clone();
    assert_eq!(moved["stepKey"], "first");
    let history = detail(&app, &c.manager, &id).await["flow"]["events"].clone();
    let transfer = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(transfer["action"], "transfer");
    assert_eq!(transfer["toUserName"], "rev-2");
    let returned = act(
        &app,
        &c.second_reviewer.1,
        &moved,
        json!({"action": "return", "returnTo": "applicant", "comment": "请降低金额"}),
    )
    .await;
    assert_eq!(returned["decision"], "returned");
    let d = detail(&app, &c.manager, &id).await;
    assert_eq!(d["application"]["status"], "returned");
    assert_eq!(
        d["transitions"].as_array().unwrap().last().unwrap()["comment"],
        "请降低金额"
    );

    // Amended to 120 000 and resubmitted: the flow starts at 初审 and now ends there.
    let mut amended = application(&c, "120000");
    amended["version"] = d["application"]["version"].clone();
    let a = expect_json(
        app.put(
            &format!("/api/v1/loan-applications/{id}"),
            &c.manager,
            &amended,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["status"], "returned");
    let a = step(
        &app,
        &c.manager,
        &id,
        "resubmit",
        json!({"version": a["version"]}),
    )
    .await;
    assert_eq!(a["status"], "in_review");
    let task = inbox(&app, &c.first_reviewer.1).await[0].clone();
    assert_eq!(task["stepKey"], "first");
    let done = act(
        &app,
        &c.first_reviewer.1,
        &task,
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(done["decision"], "approved");
}

#[tokio::test]
async fn illegal_transitions_and_strangers_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    configure_flow(&app, &c).await;
    let a = draft(&app, &c, "100000").await;
    let id = a["id"].clone();
    // Not yet submitted: it cannot be assigned or sent to review.
    let p = expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{id}/assign"),
            Some(&c.admin),
            &json!({"version": a["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("draft"), "{p}");
    let a = step(
        &app,
        &c.manager,
        &id,
        "submit",
        json!({"version": a["version"]}),
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{id}/submit"),
            Some(&c.manager),
            &json!({"version": a["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    // A stale version is a conflict of its own.
    expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{id}/assign"),
            Some(&c.admin),
            &json!({"version": 1}),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    let before = detail(&app, &c.manager, &id).await;
    assert_eq!(before["application"]["status"], "submitted");
    assert_eq!(before["transitions"].as_array().unwrap().len(), 2);

    let a = to_review(&app, &c, "100000").await;
    let rid = a["id"].clone();
    // In review: no withdrawal, no edit.
    expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{rid}/withdraw"),
            Some(&c.manager),
            &json!({"version": a["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    let mut edit = application(&c, "90000");
    edit["version"] = a["version"].clone();
    expect_problem(
        app.put(
            &format!("/api/v1/loan-applications/{rid}"),
            &c.manager,
            &edit,
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    // Someone else's task; a rejection without a reason; then the task acted on twice.
    let task = inbox(&app, &c.first_reviewer.1).await[0].clone();
    expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", task["id"]),
            Some(&c.second_reviewer.1),
            &json!({"action": "approve"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "not_your_task",
    )
    .await;
    let p = expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", task["id"]),
            Some(&c.first_reviewer.1),
            &json!({"action": "reject"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("comment".into(), "required".into())]
    );
    let rejected = act(
        &app,
        &c.first_reviewer.1,
        &task,
        json!({"action": "reject", "comment": "负债过高"}),
    )
    .await;
    assert_eq!(rejected["decision"], "rejected");
    expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", task["id"]),
            Some(&c.first_reviewer.1),
            &json!({"action": "approve"}),
        )
        .await,
        StatusCode::CONFLICT,
        "task_closed",
    )
    .await;
    let d = detail(&app, &c.manager, &rid).await;
    assert_eq!(d["application"]["status"], "rejected");
    // A final state accepts nothing.
    expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{rid}/withdraw"),
            Some(&c.manager),
            &json!({"version": d["application"]["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    // The applicant is never a reviewer of their own application.
    assert!(inbox(&app, &c.manager).await.is_empty());
}

#[tokio::test]
async fn the_loan_to_value_limit_appraisals_and_product_terms_are_enforced() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    configure_flow(&app, &c).await;

    // Outside the product's terms: every field at once, nothing stored.
    let before = app.count("loan_applications").await;
    let mut bad = application(&c, "600000.001");
    bad["termMonths"] = json!(6);
    bad["method"] = json!("bullet");
    bad["annualRate"] = json!("0.30");
    bad["purpose"] = json!(" ");
    let p = expect_problem(
        app.post("/api/v1/loan-applications", Some(&c.manager), &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut found = field_errors(&p);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("amount".into(), "out_of_range".into()),
            ("amount".into(), "too_many_decimals".into()),
            ("annualRate".into(), "out_of_range".into()),
            ("method".into(), "not_offered".into()),
            ("purpose".into(), "required".into()),
            ("termMonths".into(), "out_of_range".into()),
        ]
    );
    assert_eq!(app.count("loan_applications").await, before);

    // 210 000 > 0.8 × 250 000: the investigator cannot send it to review.
    let a = draft(&app, &c, "210000").await;
    let id = a["id"].clone();
    let a = step(
        &app,
        &c.manager,
        &id,
        "submit",
        json!({"version": a["version"]}),
    )
    .await;
    let a = step(
        &app,
        &c.admin,
        &id,
        "assign",
        json!({"userId": c.investigators[1].0, "version": a["version"]}),
    )
    .await;
    let inv = &c.investigators[1].1;
    // No investigation yet.
    expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{id}/send-to-review"),
            Some(inv),
            &json!({"version": a["version"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "investigation_missing",
    )
    .await;
    expect_json(
        app.put(
            &format!("/api/v1/loan-applications/{id}/investigation"),
            inv,
            &investigation(),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let p = expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{id}/send-to-review"),
            Some(inv),
            &json!({"version": a["version"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ltv_exceeded",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("200000.00"), "{p}");
    // Only the assigned investigator may send it.
    expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{id}/send-to-review"),
            Some(&c.investigators[0].1),
            &json!({"version": a["version"]}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "not_your_application",
    )
    .await;
    // A new appraisal of 300 000 raises the limit to 240 000.
    appraise(&app, &c.admin, c.vehicle, "300000").await;
    let a = step(
        &app,
        inv,
        &id,
        "send-to-review",
        json!({"version": a["version"]}),
    )
    .await;
    assert_eq!(a["status"], "in_review");

    // The value falls before the decision: the final approval is refused and nothing moves.
    appraise(&app, &c.admin, c.vehicle, "200000").await;
    let task = inbox(&app, &c.first_reviewer.1).await[0].clone();
    act(
        &app,
        &c.first_reviewer.1,
        &task,
        json!({"action": "approve"}),
    )
    .await;
    let task = inbox(&app, &c.second_reviewer.1).await[0].clone();
    expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", task["id"]),
            Some(&c.second_reviewer.1),
            &json!({"action": "approve"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ltv_exceeded",
    )
    .await;
    assert_eq!(
        inbox(&app, &c.second_reviewer.1).await[0]["id"],
        task["id"],
        "the task is still open"
    );
    assert_eq!(
        detail(&app, &c.manager, &id).await["application"]["status"],
        "in_review"
    );
}

#[tokio::test]
async fn flows_are_validated_versioned_and_required_for_review() {
    let app = spawn_app().await;
    let c = cast(&app).await;

    // No flow configured: sending to review is refused and the application stays put.
    let a = draft(&app, &c, "100000").await;
    let id = a["id"].clone();
    let a = step(
        &app,
        &c.manager,
        &id,
        "submit",
        json!({"version": a["version"]}),
    )
    .await;
    let a = step(
        &app,
        &c.admin,
        &id,
        "assign",
        json!({"userId": c.investigators[0].0, "version": a["version"]}),
    )
    .await;
    let inv = &c.investigators[0].1;
    expect_json(
        app.put(
            &format!("/api/v1/loan-applications/{id}/investigation"),
            inv,
            &investigation(),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/loan-applications/{id}/send-to-review"),
            Some(inv),
            &json!({"version": a["version"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_flow",
    )
    .await;
    assert_eq!(
        detail(&app, &c.manager, &id).await["application"]["status"],
        "investigating"
    );

    // A cycle, a missing default exit and an unknown role, each named by its path.
    let mut bad = two_step_flow(&c);
    bad["graph"]["steps"][1]["next"] = json!([{"to": "first"}]);
    let p = expect_problem(
        app.put("/api/v1/flows/loan_application", &c.admin, &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("graph.steps[1].next[0].to".into(), "cycle".into())]
    );
    let mut bad = two_step_flow(&c);
    bad["graph"]["steps"][0]["next"] = json!([
        {"to": "second", "when": [{"fact": "amount", "op": "gt", "values": ["150000"]}]}
    ]);
    bad["graph"]["steps"][1]["assignee"] = json!({"kind": "role", "roleId": 9999});
    let p = expect_problem(
        app.put("/api/v1/flows/loan_application", &c.admin, &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("graph.steps[0].next[0].when".into(), "needs_default".into())]
    );
    bad["graph"]["steps"][0]["next"] = two_step_flow(&c)["graph"]["steps"][0]["next"].clone();
    let p = expect_problem(
        app.put("/api/v1/flows/loan_application", &c.admin, &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![(
            "graph.steps[1].assignee.roleId".into(),
            "unknown_assignee".into()
        )]
    );
    assert_eq!(app.count("flow_definitions").await, 0);

    // Version 1 starts this application's instance; version 2 (one step, by role 2) does not
    // change it.
    let v1 = configure_flow(&app, &c).await;
    assert_eq!(v1["graphVersion"], 1);
    let a = step(
        &app,
        inv,
        &id,
        "send-to-review",
        json!({"version": a["version"]}),
    )
    .await;
    assert_eq!(a["status"], "in_review");
    let mut v2 = json!({"name": "贷款审批（简化）", "version": v1["version"], "graph": {
        "start": "only", "steps": [{"key": "only", "name": "审批",
            "assignee": {"kind": "users", "userIds": [c.second_reviewer.0]},
            "next": [{"to": "end"}]}]}});
    let saved = expect_json(
        app.put("/api/v1/flows/loan_application", &c.admin, &v2)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["graphVersion"], 2);
    v2["version"] = json!(1);
    expect_problem(
        app.put("/api/v1/flows/loan_application", &c.admin, &v2)
            .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    let d = detail(&app, &c.manager, &id).await;
    assert_eq!(d["flow"]["definitionVersion"], 1);
    assert_eq!(d["flow"]["currentStep"], "first");
    assert_eq!(d["flow"]["candidateNames"], json!(["rev-1"]));
    let versions = expect_json(
        app.get("/api/v1/flows/loan_application/versions", &c.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(versions.as_array().unwrap().len(), 2);
    // Without the read permission and with no task on it, an application is out of reach.
    let (_, nobody) = app.user_token(&c.admin, "nobody", None, &[]).await;
    expect_problem(
        app.get(&format!("/api/v1/loan-applications/{id}"), &nobody)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Only flow:write may configure flows.
    expect_problem(
        app.put("/api/v1/flows/loan_application", &c.manager, &v2)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn two_approvals_of_one_task_at_once_move_the_flow_once() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    configure_flow(&app, &c).await;
    let a = to_review(&app, &c, "180000").await;
    let task = inbox(&app, &c.first_reviewer.1).await[0].clone();
    let path = format!("/api/v1/tasks/{}/actions", task["id"]);
    let body = json!({"action": "approve"});
    let (one, two) = tokio::join!(
        app.post(&path, Some(&c.first_reviewer.1), &body),
        app.post(&path, Some(&c.first_reviewer.1), &body),
    );
    let mut statuses = vec![one.status(), two.status()];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT]);
    // One second-step task, one approve event: the flow moved exactly once.
    assert_eq!(inbox(&app, &c.second_reviewer.1).await.len(), 1);
    let d = detail(&app, &c.manager, &a["id"]).await;
    let approvals = d["flow"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "approve")
        .count();
    assert_eq!(approvals, 1);
}

#[tokio::test]
async fn anyone_signed_in_can_pick_the_people_holding_a_permission() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    // The first reviewer cannot list users, yet can pick investigators by name.
    expect_problem(
        app.get("/api/v1/users", &c.first_reviewer.1).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let found = expect_json(
        app.get(
            "/api/v1/people?permission=loan:investigate",
            &c.first_reviewer.1,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["displayName"].as_str().unwrap())
        .collect();
    // The administrator holds every permission, so is one of them.
    assert_eq!(names, ["inv-a", "inv-b", "管理员"]);
    assert_eq!(found[0]["departmentName"], "部门D-ORIG");
    let one = expect_json(
        app.get("/api/v1/people?permission=loan:investigate&q=B", &c.manager)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(one.as_array().unwrap().len(), 1);
    let p = expect_problem(
        app.get("/api/v1/people?permission=loan:everything", &c.manager)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("permission".into(), "unknown_permission".into())]
    );
}

#[tokio::test]
async fn a_department_head_step_goes_to_the_nearest_head_above_the_applicant() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let head = expect_json(
        app.post(
            "/api/v1/positions",
            Some(&c.admin),
            &json!({"code": "DEPT-HEAD", "name": "部门负责人"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // D moves under a head office P; each has a head.
    let p = app.create_department(&c.admin, None, "P-HQ").await["id"]
        .as_i64()
        .unwrap();
    let d = expect_json(
        app.get(&format!("/api/v1/departments/{}", c.department), &c.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        app.put(
            &format!("/api/v1/departments/{}", c.department),
            &c.admin,
            &json!({"parentId": p, "name": d["name"], "code": d["code"], "version": d["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let mut heads = Vec::new();
    for (name, department) in [("head-d", c.department), ("head-p", p)] {
        let (id, token) = app.user_token(&c.admin, name, Some(department), &[]).await;
        expect_json(
            app.post(
                "/api/v1/employees",
                Some(&c.admin),
                &json!({"employeeNo": format!("E-{name}"), "name": name, "departmentId": department,
                        "positionId": head, "userId": id}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        heads.push((id, token));
    }
    expect_json(
        app.put(
            "/api/v1/flows/loan_application",
            &c.admin,
            &json!({"name": "部门审批", "graph": {"start": "head", "steps": [
                {"key": "head", "name": "部门负责人审批",
                 "assignee": {"kind": "department_head", "positionId": head},
                 "next": [{"to": "end"}]}]}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    // The manager's own department head decides.
    to_review(&app, &c, "100000").await;
    assert_eq!(inbox(&app, &heads[0].1).await.len(), 1);
    assert!(inbox(&app, &heads[1].1).await.is_empty());

    // Without an active head in D, the task goes up to P's.
    let u = expect_json(
        app.get(&format!("/api/v1/users/{}", heads[0].0), &c.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        app.post(
            &format!("/api/v1/users/{}/disable", heads[0].0),
            Some(&c.admin),
            &json!({"version": u["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    to_review(&app, &c, "100000").await;
    let up = inbox(&app, &heads[1].1).await;
    assert_eq!(up.len(), 1);
    assert_eq!(up[0]["stepName"], "部门负责人审批");
}
