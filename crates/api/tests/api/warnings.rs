//! Post-loan warnings (贷后预警) on a real PostgreSQL: the close's raising (run here alone
//! through `raise_for_date`) raises one warning per loan, rule and occurrence however often it
//! runs; a GPS alarm through the feed raises one at once; the rules are configured as a set;
//! a warning goes open → assigned → handled → closed with notes, and any other edge is a 409
//! that changes nothing. One loan: 100 000 from 2026-03-10, first installment due 2026-04-10,
//! left unpaid; its car is mortgaged and tracked by IMEI 490154203237518.

use kernel::{Clock, SharedClock};
use loans::service::warnings::close_step::raise_for_date;
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::macros::date;

use crate::helpers::*;
use crate::money::{Desk, business_day, desk, disbursed, sign_in};

const IMEI: &str = "490154203237518";

async fn raise(app: &TestApp, on: time::Date) -> u64 {
    let clock: SharedClock = app.clock.clone();
    raise_for_date(&app.db, &clock, on).await.unwrap()
}

async fn warnings(app: &TestApp, token: &str, query: &str) -> Value {
    expect_json(
        app.get(&format!("/api/v1/warnings?{query}"), token).await,
        StatusCode::OK,
    )
    .await
}

/// A user holding exactly `permissions` (data scope: all).
async fn person(app: &TestApp, d: &Desk, name: &str, permissions: &[&str]) -> (i64, String) {
    let role = app
        .create_role(&d.admin, &name.to_uppercase(), "all", permissions)
        .await;
    app.user_token(&d.admin, name, None, &[role]).await
}

async fn a_loan(app: &TestApp) -> (Desk, i64) {
    let mut d = desk(app).await;
    let loan = disbursed(app, &mut d).await;
    let id = loan["loan"]["id"].as_i64().unwrap();
    (d, id)
}

#[tokio::test]
async fn an_overdue_loan_raises_one_dpd_warning_per_threshold_however_often_raised() {
    let app = spawn_app().await;
    let (mut d, loan) = a_loan(&app).await;

    // Nothing is due yet on 04-09.
    business_day(&app, &mut d, "2026-04-09").await;
    assert_eq!(raise(&app, date!(2026 - 04 - 09)).await, 0);

    // Closing 04-10 with period 1 unpaid: 1 day past due.
    business_day(&app, &mut d, "2026-04-10").await;
    assert_eq!(raise(&app, date!(2026 - 04 - 10)).await, 1);
    assert_eq!(
        raise(&app, date!(2026 - 04 - 10)).await,
        0,
        "raising again adds nothing"
    );
    assert_eq!(raise(&app, date!(2026 - 04 - 11)).await, 0);
    let list = warnings(&app, &d.admin, &format!("loanId={loan}")).await;
    assert_eq!(list["total"], 1);
    let w = &list["items"][0];
    assert_eq!(w["ruleCode"], "dpd_1");
    assert_eq!(w["kind"], "dpd");
    assert_eq!(w["level"], "low");
    assert_eq!(w["status"], "open");
    assert_eq!(w["subject"], "due:2026-04-10");
    assert_eq!(w["facts"]["daysPastDue"], 1);
    assert_eq!(w["raisedOn"], "2026-04-10");
    assert_eq!(w["actions"], json!(["assign"]));
    assert!(w["loanNo"].as_str().is_some() && w["customerName"] == "借款人甲");

    // A month on, 31 days past due: the 30-day warning, once; the 1-day one stays.
    business_day(&app, &mut d, "2026-05-10").await;
    assert_eq!(raise(&app, date!(2026 - 05 - 10)).await, 1);
    assert_eq!(raise(&app, date!(2026 - 05 - 10)).await, 0);
    let list = warnings(&app, &d.admin, &format!("loanId={loan}")).await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["ruleCode"], "dpd_30");
    assert_eq!(list["items"][0]["level"], "medium");
    assert_eq!(list["items"][0]["facts"]["daysPastDue"], 31);
    assert_eq!(list["items"][0]["facts"]["oldestDueDate"], "2026-04-10");
    assert_eq!(app.count("warnings").await, 2);
    let dpd30 = warnings(&app, &d.admin, "ruleCode=dpd_30").await;
    assert_eq!(dpd30["total"], 1);
}

#[tokio::test]
async fn a_gps_alarm_through_the_feed_raises_a_warning_at_once_and_silence_raises_offline() {
    let app = spawn_app().await;
    let (mut d, loan) = a_loan(&app).await;
    let (_, platform) = person(&app, &d, "gps-platform", &["gps:feed"]).await;
    let (_, reader) = person(&app, &d, "reader", &["warning:read"]).await;
    let report = |imei: &str, at: &str, online: bool, alarm: Option<&str>| {
        json!({"imei": imei, "reportedAt": at, "online": online, "alarm": alarm,
               "message": "设备上报"})
    };

    // Only GPS platforms report; an IMEI we never fitted is refused and says why.
    expect_problem(
        app.post(
            "/api/v1/gps-feed",
            Some(&reader),
            &report(IMEI, "2026-03-10T08:00:00Z", true, None),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let p = expect_problem(
        app.post(
            "/api/v1/gps-feed",
            Some(&platform),
            &report("356938035643809", "2026-03-10T08:00:00Z", true, None),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_device",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("356938035643809"));
    assert_eq!(
        field_errors(&p),
        vec![("imei".to_string(), "unknown_device".to_string())]
    );
    let p = expect_problem(
        app.post(
            "/api/v1/gps-feed",
            Some(&platform),
            &report(IMEI, "2026-03-11T08:00:00Z", true, None),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("reportedAt".to_string(), "in_future".to_string())]
    );
    assert_eq!(app.count("gps_status_reports").await, 0);

    // Online, then a power cut: the alarm raises a warning at once.
    let ok = expect_json(
        app.post(
            "/api/v1/gps-feed",
            Some(&platform),
            &report(IMEI, "2026-03-10T08:00:00Z", true, None),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(ok["loanId"], loan);
    assert_eq!(ok["warningRaised"], false);
    let alarm = report(IMEI, "2026-03-10T08:30:00Z", false, Some("power_cut"));
    let first = expect_json(
        app.post("/api/v1/gps-feed", Some(&platform), &alarm).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first["warningRaised"], true);
    assert_eq!(first["repeated"], false);
    let warning_id = first["warningId"].as_i64().unwrap();
    let w = expect_json(
        app.get(&format!("/api/v1/warnings/{warning_id}"), &reader)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(w["warning"]["ruleCode"], "gps_alarm");
    assert_eq!(w["warning"]["level"], "high");
    assert_eq!(w["warning"]["loanId"], loan);
    assert_eq!(w["warning"]["raisedOn"], "2026-03-10");
    assert_eq!(w["warning"]["facts"]["alarm"], "power_cut");
    assert_eq!(w["warning"]["facts"]["imei"], IMEI);
    assert_eq!(w["history"], json!([]));

    // The platform's retry is the same report; a later power cut joins the open warning.
    let again = expect_json(
        app.post("/api/v1/gps-feed", Some(&platform), &alarm).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(again["repeated"], true);
    assert_eq!(again["reportId"], first["reportId"]);
    assert_eq!(again["warningId"], warning_id);
    let later = expect_json(
        app.post(
            "/api/v1/gps-feed",
            Some(&platform),
            &report(IMEI, "2026-03-10T08:45:00Z", false, Some("power_cut")),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(later["warningRaised"], false);
    assert_eq!(later["warningId"], warning_id);
    assert_eq!(app.count("gps_status_reports").await, 3);
    assert_eq!(app.count("warnings").await, 1);

    // Nothing online since 03-10: with the 3-day rule, closing 03-13 raises gps_offline once.
    business_day(&app, &mut d, "2026-03-12").await;
    assert_eq!(raise(&app, date!(2026 - 03 - 12)).await, 0);
    business_day(&app, &mut d, "2026-03-13").await;
    assert_eq!(raise(&app, date!(2026 - 03 - 13)).await, 1);
    assert_eq!(raise(&app, date!(2026 - 03 - 14)).await, 0);
    let offline = warnings(&app, &d.admin, "ruleCode=gps_offline").await;
    assert_eq!(offline["total"], 1);
    assert_eq!(offline["items"][0]["facts"]["daysOffline"], 3);
    assert_eq!(offline["items"][0]["facts"]["lastOnlineOn"], "2026-03-10");
    assert_eq!(
        offline["items"][0]["subject"],
        format!("imei:{IMEI}:2026-03-10")
    );
}

#[tokio::test]
async fn expiring_insurance_raises_one_warning_by_the_configured_rule() {
    let app = spawn_app().await;
    let (d, loan) = a_loan(&app).await;
    let (_, reader) = person(&app, &d, "reader", &["warning:read"]).await;
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db,
        "UPDATE vehicles SET insurance_expires_on = '2026-04-01', inspection_expires_on = '2027-05-20'",
    )
    .await
    .unwrap();

    // The rules: read by readers, saved whole by those who configure them.
    let rules = expect_json(
        app.get("/api/v1/warning-rules", &reader).await,
        StatusCode::OK,
    )
    .await;
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec![
            "dpd_1",
            "dpd_30",
            "dpd_90",
            "maturity",
            "gps_offline",
            "gps_alarm",
            "insurance",
            "inspection",
            "blacklist"
        ]
    );
    let with = |rules: &Value, code: &str, days: Option<i64>| -> Value {
        let items: Vec<Value> = rules
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = json!({"code": r["code"], "days": r["days"], "level": r["level"],
                                   "enabled": r["enabled"], "version": r["version"]});
                if r["code"] == code {
                    r["days"] = json!(days);
                }
                r
            })
            .collect();
        json!({ "rules": items })
    };
    expect_problem(
        app.put(
            "/api/v1/warning-rules",
            &reader,
            &with(&rules, "insurance", Some(10)),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let p = expect_problem(
        app.put(
            "/api/v1/warning-rules",
            &d.admin,
            &with(&rules, "insurance", Some(0)),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("rules[6].days".to_string(), "out_of_range".to_string())]
    );
    let p = expect_problem(
        app.put(
            "/api/v1/warning-rules",
            &d.admin,
            &json!({"rules": [{"code": "insurance", "days": 10, "level": "medium", "enabled": true, "version": 1}]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p).len(),
        8,
        "every other rule is missing: {p}"
    );
    let saved = expect_json(
        app.put(
            "/api/v1/warning-rules",
            &d.admin,
            &with(&rules, "insurance", Some(10)),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved[6]["days"], 10);
    assert_eq!(saved[6]["version"], 2);
    assert_eq!(
        saved[0]["version"], 1,
        "an unchanged rule keeps its version"
    );
    // Saving from what was read before that is stale.
    expect_problem(
        app.put(
            "/api/v1/warning-rules",
            &d.admin,
            &with(&rules, "insurance", Some(20)),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;

    // 04-01 is 22 days after 03-10: outside a 10-day rule, inside a 30-day one.
    assert_eq!(raise(&app, date!(2026 - 03 - 10)).await, 0);
    expect_json(
        app.put(
            "/api/v1/warning-rules",
            &d.admin,
            &with(&saved, "insurance", Some(30)),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(raise(&app, date!(2026 - 03 - 10)).await, 1);
    assert_eq!(raise(&app, date!(2026 - 03 - 10)).await, 0);
    let list = warnings(&app, &reader, "ruleCode=insurance").await;
    assert_eq!(list["total"], 1);
    let w = &list["items"][0];
    assert_eq!(w["loanId"], loan);
    assert_eq!(w["facts"]["expiresOn"], "2026-04-01");
    assert_eq!(w["facts"]["daysLeft"], 22);
    assert_eq!(w["facts"]["plate"], "京A12345");
    assert_eq!(app.count("warnings").await, 1, "the inspection is far off");

    // Every rule change is audited.
    let audit = expect_json(
        app.get("/api/v1/audit-logs?entity=warning_rule", &d.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(audit["total"], 2);
}

#[tokio::test]
async fn a_warning_is_assigned_handled_and_closed_with_notes_and_other_edges_are_409() {
    let app = spawn_app().await;
    let (mut d, loan) = a_loan(&app).await;
    business_day(&app, &mut d, "2026-04-10").await;
    let (handler_id, _) = person(&app, &d, "handler", &["warning:read", "warning:handle"]).await;
    let (reader_id, _) = person(&app, &d, "reader", &["warning:read"]).await;
    let (_, _) = person(&app, &d, "stranger", &["loan:read"]).await;
    let handler = sign_in(&app, "handler", USER_PASSWORD).await;
    let reader = sign_in(&app, "reader", USER_PASSWORD).await;
    let stranger = sign_in(&app, "stranger", USER_PASSWORD).await;
    assert_eq!(raise(&app, date!(2026 - 04 - 10)).await, 1);
    let id = warnings(&app, &reader, "").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let path = |action: &str| format!("/api/v1/warnings/{id}/{action}");
    let get = async || {
        expect_json(
            app.get(&format!("/api/v1/warnings/{id}"), &reader).await,
            StatusCode::OK,
        )
        .await
    };

    // Permissions: reading takes warning:read, handling warning:handle.
    expect_problem(
        app.get("/api/v1/warnings", &stranger).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.get(&format!("/api/v1/warnings/{id}"), &stranger).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_problem(
        app.post(
            &path("assign"),
            Some(&reader),
            &json!({"assigneeId": handler_id, "version": 1}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // An open warning is neither handled nor closed; the refusal changes nothing.
    let before = get().await;
    for action in ["handle", "close"] {
        expect_problem(
            app.post(
                &path(action),
                Some(&handler),
                &json!({"note": "已处理", "version": 1}),
            )
            .await,
            StatusCode::CONFLICT,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(get().await, before);

    // Only someone who may handle warnings is assigned one.
    let p = expect_problem(
        app.post(
            &path("assign"),
            Some(&d.admin),
            &json!({"assigneeId": reader_id, "version": 1}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("assigneeId".to_string(), "not_a_handler".to_string())]
    );
    let assigned = expect_json(
        app.post(
            &path("assign"),
            Some(&d.admin),
            &json!({"assigneeId": handler_id, "note": "请贷后岗跟进", "version": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(assigned["warning"]["status"], "assigned");
    assert_eq!(assigned["warning"]["assigneeId"], handler_id);
    assert_eq!(assigned["warning"]["assigneeName"], "handler");
    assert_eq!(assigned["warning"]["actions"], json!(["assign", "handle"]));
    assert_eq!(assigned["warning"]["version"], 2);

    // A stale version, the wrong person, a missing note: refused, nothing changes.
    expect_problem(
        app.post(
            &path("handle"),
            Some(&handler),
            &json!({"note": "x", "version": 1}),
        )
        .await,
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;
    expect_problem(
        app.post(
            &path("handle"),
            Some(&d.admin),
            &json!({"note": "代为处理", "version": 2}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "not_assignee",
    )
    .await;
    let p = expect_problem(
        app.post(
            &path("handle"),
            Some(&handler),
            &json!({"note": "  ", "version": 2}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("note".to_string(), "required".to_string())]
    );
    expect_problem(
        app.post(
            &path("close"),
            Some(&d.admin),
            &json!({"note": "关闭", "version": 2}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(get().await["warning"], assigned["warning"]);

    let handled = expect_json(
        app.post(
            &path("handle"),
            Some(&handler),
            &json!({"note": "已电话联系借款人，承诺本周内还款", "version": 2}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(handled["warning"]["status"], "handled");
    assert_eq!(handled["warning"]["actions"], json!(["close"]));
    // Handled: no more reassigning.
    expect_problem(
        app.post(
            &path("assign"),
            Some(&d.admin),
            &json!({"assigneeId": handler_id, "version": 3}),
        )
        .await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    expect_problem(
        app.post(&path("close"), Some(&d.admin), &json!({"version": 3}))
            .await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    let p = expect_problem(
        app.post(
            &path("close"),
            Some(&d.admin),
            &json!({"note": "", "version": 3}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&p),
        vec![("note".to_string(), "required".to_string())]
    );
    let closed = expect_json(
        app.post(
            &path("close"),
            Some(&d.admin),
            &json!({"note": "借款人已还款，解除预警", "version": 3}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed["warning"]["status"], "closed");
    assert_eq!(closed["warning"]["actions"], json!([]));
    let history: Vec<(String, String, String, String)> = closed["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["action"].as_str().unwrap().to_string(),
                h["toStatus"].as_str().unwrap().to_string(),
                h["actorName"].as_str().unwrap().to_string(),
                h["note"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            (
                "assign".into(),
                "assigned".into(),
                "管理员".into(),
                "请贷后岗跟进".into()
            ),
            (
                "handle".into(),
                "handled".into(),
                "handler".into(),
                "已电话联系借款人，承诺本周内还款".into()
            ),
            (
                "close".into(),
                "closed".into(),
                "管理员".into(),
                "借款人已还款，解除预警".into()
            ),
        ]
    );
    assert_eq!(closed["history"][0]["assigneeName"], "handler");

    // Closed stays closed, and the same overdue episode is not raised again.
    for action in ["assign", "handle", "close"] {
        expect_problem(
            app.post(
                &path(action),
                Some(&handler),
                &json!({"assigneeId": handler_id, "note": "再次处理", "version": 4}),
            )
            .await,
            StatusCode::CONFLICT,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(get().await, closed);
    assert_eq!(raise(&app, date!(2026 - 04 - 10)).await, 0);

    // The lists filter by status, assignee, rule and loan.
    assert_eq!(warnings(&app, &reader, "status=closed").await["total"], 1);
    assert_eq!(warnings(&app, &reader, "live=true").await["total"], 0);
    assert_eq!(
        warnings(&app, &reader, &format!("assigneeId={handler_id}")).await["total"],
        1
    );
    assert_eq!(
        warnings(&app, &reader, "assigneeId=999999").await["total"],
        0
    );
    assert_eq!(warnings(&app, &reader, "ruleCode=dpd_1").await["total"], 1);
    assert_eq!(
        warnings(&app, &reader, &format!("loanId={loan}")).await["total"],
        1
    );
    expect_problem(
        app.get("/api/v1/warnings?status=finished", &reader).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_problem(
        app.get("/api/v1/warnings/999999", &reader).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Each step is audited with what the warning was before and after.
    let audit = expect_json(
        app.get("/api/v1/audit-logs?entity=warning", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(audit["total"], 3);
}

#[tokio::test]
async fn a_borrower_blacklisted_after_the_loan_and_an_approaching_maturity_raise_warnings() {
    let app = spawn_app().await;
    let (mut d, loan) = a_loan(&app).await;
    business_day(&app, &mut d, "2026-03-11").await;
    let entry = expect_json(
        app.post(
            "/api/v1/blacklist",
            Some(&d.admin),
            &json!({"subjectKind": "id_number", "value": crate::customers::ID_B,
                    "reason": "法院失信被执行人", "source": "court"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // Maturity is 2028-03-10, 730 days after 03-11: within a rule of 800 days.
    let rules = expect_json(
        app.get("/api/v1/warning-rules", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    let body: Vec<Value> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let days = if r["code"] == "maturity" {
                json!(800)
            } else {
                r["days"].clone()
            };
            json!({"code": r["code"], "days": days, "level": r["level"], "enabled": r["enabled"],
                   "version": r["version"]})
        })
        .collect();
    expect_json(
        app.put("/api/v1/warning-rules", &d.admin, &json!({ "rules": body }))
            .await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(raise(&app, date!(2026 - 03 - 11)).await, 2);
    assert_eq!(raise(&app, date!(2026 - 03 - 12)).await, 0);
    let listed = warnings(&app, &d.admin, "ruleCode=blacklist").await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["loanId"], loan);
    assert_eq!(listed["items"][0]["level"], "high");
    assert_eq!(
        listed["items"][0]["subject"],
        format!("entry:{}", entry["id"])
    );
    assert_eq!(listed["items"][0]["facts"]["reason"], "法院失信被执行人");
    let maturity = warnings(&app, &d.admin, "ruleCode=maturity").await;
    assert_eq!(maturity["items"][0]["facts"]["daysLeft"], 730);
    assert_eq!(maturity["items"][0]["facts"]["maturityDate"], "2028-03-10");

    // The close's partitions: a range without the loan raises nothing for it.
    let txn = sea_orm::TransactionTrait::begin(&app.db).await.unwrap();
    let none = loans::service::warnings::close_step::raise_warnings(
        &txn,
        date!(2026 - 03 - 12),
        (loan + 1, loan + 1000),
        app.clock.now(),
    )
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(none, 0);

    // Data scope: someone who sees only their own sees no warning on another's loan.
    let role = app
        .create_role(&d.admin, "OWN-READER", "self", &["warning:read"])
        .await;
    let (_, own) = app.user_token(&d.admin, "own-reader", None, &[role]).await;
    assert_eq!(warnings(&app, &own, "").await["total"], 0);
    let id = listed["items"][0]["id"].as_i64().unwrap();
    expect_problem(
        app.get(&format!("/api/v1/warnings/{id}"), &own).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
