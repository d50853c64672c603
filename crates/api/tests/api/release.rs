//! Releasing a car (解押) over HTTP: a settled loan's car with its settlement certificate; before
//! settlement only by an early-release request (申请提前解押) that someone else approves, with
//! who asked, who approved, when and why kept; a rejection keeps the car held and it may be
//! asked for again; a decision is made once; a refused step changes nothing.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::money::{Desk, confirm, desk, disbursed, post_keyed};

const HANDOVER: &str = "登记证书与备用钥匙交还借款人本人，借款人签收";

async fn collateral(app: &TestApp, d: &Desk) -> Value {
    expect_json(
        app.get(
            &format!("/api/v1/contracts/{}/collateral", d.contract["id"]),
            &d.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await
}

/// The contract's one registration (the cast's car, mortgaged).
async fn held_car(app: &TestApp, d: &Desk) -> Value {
    collateral(app, d).await["registrations"][0].clone()
}

fn settled_release(r: &Value) -> Value {
    json!({"releasedOn": "2026-03-10", "settlementCertNo": "JQ-2026-0001",
           "handoverNote": HANDOVER, "version": r["version"]})
}

fn early(r: &Value, reason: &str) -> Value {
    json!({"reason": reason, "handoverNote": HANDOVER, "version": r["version"]})
}

/// Someone else who may decide early releases (and read what they decide on).
async fn approver(app: &TestApp, d: &Desk, username: &str) -> (i64, String) {
    let role = app
        .create_role(
            &d.admin,
            &format!("RELEASE-{username}"),
            "all",
            &[
                "collateral:release:exception",
                "contract:read",
                "loan:application:read",
                "vehicle:read",
            ],
        )
        .await;
    app.user_token(&d.admin, username, None, &[role]).await
}

/// A clerk who registers and releases collateral but decides no exception.
async fn clerk(app: &TestApp, d: &Desk) -> String {
    let role = app
        .create_role(
            &d.admin,
            "COLLATERAL-CLERK",
            "all",
            &[
                "collateral:register",
                "contract:read",
                "loan:application:read",
                "vehicle:read",
            ],
        )
        .await;
    app.user_token(&d.admin, "clerk", None, &[role]).await.1
}

fn request_path(r: &Value) -> String {
    format!(
        "/api/v1/collateral-registrations/{}/release-requests",
        r["id"]
    )
}

fn decision_path(q: &Value) -> String {
    format!("/api/v1/collateral-release-requests/{}/decision", q["id"])
}

async fn audit_actions(app: &TestApp, entity: &str) -> Vec<String> {
    app.db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT action FROM audit_log WHERE entity = '{entity}' ORDER BY id"),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "action").unwrap())
        .collect()
}

#[tokio::test]
async fn a_settled_loans_car_is_released_with_its_settlement_certificate() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    // Paid off on the day it was disbursed: the principal, no interest, no fee.
    let payoff = expect_json(
        post_keyed(
            &app,
            "/api/v1/repayments",
            &d.cashier,
            "payoff-release",
            &json!({"loanId": loan["loan"]["id"], "kind": "payoff", "amount": "100000.00",
                    "channel": "bank_transfer", "fundAccountCode": "100201",
                    "reference": "PAYOFF-REL", "valueDate": "2026-03-10"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_json(
        confirm(&app, &d, &payoff, "payoff-release-ok").await,
        StatusCode::OK,
    )
    .await;
    let before = collateral(&app, &d).await;
    assert_eq!(before["loan"]["status"], "settled");
    assert_eq!(before["loan"]["loanNo"], loan["loan"]["loanNo"]);
    let r = before["registrations"][0].clone();
    assert_eq!(r["status"], "registered");

    // A settled loan needs no exception.
    expect_problem(
        app.post(&request_path(&r), Some(&d.admin), &early(&r, "提前解押"))
            .await,
        StatusCode::CONFLICT,
        "loan_settled",
    )
    .await;
    // The certificate and the hand-over are named.
    let path = format!("/api/v1/collateral-registrations/{}/release", r["id"]);
    let mut blank = settled_release(&r);
    blank["settlementCertNo"] = json!("  ");
    blank["handoverNote"] = json!("");
    let p = expect_problem(
        app.post(&path, Some(&d.admin), &blank).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("settlementCertNo".into(), "required".into()),
            ("handoverNote".into(), "required".into()),
        ]
    );

    let released = expect_json(
        app.post(&path, Some(&d.admin), &settled_release(&r)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(released["status"], "released");
    assert_eq!(released["releaseBasis"], "settled");
    assert_eq!(released["settlementCertNo"], "JQ-2026-0001");
    assert_eq!(released["handoverNote"], HANDOVER);
    assert_eq!(released["releasedOn"], "2026-03-10");
    assert_eq!(released["releaseReason"], Value::Null);

    // Released once.
    expect_problem(
        app.post(&path, Some(&d.admin), &settled_release(&released))
            .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    let rows = expect_json(
        app.get("/api/v1/collateral-registrations?status=released", &d.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rows["total"], 1);
    assert_eq!(rows["items"][0]["releaseBasis"], "settled");
    assert_eq!(rows["items"][0]["loanStatus"], "settled");
    assert_eq!(rows["items"][0]["releaseApprovedByName"], Value::Null);
    assert_eq!(
        audit_actions(&app, "collateral_registration").await.last(),
        Some(&"release".to_string())
    );
}

#[tokio::test]
async fn an_unsettled_loans_car_is_not_released_as_settled_and_nothing_changes() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let path = |r: &Value| format!("/api/v1/collateral-registrations/{}/release", r["id"]);

    // Before disbursement there is no loan to be settled.
    let r = held_car(&app, &d).await;
    let mut today = settled_release(&r);
    today["releasedOn"] = json!("2026-03-02");
    let p = expect_problem(
        app.post(&path(&r), Some(&d.admin), &today).await,
        StatusCode::CONFLICT,
        "loan_not_settled",
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("not been disbursed"),
        "{p}"
    );

    // An active loan.
    let loan = disbursed(&app, &mut d).await;
    let r = held_car(&app, &d).await;
    let audited = app.count("audit_log").await;
    let p = expect_problem(
        app.post(&path(&r), Some(&d.admin), &settled_release(&r))
            .await,
        StatusCode::CONFLICT,
        "loan_not_settled",
    )
    .await;
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains(loan["loan"]["loanNo"].as_str().unwrap()) && detail.contains("active"),
        "{detail}"
    );
    // The direct exception of old is gone: its body is not a release any more.
    expect_problem(
        app.post(
            &path(&r),
            Some(&d.admin),
            &json!({"basis": "exception", "releasedOn": "2026-03-10", "reason": "提前解押",
                    "handoverNote": HANDOVER, "version": r["version"]}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    let after = held_car(&app, &d).await;
    assert_eq!(after, r, "a refused release changes nothing");
    assert_eq!(after["status"], "registered");
    assert_eq!(app.count("audit_log").await, audited);
    assert_eq!(app.count("collateral_release_requests").await, 0);
}

#[tokio::test]
async fn an_early_release_is_approved_by_someone_other_than_its_requester() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    disbursed(&app, &mut d).await;
    let (approver_id, b) = approver(&app, &d, "approver").await;
    let clerk = clerk(&app, &d).await;
    let r = held_car(&app, &d).await;

    // The request says why and what is handed over.
    let p = expect_problem(
        app.post(
            &request_path(&r),
            Some(&d.admin),
            &json!({"reason": " ", "handoverNote": "", "version": r["version"]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![
            ("reason".into(), "required".into()),
            ("handoverNote".into(), "required".into()),
        ]
    );
    // A asks (the administrator, who may also decide exceptions).
    let q = expect_json(
        app.post(
            &request_path(&r),
            Some(&d.admin),
            &early(&r, "借款人以保证金置换抵押"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(q["status"], "requested");
    assert_eq!(q["reason"], "借款人以保证金置换抵押");
    assert_eq!(q["registrationId"], r["id"]);
    assert_eq!(q["contractNo"], d.contract["contractNo"]);
    let held = collateral(&app, &d).await;
    let waiting = held["registrations"][0].clone();
    assert_eq!(waiting["status"], "release_requested");
    assert_eq!(held["releaseRequests"][0]["id"], q["id"]);
    // While it waits, the car is not ready to lend against, nor asked for twice, nor released
    // as settled, nor registered again.
    assert_eq!(held["readiness"]["ready"], false);
    expect_problem(
        app.post(
            &request_path(&r),
            Some(&d.admin),
            &early(&waiting, "再次申请"),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/contracts/{}/mortgages", d.contract["id"]),
            Some(&d.admin),
            &crate::securing::mortgage(waiting["vehicleId"].as_i64().unwrap()),
        )
        .await,
        StatusCode::CONFLICT,
        "already_held",
    )
    .await;
    let queue = expect_json(
        app.get("/api/v1/collateral-release-requests?status=requested", &b)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["requestedByName"], "管理员");

    // A cannot decide their own request; a clerk cannot decide at all; nothing moves.
    let approve = json!({"decision": "approve", "version": q["version"]});
    expect_problem(
        app.post(&decision_path(&q), Some(&d.admin), &approve).await,
        StatusCode::FORBIDDEN,
        "maker_checker",
    )
    .await;
    expect_problem(
        app.post(&decision_path(&q), Some(&clerk), &approve).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(held_car(&app, &d).await, waiting);

    // B approves: the car is released now, as an exception, with A's reason and hand-over.
    let done = expect_json(
        app.post(&decision_path(&q), Some(&b), &approve).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "approved");
    assert_eq!(done["reviewedBy"], approver_id);
    assert_eq!(done["reviewedByName"], "approver");
    assert_eq!(done["reviewedAt"], "2026-03-10T09:00:00Z");
    let released = held_car(&app, &d).await;
    assert_eq!(released["status"], "released");
    assert_eq!(released["releaseBasis"], "exception");
    assert_eq!(released["releaseReason"], "借款人以保证金置换抵押");
    assert_eq!(released["handoverNote"], HANDOVER);
    assert_eq!(released["releasedOn"], "2026-03-10");
    assert_eq!(released["settlementCertNo"], Value::Null);
    let stored = app
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT q.requested_by, q.reviewed_by, r.released_by, \
               q.requested_at IS NOT NULL AND q.reviewed_at IS NOT NULL AS timed \
             FROM collateral_release_requests q JOIN collateral_registrations r ON r.id = q.registration_id \
             WHERE q.id = $1",
            [q["id"].as_i64().unwrap().into()],
        ))
        .await
        .unwrap()
        .unwrap();
    let admin_id: i64 = stored.try_get("", "requested_by").unwrap();
    assert_ne!(admin_id, approver_id);
    assert_eq!(
        stored.try_get::<i64>("", "reviewed_by").unwrap(),
        approver_id
    );
    assert_eq!(
        stored.try_get::<i64>("", "released_by").unwrap(),
        approver_id
    );
    assert!(stored.try_get::<bool>("", "timed").unwrap());
    // The database itself refuses a request decided by its requester.
    let forged = app
        .db
        .execute_unprepared(&format!(
            "UPDATE collateral_release_requests SET reviewed_by = requested_by WHERE id = {}",
            q["id"]
        ))
        .await;
    assert!(forged.is_err(), "the maker-checker CHECK holds");

    // The queries show who asked and who approved.
    let rows = expect_json(
        app.get("/api/v1/collateral-registrations?status=released", &b)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rows["items"][0]["releaseBasis"], "exception");
    assert_eq!(rows["items"][0]["releaseRequestedByName"], "管理员");
    assert_eq!(rows["items"][0]["releaseApprovedByName"], "approver");
    assert_eq!(rows["items"][0]["loanStatus"], "active");
    assert_eq!(
        audit_actions(&app, "collateral_release_request").await,
        vec!["request", "approve"]
    );
    assert_eq!(
        audit_actions(&app, "collateral_registration").await[1..],
        ["request_release", "release"]
    );
}

#[tokio::test]
async fn a_rejected_early_release_keeps_the_car_and_a_decision_is_made_once() {
    let app = spawn_app().await;
    let d = desk(&app).await;
    let (_, b) = approver(&app, &d, "approver").await;
    let r = held_car(&app, &d).await;
    let q = expect_json(
        app.post(
            &request_path(&r),
            Some(&d.admin),
            &early(&r, "客户申请换车"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // A rejection says why.
    let p = expect_problem(
        app.post(
            &decision_path(&q),
            Some(&b),
            &json!({"decision": "reject", "comment": " ", "version": q["version"]}),
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
    // A stale version is refused.
    expect_problem(
        app.post(
            &decision_path(&q),
            Some(&b),
            &json!({"decision": "reject", "comment": "x", "version": 99}),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    let rejected = expect_json(
        app.post(
            &decision_path(&q),
            Some(&b),
            &json!({"decision": "reject", "comment": "保证金未到账", "version": q["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reviewComment"], "保证金未到账");
    let back = collateral(&app, &d).await;
    assert_eq!(back["registrations"][0]["status"], "registered");
    assert_eq!(back["registrations"][0]["releasedOn"], Value::Null);
    assert_eq!(back["readiness"]["ready"], true);

    // Decided once: approving the rejected request is refused and changes nothing.
    let again = json!({"decision": "approve", "version": rejected["version"]});
    let p = expect_problem(
        app.post(&decision_path(&q), Some(&b), &again).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("rejected"), "{p}");
    assert_eq!(
        held_car(&app, &d).await["status"],
        "registered",
        "a refused decision changes nothing"
    );

    // The car may be asked for again, and that request approved — once.
    let held = held_car(&app, &d).await;
    let q2 = expect_json(
        app.post(
            &request_path(&held),
            Some(&d.admin),
            &early(&held, "保证金已到账，再次申请"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let approved = expect_json(
        app.post(
            &decision_path(&q2),
            Some(&b),
            &json!({"decision": "approve", "version": q2["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    expect_problem(
        app.post(
            &decision_path(&q2),
            Some(&b),
            &json!({"decision": "approve", "version": approved["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_problem(
        app.post(
            &decision_path(&q2),
            Some(&b),
            &json!({"decision": "reject", "comment": "撤回", "version": approved["version"]}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(
        held_car(&app, &d).await["releaseReason"],
        "保证金已到账，再次申请"
    );
    let all = expect_json(
        app.get(
            &format!(
                "/api/v1/collateral-release-requests?contractId={}",
                d.contract["id"]
            ),
            &b,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let statuses: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["approved", "rejected"]);
    assert_eq!(
        audit_actions(&app, "collateral_release_request").await,
        vec!["request", "reject", "request", "approve"]
    );
}
