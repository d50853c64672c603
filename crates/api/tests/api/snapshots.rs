//! The close's last two steps on a real PostgreSQL: reminders written to the outbox exactly
//! once, and balance snapshots that feed the average-daily-balance and quality reports.
//!
//! One loan: 100 000 at 12 % over 24 months from 2026-03-10, equal installments of 4 707.35
//! (period 1: 3 707.35 principal + 1 000.00 interest due 04-10; period 2: 3 744.42 + 962.93
//! due 05-10; period 3 due 06-10). Period 1 is paid in full on its due date; period 2 is
//! missed. The close runs every day from 03-10 to 05-25.
//!
//! Reminders, worked from the rules (3 days and 1 day before a due date; 1, 7, 15 and 30 days
//! past due, where days past due after closing D = D + 1 − the oldest unpaid due date):
//! - 04-07 and 04-09: period 1 due 04-10, 4 707.35;
//! - 05-07 and 05-09: period 2 due 05-10, 3 744.42 + 962.93 = 4 707.35;
//! - 05-10 (1 day), 05-16 (7 days), 05-24 (15 days): period 2 unpaid, 4 707.35;
//! - not yet: 30 days (05-10 + 29 = 06-08), period 3's (06-07, 06-09). Seven in all.
//!
//! Balance history (principal outstanding): 100 000.00 from 03-10; 96 292.65 from 04-10
//! (100 000 − 3 707.35); from 05-10 the same principal, 3 744.42 of it overdue and the loan
//! 关注 — three rows, however many days are closed.

use kernel::Clock;
use loans::service::close::{self, CloseContext, CloseOptions};
use reqwest::StatusCode;
use sea_orm::TransactionTrait;
use serde_json::{Value, json};
use time::macros::date;

use crate::helpers::*;
use crate::money::{Desk, confirm, desk, disbursed, post_keyed, register_repayment, sign_in};

fn context(app: &TestApp) -> CloseContext {
    CloseContext {
        db: app.db.clone(),
        clock: app.clock.clone(),
    }
}

/// The calendar moves on; the business date stays until the close moves it.
async fn calendar(app: &TestApp, d: &mut Desk, day: time::Date) {
    app.clock.set(day.with_hms(9, 0, 0).unwrap().assume_utc());
    d.admin = sign_in(app, "admin", ADMIN_NEW_PASSWORD).await;
    d.cashier = sign_in(app, "cashier", USER_PASSWORD).await;
    d.checker = sign_in(app, "finance", USER_PASSWORD).await;
}

async fn close_until(app: &TestApp, until: time::Date) {
    let opts = CloseOptions {
        worker: "test".into(),
        partition_size: 7,
        parallel: 1,
    };
    let runs = close::close_until(&context(app), None, until, &opts)
        .await
        .unwrap();
    assert!(runs.iter().all(|r| r.status == "done"), "{runs:?}");
}

async fn outbox(app: &TestApp, token: &str, query: &str) -> Value {
    expect_json(
        app.get(&format!("/api/v1/outbox-messages?{query}"), token)
            .await,
        StatusCode::OK,
    )
    .await
}

/// (business date, template, dedupe key's subject, params) of each message, oldest first.
fn summary(page: &Value) -> Vec<(String, String, Value)> {
    let mut rows: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(m["status"], "pending");
            assert_eq!(m["channel"], "sms");
            (
                m["businessDate"].as_str().unwrap().to_string(),
                m["template"].as_str().unwrap().to_string(),
                m["params"].clone(),
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows
}

#[tokio::test]
async fn the_close_reminds_once_and_snapshots_balances_for_the_reports() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    let loan_id = loan["loan"]["id"].as_i64().unwrap();
    let loan_no = loan["loan"]["loanNo"].as_str().unwrap().to_string();
    calendar(&app, &mut d, date!(2026 - 06 - 01)).await;

    close_until(&app, date!(2026 - 04 - 10)).await;
    let r = register_repayment(&app, &d, &loan, "4707.35", "2026-04-10", "snap-pay-1").await;
    expect_json(confirm(&app, &d, &r, "snap-pay-1-ok").await, StatusCode::OK).await;
    close_until(&app, date!(2026 - 05 - 26)).await;

    let due = |day: &str, period: i64, due_date: &str, before: i64| {
        (
            day.to_string(),
            "repayment_due".to_string(),
            json!({"loanNo": loan_no, "period": period, "dueDate": due_date,
                   "daysBefore": before, "amountDue": "4707.35"}),
        )
    };
    let late = |day: &str, dpd: i64| {
        (
            day.to_string(),
            "overdue".to_string(),
            json!({"loanNo": loan_no, "dueDate": "2026-05-10", "daysPastDue": dpd,
                   "amountDue": "4707.35"}),
        )
    };
    let expected = vec![
        due("2026-04-07", 1, "2026-04-10", 3),
        due("2026-04-09", 1, "2026-04-10", 1),
        due("2026-05-07", 2, "2026-05-10", 3),
        due("2026-05-09", 2, "2026-05-10", 1),
        late("2026-05-10", 1),
        late("2026-05-16", 7),
        late("2026-05-24", 15),
    ];
    let all = outbox(&app, &d.admin, "pageSize=50").await;
    assert_eq!(all["total"], 7);
    assert_eq!(summary(&all), expected);
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["loanId"] == loan_id && m["customerId"] == d.customer)
    );

    // The filters.
    assert_eq!(outbox(&app, &d.admin, "template=overdue").await["total"], 3);
    // Each filter value is the name the reminders store, so it lists exactly their messages.
    let due_only = outbox(&app, &d.admin, "template=repayment_due").await;
    assert_eq!(summary(&due_only), expected[..4].to_vec());
    let one_day = outbox(&app, &d.admin, "businessDate=2026-05-16").await;
    assert_eq!(summary(&one_day), vec![late("2026-05-16", 7)]);
    assert_eq!(
        outbox(&app, &d.admin, &format!("status=pending&loanId={loan_id}")).await["total"],
        7
    );
    assert_eq!(
        outbox(&app, &d.admin, &format!("loanId={}", loan_id + 1)).await["total"],
        0
    );
    let paged = outbox(&app, &d.admin, "page=2&pageSize=5").await;
    assert_eq!(
        (paged["items"].as_array().unwrap().len(), &paged["total"]),
        (2, &json!(7))
    );

    // Running the two steps again over every day already closed writes nothing more.
    let mut day = date!(2026 - 03 - 10);
    while day < date!(2026 - 05 - 26) {
        let txn = app.db.begin().await.unwrap();
        let now = app.clock.now();
        let again = close::reminders::reminders(&txn, day, (0, i64::MAX), now)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        assert_eq!(again, 0, "reminders of {day} written twice");
        day = day.next_day().unwrap();
    }
    let txn = app.db.begin().await.unwrap();
    let again = close::snapshots::balance_snapshots(&txn, date!(2026 - 05 - 25), (0, i64::MAX))
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(again, 0, "the snapshot of 05-25 changed on a rerun");
    assert_eq!(app.count("outbox_messages").await, 7);
    // A row per change, not per day: 77 days closed, three stretches of unchanged figures.
    assert_eq!(app.count("loan_balance_history").await, 3);

    // ADB over 03-10..05-25 (77 days: 22 in March, 30 in April, 25 in May):
    // 100 000.00 × 31 days (03-10..04-09) + 96 292.65 × 46 days (04-10..05-25)
    // = 3 100 000.00 + 4 429 461.90 = 7 529 461.90; ÷ 77 = 97 785.2194… → 97 785.22.
    let adb = expect_json(
        app.get(
            "/api/v1/reports/average-daily-balance?from=2026-03-10&to=2026-05-25",
            &d.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(adb["days"], 77);
    assert_eq!(adb["averageDailyBalance"], "97785.22");
    assert_eq!(adb["total"], 1);
    assert_eq!(adb["items"][0]["balanceDays"], "7529461.90");
    assert_eq!(adb["items"][0]["averageDailyBalance"], "97785.22");
    let product = adb["items"][0]["productCode"].clone();
    // April alone, per loan: 100 000.00 × 9 + 96 292.65 × 21 = 2 922 145.65; ÷ 30 =
    // 97 404.855 → half-up 97 404.86.
    let april = expect_json(
        app.get(
            &format!(
                "/api/v1/reports/average-daily-balance?from=2026-04-01&to=2026-04-30&groupBy=loan&loanId={loan_id}"
            ),
            &d.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(april["items"][0]["loanId"], loan_id);
    assert_eq!(april["items"][0]["loanNo"], json!(loan_no));
    assert_eq!(april["items"][0]["averageDailyBalance"], "97404.86");
    // Before the loan existed: nothing outstanding.
    let before = expect_json(
        app.get(
            "/api/v1/reports/average-daily-balance?from=2026-03-01&to=2026-03-09",
            &d.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (&before["averageDailyBalance"], &before["total"]),
        (&json!("0.00"), &json!(0))
    );

    // The quality report of the last closed day adds up to the loan's balances.
    let l = expect_json(
        app.get(&format!("/api/v1/loans/{loan_id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(l["balances"]["principalNormal"], "92548.23");
    assert_eq!(l["balances"]["principalOverdue"], "3744.42");
    let q = expect_json(
        app.get("/api/v1/reports/portfolio-quality", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(q["date"], "2026-05-25");
    let expected_line = json!({
        "classification": "special_mention", "loanCount": 1,
        "principalOutstanding": "96292.65", "principalOverdue": "3744.42",
        "interestReceivable": l["balances"]["interestReceivable"], "sharePct": "100.00",
    });
    let mut by_product = expected_line.clone();
    by_product["productCode"] = product;
    assert_eq!(q["byProduct"], json!([by_product]));
    let mut by_class = expected_line.clone();
    by_class["productCode"] = Value::Null;
    assert_eq!(q["byClass"], json!([by_class]));
    assert_eq!(q["total"]["principalOutstanding"], "96292.65");
    assert_eq!(
        q["total"]["interestReceivable"],
        l["balances"]["interestReceivable"]
    );
    // An earlier day: 04-09, before period 1 was paid, 正常 with the whole principal.
    let q = expect_json(
        app.get(
            "/api/v1/reports/portfolio-quality?date=2026-04-09",
            &d.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(q["byClass"][0]["classification"], "normal");
    assert_eq!(q["total"]["principalOutstanding"], "100000.00");
    assert_eq!(q["total"]["principalOverdue"], "0.00");
}

#[tokio::test]
async fn the_outbox_and_the_reports_refuse_bad_input_and_the_unpermitted() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    disbursed(&app, &mut d).await;
    calendar(&app, &mut d, date!(2026 - 03 - 20)).await;
    close_until(&app, date!(2026 - 03 - 15)).await;

    let role = app
        .create_role(&d.admin, "WARNINGS_ONLY", "all", &["warning:read"])
        .await;
    let (_, outsider) = app.user_token(&d.admin, "outsider", None, &[role]).await;
    for path in [
        "/api/v1/outbox-messages",
        "/api/v1/reports/average-daily-balance?from=2026-03-10&to=2026-03-14",
        "/api/v1/reports/portfolio-quality",
    ] {
        expect_problem(
            app.get(path, &outsider).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }

    for query in [
        "status=lost",
        "template=birthday",
        "businessDate=2026-13-01",
        "loanId=x",
    ] {
        let r = app
            .get(&format!("/api/v1/outbox-messages?{query}"), &d.admin)
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    // An unknown template is named, with the ones there are (it listed nothing before).
    let e = expect_problem(
        app.get("/api/v1/outbox-messages?template=birthday", &d.admin)
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let detail = e["detail"].as_str().unwrap();
    assert!(
        detail.contains("birthday")
            && detail.contains("repayment_due")
            && detail.contains("overdue"),
        "{detail}"
    );
    for query in [
        "from=2026-03-10",
        "from=2026-03-10&to=2026-03-14&groupBy=branch",
    ] {
        let r = app
            .get(
                &format!("/api/v1/reports/average-daily-balance?{query}"),
                &d.admin,
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    // The business date is 03-15: 03-15 itself is not closed yet.
    for (query, code) in [
        ("from=2026-03-14&to=2026-03-10", "before_from"),
        ("from=2026-03-10&to=2026-03-15", "not_closed"),
        ("from=2025-01-01&to=2026-03-14", "too_long"),
    ] {
        let e = expect_problem(
            app.get(
                &format!("/api/v1/reports/average-daily-balance?{query}"),
                &d.admin,
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_errors(&e), vec![("to".to_string(), code.to_string())]);
    }
    // A day no close snapshotted is an empty report, not an error.
    let q = expect_json(
        app.get(
            "/api/v1/reports/portfolio-quality?date=2026-01-01",
            &d.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(q["total"]["loanCount"], 0);
    assert_eq!(q["byProduct"], json!([]));
}

/// A loan paid off while it is the book's only (and so last) loan still has its balance history
/// closed by the next close: the close's grid spans the loans with open history too. Closed on
/// 03-10 (a row from 03-10 at 100 000.00), paid off on 03-11, closed on 03-11: the row ends on
/// 03-11, so the average over 03-10…03-11 is 100 000.00 × 1 day / 2 days = 50 000.00.
#[tokio::test]
async fn a_loan_paid_off_last_in_the_book_leaves_the_balance_history() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    let loan_id = loan["loan"]["id"].as_i64().unwrap();
    calendar(&app, &mut d, date!(2026 - 03 - 20)).await;
    close_until(&app, date!(2026 - 03 - 11)).await;
    let quote = expect_json(
        app.get(
            &format!("/api/v1/loans/{loan_id}/payoff-quote?date=2026-03-11"),
            &d.checker,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let payoff = expect_json(
        post_keyed(
            &app,
            "/api/v1/repayments",
            &d.cashier,
            "payoff-history",
            &json!({"loanId": loan_id, "kind": "payoff", "amount": quote["payoffAmount"],
                    "channel": "bank_transfer", "fundAccountCode": "100201",
                    "reference": "PAYOFF-H", "valueDate": "2026-03-11"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_json(
        confirm(&app, &d, &payoff, "payoff-history-ok").await,
        StatusCode::OK,
    )
    .await;
    close_until(&app, date!(2026 - 03 - 12)).await;
    let rows: Vec<String> = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT valid_from || ' ' || coalesce(valid_to::text, 'open') AS line \
                 FROM loan_balance_history WHERE loan_id = {loan_id} ORDER BY valid_from"
            ),
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("", "line").unwrap())
        .collect();
    assert_eq!(rows, ["2026-03-10 2026-03-11"]);
    let adb = expect_json(
        app.get(
            "/api/v1/reports/average-daily-balance?from=2026-03-10&to=2026-03-11",
            &d.admin,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(adb["averageDailyBalance"], "50000.00", "{adb}");
}
