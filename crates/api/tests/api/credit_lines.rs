//! Credit lines (授信) over HTTP: the application through a configured `credit_line` flow to an
//! active line, freezing and unfreezing, every illegal transition refused with nothing
//! changed, and loans drawing on the line — within it, above it, overdrawing it at approval,
//! and two approvals racing for its last amount.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use sea_orm::TransactionTrait;
use serde_json::{Value, json};
use time::macros::datetime;

use crate::customers::{ID_B, ID_C, create_individual, individual};
use crate::helpers::*;

/// The people and things of a line's life; everyone but the reviewers in department D.
struct Setup {
    admin: String,
    manager: (i64, String),
    investigator: (i64, String),
    line_reviewer: String,
    line_senior_reviewer: String,
    loan_reviewer: String,
    risk_officer: String,
    customer: i64,
    other_customer: i64,
    vehicle: i64,
    product: i64,
}

async fn setup(app: &TestApp) -> Setup {
    let admin = app.admin_token().await;
    let d = app.create_department(&admin, None, "D-CL").await["id"]
        .as_i64()
        .unwrap();
    let manager_role = app
        .create_role(
            &admin,
            "CL-MANAGER",
            "department",
            &[
                "customer:read",
                "customer:write",
                "vehicle:read",
                "vehicle:write",
                "loan:application:read",
                "loan:application:write",
                "credit:line:read",
                "credit:line:write",
            ],
        )
        .await;
    let investigator_role = app
        .create_role(
            &admin,
            "CL-INVESTIGATOR",
            "department",
            &["loan:application:read", "loan:investigate"],
        )
        .await;
    let line_role = app.create_role(&admin, "CL-REVIEW-1", "self", &[]).await;
    let senior_role = app.create_role(&admin, "CL-REVIEW-2", "self", &[]).await;
    let loan_role = app
        .create_role(&admin, "LOAN-REVIEW", "self", &["loan:application:read"])
        .await;
    let risk_role = app
        .create_role(
            &admin,
            "CL-RISK",
            "all",
            &["credit:line:read", "credit:line:freeze"],
        )
        .await;
    let manager = app
        .user_token(&admin, "cl-manager", Some(d), &[manager_role])
        .await;
    let investigator = app
        .user_token(&admin, "cl-inv", Some(d), &[investigator_role])
        .await;
    let (_, line_reviewer) = app.user_token(&admin, "cl-rev-1", None, &[line_role]).await;
    let (_, line_senior_reviewer) = app
        .user_token(&admin, "cl-rev-2", None, &[senior_role])
        .await;
    let (_, loan_reviewer) = app.user_token(&admin, "loan-rev", None, &[loan_role]).await;
    let (_, risk_officer) = app.user_token(&admin, "cl-risk", None, &[risk_role]).await;

    let customer = create_individual(
        app,
        &manager.1,
        &individual("授信人甲", ID_B, "13812345670"),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let other_customer = create_individual(
        app,
        &manager.1,
        &individual("授信人乙", ID_C, "13812345671"),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let vehicle = expect_json(
        app.post(
            "/api/v1/vehicles",
            Some(&manager.1),
            &json!({"vin": "1M8GDM9AXKP042788", "plate": "京A54321", "brand": "丰田",
                    "model": "凯美瑞", "firstRegisteredOn": "2020-05-20", "mileageKm": 40000,
                    "usage": "private"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // 0.8 × 500 000 = 400 000: the loan-to-value limit is above every line below.
    expect_json(
        app.post(
            &format!("/api/v1/vehicles/{vehicle}/appraisals"),
            Some(&admin),
            &json!({"value": "500000", "method": "market_comparison", "conditionGrade": "good"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let product = expect_json(
        app.post(
            "/api/v1/products",
            Some(&admin),
            &json!({"code": "CAR-CL", "name": "车抵贷（授信）", "methods": ["equal_installment"],
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

    // 授信审核: 初审 by role 1; above 500 000 a second step (复审) by role 2.
    expect_json(
        app.put(
            "/api/v1/flows/credit_line",
            &admin,
            &json!({"name": "授信审核", "graph": {"start": "first", "steps": [
                {"key": "first", "name": "初审", "assignee": {"kind": "role", "roleId": line_role},
                 "next": [
                    {"to": "second", "when": [{"fact": "amount", "op": "gt", "values": ["500000"]}]},
                    {"to": "end"}
                 ]},
                {"key": "second", "name": "复审", "assignee": {"kind": "role", "roleId": senior_role},
                 "next": [{"to": "end"}]}
            ]}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        app.put(
            "/api/v1/flows/loan_application",
            &admin,
            &json!({"name": "贷款审批", "graph": {"start": "only", "steps": [
                {"key": "only", "name": "审批", "assignee": {"kind": "role", "roleId": loan_role},
                 "next": [{"to": "end"}]}
            ]}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    Setup {
        admin,
        manager,
        investigator,
        line_reviewer,
        line_senior_reviewer,
        loan_reviewer,
        risk_officer,
        customer,
        other_customer,
        vehicle,
        product,
    }
}

fn line_body(customer: i64, amount: &str) -> Value {
    json!({"customerId": customer, "requestedAmount": amount,
           "validFrom": "2026-03-01", "validUntil": "2027-02-28",
           "purpose": "车辆抵押循环贷款"})
}

async fn draft_line(app: &TestApp, s: &Setup, amount: &str) -> Value {
    expect_json(
        app.post(
            "/api/v1/credit-lines",
            Some(&s.manager.1),
            &line_body(s.customer, amount),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

async fn line_step(app: &TestApp, token: &str, id: &Value, action: &str, body: Value) -> Value {
    expect_json(
        app.post(
            &format!("/api/v1/credit-lines/{id}/{action}"),
            Some(token),
            &body,
        )
        .await,
        StatusCode::OK,
    )
    .await
}

async fn line_detail(app: &TestApp, token: &str, id: &Value) -> Value {
    expect_json(
        app.get(&format!("/api/v1/credit-lines/{id}"), token).await,
        StatusCode::OK,
    )
    .await
}

/// The open tasks of `kind` in `token`'s inbox.
async fn tasks_of(app: &TestApp, token: &str, kind: &str) -> Vec<Value> {
    expect_json(
        app.get(&format!("/api/v1/tasks?businessType={kind}"), token)
            .await,
        StatusCode::OK,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// The open task on one record.
async fn task_on(app: &TestApp, token: &str, kind: &str, id: &Value) -> Value {
    tasks_of(app, token, kind)
        .await
        .into_iter()
        .find(|t| t["businessId"] == *id)
        .unwrap_or_else(|| panic!("no open {kind} task on {id}"))
}

async fn act(app: &TestApp, token: &str, task: &Value, body: Value) -> Value {
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

/// A line of `amount` (at most 500 000: one review step) drafted, submitted and approved.
async fn active_line(app: &TestApp, s: &Setup, amount: &str) -> Value {
    let l = draft_line(app, s, amount).await;
    let id = l["id"].clone();
    line_step(
        app,
        &s.manager.1,
        &id,
        "submit",
        json!({"version": l["version"]}),
    )
    .await;
    let task = task_on(app, &s.line_reviewer, "credit_line", &id).await;
    let done = act(app, &s.line_reviewer, &task, json!({"action": "approve"})).await;
    assert_eq!(done["decision"], "approved");
    line_detail(app, &s.manager.1, &id).await["line"].clone()
}

fn application(s: &Setup, amount: &str, line: &Value) -> Value {
    json!({"customerId": s.customer, "productId": s.product, "amount": amount,
           "termMonths": 24, "method": "equal_installment", "annualRate": "0.12",
           "purpose": "经营周转", "vehicleIds": [s.vehicle], "creditLineId": line})
}

async fn loan_step(app: &TestApp, token: &str, id: &Value, action: &str, version: &Value) -> Value {
    expect_json(
        app.post(
            &format!("/api/v1/loan-applications/{id}/{action}"),
            Some(token),
            &json!({"version": version}),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

/// A loan application drawing on `line`, drafted and carried into its review.
async fn loan_in_review(app: &TestApp, s: &Setup, amount: &str, line: &Value) -> Value {
    let a = expect_json(
        app.post(
            "/api/v1/loan-applications",
            Some(&s.manager.1),
            &application(s, amount, line),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(a["creditLineId"], *line);
    let id = a["id"].clone();
    let a = loan_step(app, &s.manager.1, &id, "submit", &a["version"]).await;
    let a = expect_json(
        app.post(
            &format!("/api/v1/loan-applications/{id}/assign"),
            Some(&s.admin),
            &json!({"userId": s.investigator.0, "version": a["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        app.put(
            &format!("/api/v1/loan-applications/{id}/investigation"),
            &s.investigator.1,
            &json!({"findings": "走访借款人经营场所，经营正常。", "visitPlace": "北京市朝阳区",
                    "visitAt": "2026-03-01T10:00:00Z", "conclusion": "recommend"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let a = loan_step(app, &s.investigator.1, &id, "send-to-review", &a["version"]).await;
    assert_eq!(a["status"], "in_review");
    a
}

async fn loan_detail(app: &TestApp, s: &Setup, id: &Value) -> Value {
    expect_json(
        app.get(&format!("/api/v1/loan-applications/{id}"), &s.manager.1)
            .await,
        StatusCode::OK,
    )
    .await
}

fn statuses(detail: &Value) -> Vec<String> {
    detail["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["toStatus"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_credit_line_is_reviewed_through_its_flow_and_becomes_active() {
    let app = spawn_app().await;
    let s = setup(&app).await;

    // Bad input: every field at once, nothing stored.
    let before = app.count("credit_lines").await;
    let p = expect_problem(
        app.post(
            "/api/v1/credit-lines",
            Some(&s.manager.1),
            &json!({"customerId": 99999, "requestedAmount": "1000.001",
                    "validFrom": "2026-06-01", "validUntil": "2026-05-31", "purpose": " "}),
        )
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
            ("customerId".into(), "not_found".into()),
            ("purpose".into(), "required".into()),
            ("requestedAmount".into(), "too_many_decimals".into()),
            ("validUntil".into(), "before_valid_from".into()),
        ]
    );
    // A JSON number is not an amount: 400, as for every amount.
    let mut number = line_body(s.customer, "1");
    number["requestedAmount"] = json!(300000);
    expect_problem(
        app.post("/api/v1/credit-lines", Some(&s.manager.1), &number)
            .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_eq!(app.count("credit_lines").await, before);

    let l = draft_line(&app, &s, "600000").await;
    assert_eq!(l["status"], "draft");
    assert!(l["lineNo"].as_str().unwrap().starts_with("CL20260302"));
    assert_eq!(l["requestedAmount"], "600000.00");
    assert_eq!(l["approvedAmount"], Value::Null);
    assert_eq!(l["availableAmount"], "0.00");
    let id = l["id"].clone();
    let l = line_step(
        &app,
        &s.manager.1,
        &id,
        "submit",
        json!({"version": l["version"]}),
    )
    .await;
    assert_eq!(l["status"], "in_review");

    // 600 000 > 500 000: 初审 passes it on to 复审.
    let task = task_on(&app, &s.line_reviewer, "credit_line", &id).await;
    assert_eq!(task["stepName"], "初审");
    assert!(task["title"].as_str().unwrap().contains("授信人甲"));
    // The reviewer has no credit-line permission but sees the line through the task.
    let seen = line_detail(&app, &s.line_reviewer, &id).await;
    assert_eq!(seen["flow"]["currentStep"], "first");
    let moved = act(
        &app,
        &s.line_reviewer,
        &task,
        json!({"action": "approve", "comment": "同意"}),
    )
    .await;
    assert_eq!(moved["decision"], "pending");
    assert_eq!(
        line_detail(&app, &s.manager.1, &id).await["line"]["status"],
        "in_review"
    );
    let task = task_on(&app, &s.line_senior_reviewer, "credit_line", &id).await;
    let done = act(
        &app,
        &s.line_senior_reviewer,
        &task,
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(done["decision"], "approved");

    let d = line_detail(&app, &s.manager.1, &id).await;
    let line = &d["line"];
    assert_eq!(line["status"], "active");
    assert_eq!(line["approvedAmount"], "600000.00");
    assert_eq!(line["usedAmount"], "0.00");
    assert_eq!(line["availableAmount"], "600000.00");
    assert_eq!(line["validFrom"], "2026-03-01");
    assert_eq!(line["validUntil"], "2027-02-28");
    assert_eq!(line["expired"], false);
    assert!(line["decidedAt"].is_string());
    assert_eq!(d["flow"]["status"], "approved");
    assert_eq!(statuses(&d), ["draft", "in_review", "active"]);
    assert_eq!(d["transitions"][2]["actorName"], "cl-rev-2");
    assert_eq!(d["uses"], json!([]));
    assert_eq!(
        app.count("audit_log WHERE entity = 'credit_line'").await,
        3,
        "create, submit, approve"
    );
    // Listed for the manager, by status and by customer name.
    let listed = expect_json(
        app.get("/api/v1/credit-lines?status=active&q=授信人", &s.manager.1)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id);
}

#[tokio::test]
async fn a_returned_line_is_amended_and_resubmitted_and_a_rejected_one_is_final() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let l = draft_line(&app, &s, "300000").await;
    let id = l["id"].clone();
    line_step(
        &app,
        &s.manager.1,
        &id,
        "submit",
        json!({"version": l["version"]}),
    )
    .await;
    let task = task_on(&app, &s.line_reviewer, "credit_line", &id).await;
    let back = act(
        &app,
        &s.line_reviewer,
        &task,
        json!({"action": "return", "returnTo": "applicant", "comment": "请补充收入证明"}),
    )
    .await;
    assert_eq!(back["decision"], "returned");
    let d = line_detail(&app, &s.manager.1, &id).await;
    assert_eq!(d["line"]["status"], "returned");
    assert_eq!(
        d["transitions"].as_array().unwrap().last().unwrap()["comment"],
        "请补充收入证明"
    );

    // Amended to 200 000 and resubmitted: approved at 200 000.
    let mut amended = line_body(s.customer, "200000");
    amended["version"] = d["line"]["version"].clone();
    let l = expect_json(
        app.put(
            &format!("/api/v1/credit-lines/{id}"),
            &s.manager.1,
            &amended,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(l["status"], "returned");
    assert_eq!(l["requestedAmount"], "200000.00");
    let l = line_step(
        &app,
        &s.manager.1,
        &id,
        "resubmit",
        json!({"version": l["version"]}),
    )
    .await;
    assert_eq!(l["status"], "in_review");
    let task = task_on(&app, &s.line_reviewer, "credit_line", &id).await;
    act(&app, &s.line_reviewer, &task, json!({"action": "approve"})).await;
    let d = line_detail(&app, &s.manager.1, &id).await;
    assert_eq!(d["line"]["approvedAmount"], "200000.00");
    assert_eq!(
        statuses(&d),
        ["draft", "in_review", "returned", "in_review", "active"]
    );

    // Another line is rejected: final, with the reason kept.
    let r = draft_line(&app, &s, "100000").await;
    let rid = r["id"].clone();
    line_step(
        &app,
        &s.manager.1,
        &rid,
        "submit",
        json!({"version": r["version"]}),
    )
    .await;
    let task = task_on(&app, &s.line_reviewer, "credit_line", &rid).await;
    act(
        &app,
        &s.line_reviewer,
        &task,
        json!({"action": "reject", "comment": "负债过高"}),
    )
    .await;
    let d = line_detail(&app, &s.manager.1, &rid).await;
    assert_eq!(d["line"]["status"], "rejected");
    assert_eq!(d["line"]["approvedAmount"], Value::Null);
    for action in ["submit", "resubmit"] {
        expect_problem(
            app.post(
                &format!("/api/v1/credit-lines/{rid}/{action}"),
                Some(&s.manager.1),
                &json!({"version": d["line"]["version"]}),
            )
            .await,
            StatusCode::CONFLICT,
            "invalid_transition",
        )
        .await;
    }
    // A draft is withdrawn with its reason.
    let w = draft_line(&app, &s, "100000").await;
    let w = line_step(
        &app,
        &s.manager.1,
        &w["id"],
        "withdraw",
        json!({"version": w["version"], "comment": "客户不再需要"}),
    )
    .await;
    assert_eq!(w["status"], "withdrawn");
}

/// Every action a line in this state must refuse with 409 `invalid_transition`, leaving it
/// exactly as it was.
async fn refuses_all(app: &TestApp, s: &Setup, id: &Value, actions: &[&str]) {
    let before = line_detail(app, &s.manager.1, id).await;
    let version = before["line"]["version"].clone();
    for action in actions {
        let response = match *action {
            "edit" => {
                let mut body = line_body(s.customer, "1000");
                body["version"] = version.clone();
                app.put(&format!("/api/v1/credit-lines/{id}"), &s.manager.1, &body)
                    .await
            }
            "freeze" | "unfreeze" => {
                app.post(
                    &format!("/api/v1/credit-lines/{id}/{action}"),
                    Some(&s.risk_officer),
                    &json!({"version": version, "reason": "风险排查"}),
                )
                .await
            }
            _ => {
                app.post(
                    &format!("/api/v1/credit-lines/{id}/{action}"),
                    Some(&s.manager.1),
                    &json!({"version": version}),
                )
                .await
            }
        };
        let p = expect_problem(response, StatusCode::CONFLICT, "invalid_transition").await;
        let status = before["line"]["status"].as_str().unwrap();
        assert!(
            p["detail"].as_str().unwrap().contains(status),
            "{action}: {p}"
        );
    }
    let after = line_detail(app, &s.manager.1, id).await;
    assert_eq!(after["line"], before["line"], "nothing changed");
    assert_eq!(after["transitions"], before["transitions"]);
}

#[tokio::test]
async fn illegal_transitions_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let audits = || app.count("audit_log WHERE entity = 'credit_line'");

    let l = draft_line(&app, &s, "300000").await;
    let id = l["id"].clone();
    refuses_all(&app, &s, &id, &["resubmit", "freeze", "unfreeze"]).await;
    // A stale version is a conflict of its own; someone else's draft is not theirs to submit.
    expect_problem(
        app.post(
            &format!("/api/v1/credit-lines/{id}/submit"),
            Some(&s.manager.1),
            &json!({"version": 7}),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;

    line_step(
        &app,
        &s.manager.1,
        &id,
        "submit",
        json!({"version": l["version"]}),
    )
    .await;
    refuses_all(
        &app,
        &s,
        &id,
        &[
            "edit", "submit", "resubmit", "withdraw", "freeze", "unfreeze",
        ],
    )
    .await;

    let task = task_on(&app, &s.line_reviewer, "credit_line", &id).await;
    act(&app, &s.line_reviewer, &task, json!({"action": "approve"})).await;
    refuses_all(
        &app,
        &s,
        &id,
        &["edit", "submit", "resubmit", "withdraw", "unfreeze"],
    )
    .await;

    let d = line_detail(&app, &s.manager.1, &id).await;
    line_step(
        &app,
        &s.risk_officer,
        &id,
        "freeze",
        json!({"version": d["line"]["version"], "reason": "涉诉"}),
    )
    .await;
    refuses_all(
        &app,
        &s,
        &id,
        &["edit", "submit", "resubmit", "withdraw", "freeze"],
    )
    .await;

    let w = draft_line(&app, &s, "100000").await;
    let w = line_step(
        &app,
        &s.manager.1,
        &w["id"],
        "withdraw",
        json!({"version": w["version"]}),
    )
    .await;
    refuses_all(
        &app,
        &s,
        &w["id"],
        &[
            "edit", "submit", "resubmit", "withdraw", "freeze", "unfreeze",
        ],
    )
    .await;

    // create, submit, approve, freeze; create, withdraw: refusals wrote nothing.
    assert_eq!(audits().await, 6);
    // Without the read permission and with no task on it, a line is out of reach.
    let (_, nobody) = app.user_token(&s.admin, "nobody", None, &[]).await;
    expect_problem(
        app.get(&format!("/api/v1/credit-lines/{id}"), &nobody)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn freezing_stops_loans_drawing_on_a_line_and_unfreezing_lets_them_again() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let line = active_line(&app, &s, "300000").await;
    let id = line["id"].clone();
    // An application in review before the freeze.
    let a = loan_in_review(&app, &s, "100000", &id).await;

    // Only the freeze permission freezes, and only with a reason.
    expect_problem(
        app.post(
            &format!("/api/v1/credit-lines/{id}/freeze"),
            Some(&s.manager.1),
            &json!({"version": line["version"], "reason": "涉诉"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let p = expect_problem(
        app.post(
            &format!("/api/v1/credit-lines/{id}/freeze"),
            Some(&s.risk_officer),
            &json!({"version": line["version"], "reason": "  "}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(field_errors(&p), vec![("reason".into(), "required".into())]);
    let frozen = line_step(
        &app,
        &s.risk_officer,
        &id,
        "freeze",
        json!({"version": line["version"], "reason": "借款人涉诉"}),
    )
    .await;
    assert_eq!(frozen["status"], "frozen");
    assert_eq!(frozen["frozenReason"], "借款人涉诉");
    assert_eq!(frozen["availableAmount"], "0.00");
    assert_eq!(frozen["approvedAmount"], "300000.00");

    // No new application may name it, and the one in review cannot be approved.
    let p = expect_problem(
        app.post(
            "/api/v1/loan-applications",
            Some(&s.manager.1),
            &application(&s, "50000", &id),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("creditLineId".into(), "credit_line_frozen".into())]
    );
    let task = task_on(&app, &s.loan_reviewer, "loan_application", &a["id"]).await;
    expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", task["id"]),
            Some(&s.loan_reviewer),
            &json!({"action": "approve"}),
        )
        .await,
        StatusCode::CONFLICT,
        "credit_line_frozen",
    )
    .await;
    assert_eq!(
        loan_detail(&app, &s, &a["id"]).await["application"]["status"],
        "in_review"
    );

    // Unfrozen, the same task approves and the loan draws on the line.
    let unfrozen = line_step(
        &app,
        &s.risk_officer,
        &id,
        "unfreeze",
        json!({"version": frozen["version"], "reason": "诉讼已撤销"}),
    )
    .await;
    assert_eq!(unfrozen["status"], "active");
    assert_eq!(unfrozen["frozenReason"], Value::Null);
    assert_eq!(unfrozen["availableAmount"], "300000.00");
    act(&app, &s.loan_reviewer, &task, json!({"action": "approve"})).await;
    let d = line_detail(&app, &s.risk_officer, &id).await;
    assert_eq!(d["line"]["usedAmount"], "100000.00");
    assert_eq!(
        statuses(&d),
        ["draft", "in_review", "active", "frozen", "active"]
    );
    let comments: Vec<&Value> = d["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .skip(3)
        .map(|t| &t["comment"])
        .collect();
    assert_eq!(comments, [&json!("借款人涉诉"), &json!("诉讼已撤销")]);

    // Past its validity the line is expired: it lends nothing more. (A year on, the manager
    // signs in again.)
    app.clock.set(datetime!(2027-03-01 09:00 UTC));
    let manager = expect_json(
        app.login("cl-manager", USER_PASSWORD).await,
        StatusCode::OK,
    )
    .await["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let line = line_detail(&app, &manager, &id).await["line"].clone();
    assert_eq!(line["expired"], true);
    assert_eq!(line["status"], "active");
    assert_eq!(line["availableAmount"], "0.00");
    let p = expect_problem(
        app.post(
            "/api/v1/loan-applications",
            Some(&manager),
            &application(&s, "50000", &id),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("creditLineId".into(), "credit_line_expired".into())]
    );
}

#[tokio::test]
async fn a_loan_above_the_available_line_is_refused_and_one_within_it_uses_the_line() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let line = active_line(&app, &s, "300000").await;
    let id = line["id"].clone();

    // Above the line (though within the product and the loan-to-value limit): nothing stored.
    let before = app.count("loan_applications").await;
    let p = expect_problem(
        app.post(
            "/api/v1/loan-applications",
            Some(&s.manager.1),
            &application(&s, "300000.01", &id),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("amount".into(), "credit_line_exceeded".into())]
    );
    let message = p["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("300000.01") && message.contains("300000.00"),
        "{p}"
    );
    // Another customer's line, an unknown line, a line still in review.
    let mut other = application(&s, "100000", &id);
    other["customerId"] = json!(s.other_customer);
    let p = expect_problem(
        app.post("/api/v1/loan-applications", Some(&s.manager.1), &other)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("creditLineId".into(), "other_customer".into())]
    );
    let p = expect_problem(
        app.post(
            "/api/v1/loan-applications",
            Some(&s.manager.1),
            &application(&s, "100000", &json!(99999)),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("creditLineId".into(), "not_found".into())]
    );
    let pending = draft_line(&app, &s, "100000").await;
    let p = expect_problem(
        app.post(
            "/api/v1/loan-applications",
            Some(&s.manager.1),
            &application(&s, "100000", &pending["id"]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("creditLineId".into(), "credit_line_not_active".into())]
    );
    assert_eq!(app.count("loan_applications").await, before);

    // Within it: the limit is the line, and approval uses the amount on it.
    let a = loan_in_review(&app, &s, "200000", &id).await;
    let d = loan_detail(&app, &s, &a["id"]).await;
    assert_eq!(d["collateral"]["creditLineAvailable"], "300000.00");
    assert_eq!(
        d["collateral"]["limit"], "300000.00",
        "min(500 000, 0.8 × 500 000, 300 000)"
    );
    assert_eq!(d["collateral"]["withinLimit"], true);
    let task = task_on(&app, &s.loan_reviewer, "loan_application", &a["id"]).await;
    let done = act(&app, &s.loan_reviewer, &task, json!({"action": "approve"})).await;
    assert_eq!(done["decision"], "approved");
    assert_eq!(
        loan_detail(&app, &s, &a["id"]).await["application"]["status"],
        "approved"
    );
    let d = line_detail(&app, &s.manager.1, &id).await;
    assert_eq!(d["line"]["usedAmount"], "200000.00");
    assert_eq!(d["line"]["availableAmount"], "100000.00");
    assert_eq!(
        d["line"]["version"], line["version"],
        "a use is not an edit"
    );
    let uses = d["uses"].as_array().unwrap();
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0]["kind"], "use");
    assert_eq!(uses[0]["amount"], "200000.00");
    assert_eq!(uses[0]["referenceType"], "loan_application");
    assert_eq!(uses[0]["referenceId"], a["id"]);
    assert_eq!(uses[0]["usedAfter"], "200000.00");
    assert_eq!(uses[0]["actorName"], "loan-rev");
}

#[tokio::test]
async fn a_second_application_overdrawing_the_line_is_refused_at_approval_and_changes_nothing() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let line = active_line(&app, &s, "300000").await;
    let id = line["id"].clone();
    // Each fits the line alone; together they do not.
    let first = loan_in_review(&app, &s, "200000", &id).await;
    let second = loan_in_review(&app, &s, "150000", &id).await;
    let task = task_on(&app, &s.loan_reviewer, "loan_application", &first["id"]).await;
    act(&app, &s.loan_reviewer, &task, json!({"action": "approve"})).await;

    let before = line_detail(&app, &s.manager.1, &id).await;
    let task = task_on(&app, &s.loan_reviewer, "loan_application", &second["id"]).await;
    let p = expect_problem(
        app.post(
            &format!("/api/v1/tasks/{}/actions", task["id"]),
            Some(&s.loan_reviewer),
            &json!({"action": "approve"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "credit_line_exceeded",
    )
    .await;
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("150000.00") && detail.contains("100000.00"),
        "{p}"
    );
    // The task is still open, the application in review, the line as it was.
    assert_eq!(
        task_on(&app, &s.loan_reviewer, "loan_application", &second["id"]).await["id"],
        task["id"]
    );
    let d = loan_detail(&app, &s, &second["id"]).await;
    assert_eq!(d["application"]["status"], "in_review");
    assert_eq!(d["collateral"]["withinLimit"], false);
    assert_eq!(d["collateral"]["limit"], "100000.00");
    assert_eq!(line_detail(&app, &s.manager.1, &id).await, before);
    assert_eq!(app.count("credit_line_uses").await, 1);

    // Returned and lowered to what is left, it is approved and the line is used up.
    let returned = act(
        &app,
        &s.loan_reviewer,
        &task,
        json!({"action": "return", "returnTo": "applicant", "comment": "请降至可用额度内"}),
    )
    .await;
    assert_eq!(returned["decision"], "returned");
    let mut lowered = application(&s, "100000", &id);
    lowered["version"] =
        loan_detail(&app, &s, &second["id"]).await["application"]["version"].clone();
    let a = expect_json(
        app.put(
            &format!("/api/v1/loan-applications/{}", second["id"]),
            &s.manager.1,
            &lowered,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    loan_step(&app, &s.manager.1, &second["id"], "resubmit", &a["version"]).await;
    let task = task_on(&app, &s.loan_reviewer, "loan_application", &second["id"]).await;
    act(&app, &s.loan_reviewer, &task, json!({"action": "approve"})).await;
    let d = line_detail(&app, &s.manager.1, &id).await;
    assert_eq!(d["line"]["usedAmount"], "300000.00");
    assert_eq!(d["line"]["availableAmount"], "0.00");
}

#[tokio::test]
async fn two_approvals_racing_for_the_last_of_a_line_succeed_once() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let line = active_line(&app, &s, "300000").await;
    let id = line["id"].clone();
    let one = loan_in_review(&app, &s, "200000", &id).await;
    let two = loan_in_review(&app, &s, "200000", &id).await;
    let t1 = task_on(&app, &s.loan_reviewer, "loan_application", &one["id"]).await;
    let t2 = task_on(&app, &s.loan_reviewer, "loan_application", &two["id"]).await;
    let body = json!({"action": "approve"});
    let (p1, p2) = (
        format!("/api/v1/tasks/{}/actions", t1["id"]),
        format!("/api/v1/tasks/{}/actions", t2["id"]),
    );
    let (r1, r2) = tokio::join!(
        app.post(&p1, Some(&s.loan_reviewer), &body),
        app.post(&p2, Some(&s.loan_reviewer), &body),
    );
    let (ok, refused) = if r1.status() == StatusCode::OK {
        (r1, r2)
    } else {
        (r2, r1)
    };
    assert_eq!(ok.status(), StatusCode::OK);
    expect_problem(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "credit_line_exceeded",
    )
    .await;
    let d = line_detail(&app, &s.manager.1, &id).await;
    assert_eq!(d["line"]["usedAmount"], "200000.00");
    assert_eq!(d["uses"].as_array().unwrap().len(), 1);
    let mut approved = 0;
    for a in [&one, &two] {
        if loan_detail(&app, &s, &a["id"]).await["application"]["status"] == "approved" {
            approved += 1;
        }
    }
    assert_eq!(approved, 1);
}

/// The service a loan calls when it gives back what it used (a cancelled loan, a repaid
/// revolving draw): with the line locked, never more than the reference used.
#[tokio::test]
async fn a_release_gives_back_what_a_loan_used_and_never_more() {
    use credit::service::credit_lines::{UseReference, release_amount, use_amount};
    use kernel::Money;

    let app = spawn_app().await;
    let s = setup(&app).await;
    let line = active_line(&app, &s, "300000").await;
    let id = line["id"].clone();
    let a = loan_in_review(&app, &s, "200000", &id).await;
    let task = task_on(&app, &s.loan_reviewer, "loan_application", &a["id"]).await;
    act(&app, &s.loan_reviewer, &task, json!({"action": "approve"})).await;

    let actor = iam::Actor {
        user_id: s.manager.0,
        username: "cl-manager".into(),
        display_name: "cl-manager".into(),
        department_id: None,
        department_path: None,
        permissions: BTreeSet::new(),
        data_scope: iam::DataScope::OwnOnly,
        must_change_password: false,
        request_id: None,
    };
    let line_id = id.as_i64().unwrap();
    let loan = UseReference {
        reference_type: "loan_application",
        id: a["id"].as_i64().unwrap(),
    };
    let now = datetime!(2026-03-02 10:00 UTC);
    let txn = app.db.begin().await.unwrap();
    let used = release_amount(&txn, &actor, now, line_id, Money::yuan(50_000), &loan)
        .await
        .unwrap();
    assert_eq!(used, Money::yuan(150_000));
    txn.commit().await.unwrap();

    let txn = app.db.begin().await.unwrap();
    let err = release_amount(
        &txn,
        &actor,
        now,
        line_id,
        Money::from_fen(15_000_001),
        &loan,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, "credit_line_release_exceeded");
    let stranger = UseReference {
        reference_type: "loan_application",
        id: 424242,
    };
    let err = release_amount(&txn, &actor, now, line_id, Money::yuan(1), &stranger)
        .await
        .unwrap_err();
    assert_eq!(err.code, "credit_line_not_used");
    let err = use_amount(&txn, &actor, now, line_id, Money::yuan(1), &loan)
        .await
        .unwrap_err();
    assert_eq!(
        err.code, "credit_line_already_used",
        "a reference uses a line once"
    );
    txn.rollback().await.unwrap();

    let d = line_detail(&app, &s.manager.1, &id).await;
    assert_eq!(d["line"]["usedAmount"], "150000.00");
    assert_eq!(d["line"]["availableAmount"], "150000.00");
    let kinds: Vec<&str> = d["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["use", "release"]);
    assert_eq!(d["uses"][1]["usedAfter"], "150000.00");
}
