//! The daily close (日终) on a real PostgreSQL: day after day its set-based SQL books what the
//! pure arithmetic says, exactly once; runs resume and rerun without booking twice; the books
//! reconcile after every run. One loan: 100 000 at 12 % over 24 months from 2026-03-10, left
//! unpaid (period 1: 3 707.35 principal + 1 000.00 interest due 2026-04-10; period 2:
//! 3 744.42 + 962.93 due 2026-05-10). Penalty rate 12 % × 1.5 = 18 %, a day 0.0005 (basis
//! 360, no grace): period 1 bears 1.853675 a day of penalty and 0.5 of compound interest from
//! 04-10; period 2 1.87221 and 0.481465 from 05-10. Closing through 05-19 (business date
//! 05-20): 40 days → 74.147 → 74.15 and 20.00; 10 days → 18.7221 → 18.72 and 4.81465 → 4.81.

use loans::domain::servicing::InstallmentState;
use loans::service::close::{self, CloseContext, CloseOptions};
use loans::service::loan_accounts;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};
use time::macros::date;

use crate::helpers::*;
use crate::money::{
    Desk, assert_reconciled, confirm, desk, disbursed, line, post_keyed, sign_in, voucher,
};

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

#[tokio::test]
async fn closing_day_by_day_books_what_the_arithmetic_says_exactly_once() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    let loan_id = loan["loan"]["id"].as_i64().unwrap();
    calendar(&app, &mut d, date!(2026 - 06 - 01)).await;
    let ctx = context(&app);
    let opts = CloseOptions {
        worker: "test".into(),
        partition_size: 7,
        parallel: 1,
    };
    let rate = kernel::Rate::annual("0.12".parse().unwrap()).unwrap();
    let params = calc::overdue::OverdueParams::new(rate, "1.5".parse().unwrap(), 0).unwrap();

    // The reference: the same installments carried day by day by the pure arithmetic.
    let mut reference: Vec<InstallmentState> =
        loan_accounts::installments(&app.db, loan_id).await.unwrap();
    let mut day = date!(2026 - 03 - 10);
    while day < date!(2026 - 05 - 20) {
        let run = close::close_day(&ctx, None, day, &opts).await.unwrap();
        assert_eq!(run.status, "done", "{run:?}");
        let next = day.next_day().unwrap();
        for i in reference.iter_mut() {
            i.accrue_to(next, &params);
            i.interest_accrued = i.interest_accrued_to(next);
        }
        let booked = loan_accounts::installments(&app.db, loan_id).await.unwrap();
        for (b, r) in booked.iter().zip(&reference) {
            assert_eq!(
                (b.penalty_accrued, b.compound_accrued, b.interest_accrued),
                (r.penalty_accrued, r.compound_accrued, r.interest_accrued),
                "period {} after closing {day}",
                b.period
            );
            assert_eq!(
                b.overdue_since.is_some(),
                b.due_date <= day,
                "period {} on {day}",
                b.period
            );
        }
        day = next;
    }
    let booked = loan_accounts::installments(&app.db, loan_id).await.unwrap();
    assert_eq!(booked[0].penalty_due().to_string(), "74.15");
    assert_eq!(booked[0].compound_due().to_string(), "20.00");
    assert_eq!(booked[1].penalty_due().to_string(), "18.72");
    assert_eq!(booked[1].compound_due().to_string(), "4.81");
    assert_eq!(booked[2].penalty_accrued, rust_decimal::Decimal::ZERO);
    // Interest accrued for the books (RULES.md §1): periods 1 and 2 whole; period 3
    // (05-10 → 06-10, 31 days, 925.48) 10 days: round(925.48 × 10 / 31) = 298.54.
    assert_eq!(booked[0].interest_accrued.to_string(), "1000.00");
    assert_eq!(booked[1].interest_accrued.to_string(), "962.93");
    assert_eq!(booked[2].interest_accrued.to_string(), "298.54");

    let today = expect_json(
        app.get("/api/v1/business-date", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(today["today"], "2026-05-20");
    let l = expect_json(
        app.get(&format!("/api/v1/loans/{loan_id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    // 100 000 − 3 707.35 − 3 744.42 overdue.
    assert_eq!(l["balances"]["principalNormal"], "92548.23");
    assert_eq!(l["balances"]["principalOverdue"], "7451.77");
    assert_eq!(l["balances"]["interestReceivable"], "2261.47");
    assert_reconciled(&app, &d.admin).await;

    // Closing a closed day again books nothing; a day not yet reached is refused.
    let again = close::close_day(&ctx, None, date!(2026 - 04 - 10), &opts)
        .await
        .unwrap();
    assert_eq!(again.status, "done");
    let e = close::close_day(&ctx, None, date!(2026 - 05 - 25), &opts)
        .await
        .unwrap_err();
    assert_eq!(e.code, "not_the_business_date");

    // The runs tell what each step did: the first day accrued round(1000 × 1 / 31) = 32.26
    // (net 30.43 + VAT 1.83); the overdue transfer of 04-10 moved 3 707.35.
    let runs = expect_json(
        app.get("/api/v1/close-runs?pageSize=200", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(runs["total"], 71);
    let march10 = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["businessDate"] == "2026-03-10")
        .unwrap()
        .clone();
    assert_eq!(march10["steps"][0]["step"], "interest_accrual");
    assert_eq!(
        voucher(&app, &d.checker, &march10["steps"][0]["voucherId"]).await,
        vec![
            line("1132", "32.26", "0.00"),
            line("601101", "0.00", "30.43"),
            line("222101", "0.00", "1.83"),
        ]
    );
    let april10 = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["businessDate"] == "2026-04-10")
        .unwrap()
        .clone();
    let transfer = &april10["steps"][2];
    assert_eq!(transfer["step"], "overdue_transfer");
    assert_eq!(transfer["amount"], "3707.35");
    assert_eq!(
        voucher(&app, &d.checker, &transfer["voucherId"]).await,
        vec![
            line("130302", "3707.35", "0.00"),
            line("130301", "0.00", "3707.35"),
        ]
    );

    // Paying everything on 05-20 takes the principal from 本金-逾期, the interest from 1132
    // (its income and VAT were booked as it accrued), and the memo penalty and compound
    // interest into income. Due: 4 801.50 + 4 730.88.
    let r = expect_json(
        post_keyed(
            &app,
            "/api/v1/repayments",
            &d.cashier,
            "close-pay-1",
            &json!({"loanId": loan_id, "amount": "9532.38", "channel": "bank_transfer",
                    "fundAccountCode": "100201", "reference": "BANK-CLOSE-1", "valueDate": "2026-05-20"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let c = expect_json(confirm(&app, &d, &r, "close-pay-ok").await, StatusCode::OK).await;
    assert_eq!(c["allocation"]["creditAfter"], "0.00");
    // VAT: 92.87 → 87.61 + 5.26; 24.81 → 23.41 + 1.40.
    assert_eq!(
        voucher(&app, &d.checker, &c["voucherId"]).await,
        vec![
            line("100201", "9532.38", "0.00"),
            line("130302", "0.00", "7451.77"),
            line("1132", "0.00", "1962.93"),
            line("601102", "0.00", "87.61"),
            line("601103", "0.00", "23.41"),
            line("222101", "0.00", "6.66"),
        ]
    );
    let l = expect_json(
        app.get(&format!("/api/v1/loans/{loan_id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(l["balances"]["principalOverdue"], "0.00");
    assert_eq!(l["balances"]["principalNormal"], "92548.23");
    assert_eq!(l["balances"]["interestReceivable"], "298.54");
    assert_reconciled(&app, &d.admin).await;

    // The close has booked on top of that repayment since: it can no longer be reversed.
    // (Closing 05-20 needs the calendar past it.)
    calendar(&app, &mut d, date!(2026 - 05 - 22)).await;
    let run = close::close_day(&ctx, None, date!(2026 - 05 - 20), &opts)
        .await
        .unwrap();
    assert_eq!(run.status, "done");
    expect_problem(
        post_keyed(
            &app,
            &format!("/api/v1/repayments/{}/reversals", r["id"]),
            &d.cashier,
            "close-pay-reverse",
            &json!({"reason": "测试"}),
        )
        .await,
        StatusCode::CONFLICT,
        "closed_since",
    )
    .await;
    assert_reconciled(&app, &d.admin).await;
}

#[tokio::test]
async fn the_close_starts_over_the_api_and_reports_its_runs() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    disbursed(&app, &mut d).await;
    let e = expect_problem(
        app.post("/api/v1/close-runs", Some(&d.admin), &json!({}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&e),
        vec![("to".to_string(), "not_after_current".to_string())]
    );
    calendar(&app, &mut d, date!(2026 - 03 - 14)).await;
    expect_problem(
        app.post("/api/v1/close-runs", Some(&d.cashier), &json!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let started = expect_json(
        app.post("/api/v1/close-runs", Some(&d.admin), &json!({}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(
        (&started["from"], &started["to"]),
        (&json!("2026-03-10"), &json!("2026-03-14"))
    );
    let mut runs = Value::Null;
    for _ in 0..200 {
        runs = expect_json(
            app.get("/api/v1/close-runs", &d.admin).await,
            StatusCode::OK,
        )
        .await;
        if runs["total"] == 4 && runs["items"][0]["status"] == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(runs["total"], 4, "{runs}");
    assert_eq!(runs["items"][0]["businessDate"], "2026-03-13");
    assert_eq!(runs["items"][0]["steps"].as_array().unwrap().len(), 11);
    let today = expect_json(
        app.get("/api/v1/business-date", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(today["today"], "2026-03-14");
}

/// Finds a run's step by name.
fn step<'a>(runs: &'a Value, date: &str, name: &str) -> &'a Value {
    runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["businessDate"] == date)
        .unwrap_or_else(|| panic!("no run for {date}"))["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name} on {date}"))
}

#[tokio::test]
async fn past_ninety_days_a_loan_stops_accruing_is_substandard_and_provided_for() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    let loan_id = loan["loan"]["id"].as_i64().unwrap();
    calendar(&app, &mut d, date!(2026 - 08 - 05)).await;
    let ctx = context(&app);
    let opts = CloseOptions {
        worker: "test".into(),
        partition_size: 1000,
        parallel: 1,
    };
    // Close to the day before DPD 91 (as of 07-09: 07-09 − 04-10 = 90 days).
    let runs = close::close_until(&ctx, None, date!(2026 - 07 - 09), &opts)
        .await
        .unwrap();
    assert!(runs.iter().all(|r| r.status == "done"));
    let c = classification(&app, &d.checker, loan_id).await;
    assert_eq!(
        (&c["classification"], &c["daysPastDue"]),
        (&json!("special_mention"), &json!(90))
    );
    let l = expect_json(
        app.get(&format!("/api/v1/loans/{loan_id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    let receivable = l["balances"]["interestReceivable"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(receivable, "0.00");

    // Closing 07-09 makes it 91 days: 次级, and the accrued interest leaves 1132.
    close::close_day(&ctx, None, date!(2026 - 07 - 09), &opts)
        .await
        .unwrap();
    let c = classification(&app, &d.checker, loan_id).await;
    assert_eq!(
        (&c["classification"], &c["floor"]),
        (&json!("substandard"), &json!("substandard"))
    );
    let history: Vec<(String, String, String)> = c["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["businessDate"].as_str().unwrap().to_string(),
                h["fromClass"].as_str().unwrap().to_string(),
                h["toClass"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            (
                "2026-07-09".into(),
                "special_mention".into(),
                "substandard".into()
            ),
            (
                "2026-04-10".into(),
                "normal".into(),
                "special_mention".into()
            ),
        ]
    );
    let l = expect_json(
        app.get(&format!("/api/v1/loans/{loan_id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(l["balances"]["interestReceivable"], "0.00");
    let runs = expect_json(
        app.get("/api/v1/close-runs?pageSize=200", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    let reversal = step(&runs, "2026-07-09", "non_accrual");
    // The whole receivable is taken back: what stood before, and that day's accrual.
    let day: rust_decimal::Decimal = step(&runs, "2026-07-09", "interest_accrual")["amount"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let before: rust_decimal::Decimal = receivable.parse().unwrap();
    assert_eq!(reversal["amount"], json!((before + day).to_string()));
    // Nothing accrues any more.
    close::close_until(&ctx, None, date!(2026 - 08 - 02), &opts)
        .await
        .unwrap();
    let l = expect_json(
        app.get(&format!("/api/v1/loans/{loan_id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(l["balances"]["interestReceivable"], "0.00");

    // Provisions at each month end, on the 100 000 outstanding: 03-31 normal, the general
    // 1 % = 1 000.00; 04-30 关注 2 % = 2 000.00; 07-31 次级 25 % = 25 000.00 (23 000.00 more).
    let runs = expect_json(
        app.get("/api/v1/close-runs?pageSize=200", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    let march = step(&runs, "2026-03-31", "provisions");
    assert_eq!(
        voucher(&app, &d.checker, &march["voucherId"]).await,
        vec![
            line("6701", "1000.00", "0.00"),
            line("130402", "0.00", "1000.00")
        ]
    );
    let april = step(&runs, "2026-04-30", "provisions");
    assert_eq!(
        voucher(&app, &d.checker, &april["voucherId"]).await,
        vec![
            line("6701", "2000.00", "0.00"),
            line("130401", "0.00", "2000.00")
        ]
    );
    assert_eq!(
        step(&runs, "2026-05-31", "provisions")["voucherId"],
        Value::Null
    );
    let july = step(&runs, "2026-07-31", "provisions");
    assert_eq!(
        voucher(&app, &d.checker, &july["voucherId"]).await,
        vec![
            line("6701", "23000.00", "0.00"),
            line("130401", "0.00", "23000.00")
        ]
    );
    assert_eq!(step(&runs, "2026-07-30", "provisions")["partitions"], 0);
    let report = expect_json(
        app.get("/api/v1/provisions", &d.checker).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(report["asOf"], "2026-07-31");
    assert_eq!(report["specificAllowance"], "25000.00");
    assert_eq!(report["generalAllowance"], "1000.00");
    assert_eq!(report["nonPerforming"], "100000.00");
    // (25 000 + 1 000) ÷ 100 000.
    assert_eq!(report["coveragePct"], "26.00");
    // At 03-31 the loan was normal: the report still counts it and its balance, while the
    // per-loan figures are kept only from the month it carried an allowance.
    let march = expect_json(
        app.get("/api/v1/provisions?asOf=2026-03-31", &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            &march["lines"][0]["classification"],
            &march["lines"][0]["loans"],
            &march["lines"][0]["balance"],
            &march["lines"][0]["allowance"],
            march["lines"].as_array().unwrap().len(),
        ),
        (
            &json!("normal"),
            &json!(1),
            &json!("100000.00"),
            &json!("0.00"),
            1
        ),
        "{march}"
    );
    assert_eq!(
        (&march["grossLoans"], &march["generalAllowance"]),
        (&json!("100000.00"), &json!("1000.00"))
    );
    let kept: Vec<(time::Date, rust_decimal::Decimal)> = app
        .db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT as_of, allowance FROM loan_provisions WHERE loan_id = {loan_id} ORDER BY as_of"
            ),
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get("", "as_of").unwrap(),
                r.try_get("", "allowance").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kept,
        vec![
            (date!(2026 - 04 - 30), "2000.00".parse().unwrap()),
            (date!(2026 - 05 - 31), "2000.00".parse().unwrap()),
            (date!(2026 - 06 - 30), "2000.00".parse().unwrap()),
            (date!(2026 - 07 - 31), "25000.00".parse().unwrap()),
        ]
    );
    assert_reconciled(&app, &d.admin).await;

    // A person: worse at once; better only through someone else's review.
    let worse = expect_json(
        app.post(
            &format!("/api/v1/loans/{loan_id}/classification"),
            Some(&d.admin),
            &json!({"classification": "doubtful", "reason": "借款人失联，车辆下落不明"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(worse["classification"], "doubtful");
    let e = expect_problem(
        app.post(
            &format!("/api/v1/loans/{loan_id}/classification"),
            Some(&d.admin),
            &json!({"classification": "special_mention", "reason": "已联系上"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_errors(&e),
        vec![("classification".to_string(), "needs_review".to_string())]
    );
    let asked = expect_json(
        app.post(
            "/api/v1/classification-requests",
            Some(&d.admin),
            &json!({"loanId": loan_id, "classification": "special_mention", "reason": "已联系上，承诺还款，车辆已定位"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    expect_problem(
        app.post(
            &format!("/api/v1/classification-requests/{}/review", asked["id"]),
            Some(&d.admin),
            &json!({"decision": "approve", "version": asked["version"]}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "maker_checker",
    )
    .await;
    let reviewer_role = app
        .create_role(
            &d.admin,
            "CLASS-REVIEW",
            "all",
            &["loan:read", "classification:review"],
        )
        .await;
    let (_, reviewer) = app
        .user_token(&d.admin, "riskboss", None, &[reviewer_role])
        .await;
    let done = expect_json(
        app.post(
            &format!("/api/v1/classification-requests/{}/review", asked["id"]),
            Some(&reviewer),
            &json!({"decision": "approve", "version": asked["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "approved");
    let c = classification(&app, &d.checker, loan_id).await;
    assert_eq!(
        (&c["classification"], &c["floor"], &c["approvedFloor"]),
        (
            &json!("special_mention"),
            &json!("substandard"),
            &json!("substandard")
        )
    );
    assert_eq!(c["history"][0]["source"], "review");
    // The next close keeps the approved class while the floor stays 次级.
    close::close_day(&ctx, None, date!(2026 - 08 - 02), &opts)
        .await
        .unwrap();
    let c = classification(&app, &d.checker, loan_id).await;
    assert_eq!(c["classification"], "special_mention");
    assert_reconciled(&app, &d.admin).await;
}

async fn classification(app: &TestApp, token: &str, loan_id: i64) -> Value {
    expect_json(
        app.get(&format!("/api/v1/loans/{loan_id}/classification"), token)
            .await,
        StatusCode::OK,
    )
    .await
}

/// A loan whose terms are broken (a day basis of 0, as a bad data migration might leave it)
/// fails the penalty accrual alone: the close sets it aside, records it, does everything else
/// (its own other steps and every other loan), and moves the date; once the terms are put
/// right the next close catches its penalty up. Period 1 (3 707.35 + 1 000.00, due 04-10) bears
/// 3 707.35 × 12 % × 1.5 / 360 = 1.853675 of penalty and 1 000 × 0.0005 = 0.5 of compound
/// interest a day from 04-10: caught up at the close of 04-12, three days, 5.561025 and 1.5.
#[tokio::test]
async fn a_loan_a_step_fails_on_is_set_aside_recorded_and_caught_up_later() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    let loan_id = loan["loan"]["id"].as_i64().unwrap();
    let loan_no = loan["loan"]["loanNo"].as_str().unwrap().to_string();
    calendar(&app, &mut d, date!(2026 - 04 - 20)).await;
    let ctx = context(&app);
    let opts = CloseOptions {
        worker: "test".into(),
        partition_size: 1000,
        parallel: 1,
    };
    let set_basis = |basis: i32| {
        format!(
            "UPDATE loans SET terms = jsonb_set(terms, '{{dayBasis}}', '{basis}') WHERE id = {loan_id}"
        )
    };
    app.db.execute_unprepared(&set_basis(0)).await.unwrap();
    let runs = close::close_until(&ctx, None, date!(2026 - 04 - 12), &opts)
        .await
        .unwrap();
    assert_eq!(runs.len(), 33);
    assert!(runs.iter().all(|r| r.status == "done"), "{runs:?}");
    // Nothing fails before the loan has anything overdue; from the due date on, the penalty.
    for r in &runs {
        let failed: Vec<_> = r
            .loan_failures
            .iter()
            .map(|f| (f.step.as_str(), f.loan_no.as_str()))
            .collect();
        if r.business_date < date!(2026 - 04 - 10) {
            assert!(failed.is_empty(), "{}: {failed:?}", r.business_date);
        } else {
            assert_eq!(failed, vec![("penalty_accrual", loan_no.as_str())]);
            assert!(r.loan_failures[0].error.contains("division by zero"));
        }
    }
    let i = &loan_accounts::installments(&app.db, loan_id).await.unwrap()[0];
    assert_eq!(
        (i.penalty_accrued, i.compound_accrued, i.accrued_through),
        (0.into(), 0.into(), None)
    );
    // The loan's other steps went on: period 1's principal is overdue, it is 关注 at 2 days.
    let c = classification(&app, &d.checker, loan_id).await;
    assert_eq!(
        (&c["classification"], &c["daysPastDue"]),
        (&json!("special_mention"), &json!(2))
    );
    // The console sees it: the step reports the loan it skipped, the run lists it.
    let listed = expect_json(
        app.get("/api/v1/close-runs?pageSize=5", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    let penalty = step(&listed, "2026-04-11", "penalty_accrual");
    assert_eq!(
        (&penalty["status"], &penalty["loansFailed"]),
        (&json!("done"), &json!(1))
    );
    let run = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["businessDate"] == "2026-04-11")
        .unwrap();
    assert_eq!(run["loanFailures"][0]["loanNo"], json!(loan_no));
    assert_eq!(run["loanFailures"][0]["step"], json!("penalty_accrual"));

    app.db.execute_unprepared(&set_basis(360)).await.unwrap();
    let run = close::close_day(&ctx, None, date!(2026 - 04 - 12), &opts)
        .await
        .unwrap();
    assert_eq!((run.status.as_str(), run.loan_failures.len()), ("done", 0));
    let i = &loan_accounts::installments(&app.db, loan_id).await.unwrap()[0];
    assert_eq!(
        (i.penalty_accrued, i.compound_accrued, i.accrued_through),
        (
            "5.561025".parse().unwrap(),
            "1.5".parse().unwrap(),
            Some(date!(2026 - 04 - 13))
        )
    );
    assert_reconciled(&app, &d.admin).await;
}

/// The disbursed loan with every day closed up to 2026-04-15, the day a provision demand is
/// made for; the calendar at 04-20.
async fn closed_to_the_day_of_the_demand() -> (TestApp, Desk, CloseContext, CloseOptions) {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    disbursed(&app, &mut d).await;
    calendar(&app, &mut d, date!(2026 - 04 - 20)).await;
    let ctx = context(&app);
    let opts = CloseOptions {
        worker: "test".into(),
        partition_size: 1000,
        parallel: 1,
    };
    close::close_until(&ctx, None, date!(2026 - 04 - 15), &opts)
        .await
        .unwrap();
    (app, d, ctx, opts)
}

/// Provisions asked for (按需计提) are made at that date's close although it is no month end:
/// on 04-15 the loan is 关注 (6 days past due), 2 % of 100 000.00 = 2 000.00 specific and 1 %
/// = 1 000.00 general (already booked at 03-31, so the voucher moves 2 000.00); the day
/// before, with no demand, the step books nothing.
#[tokio::test]
async fn provisions_asked_for_are_made_at_that_close() {
    let (app, d, ctx, opts) = closed_to_the_day_of_the_demand().await;
    expect_problem(
        app.post("/api/v1/provision-demands", Some(&d.cashier), &json!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let asked = expect_json(
        app.post("/api/v1/provision-demands", Some(&d.admin), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(asked["businessDate"], "2026-04-15");
    let again = expect_json(
        app.post("/api/v1/provision-demands", Some(&d.admin), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again, asked);
    close::close_day(&ctx, None, date!(2026 - 04 - 15), &opts)
        .await
        .unwrap();
    let runs = expect_json(
        app.get("/api/v1/close-runs?pageSize=5", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        step(&runs, "2026-04-14", "provisions")["voucherId"],
        json!(null)
    );
    let made = step(&runs, "2026-04-15", "provisions");
    // The general 1 000.00 was booked at the month end 03-31: only the specific moves.
    assert_eq!(made["amount"], "2000.00", "{made}");
    let report = expect_json(
        app.get("/api/v1/provisions?asOf=2026-04-15", &d.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            &report["asOf"],
            &report["specificAllowance"],
            &report["generalAllowance"]
        ),
        (&json!("2026-04-15"), &json!("2000.00"), &json!("1000.00")),
        "{report}"
    );
    let listed = expect_json(
        app.get("/api/v1/provision-demands", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed["total"], 1);
    assert_reconciled(&app, &d.admin).await;
}

/// A demand in flight while the close decides whether provisions have work: the step waits for
/// it (the demands' lock) and makes the provisions, rather than deciding without it and
/// leaving a demand accepted and never made. The wait is found from the lock table, not timed.
#[tokio::test]
async fn a_demand_in_flight_when_the_provisions_step_decides_is_made() {
    let (app, d, ctx, opts) = closed_to_the_day_of_the_demand().await;
    // A demand as the service makes one: the lock, then its row, not yet committed.
    let demand = app.db.begin().await.unwrap();
    demand
        .execute_unprepared(close::DEMANDS_LOCK)
        .await
        .unwrap();
    demand
        .execute_unprepared(
            "INSERT INTO provision_demands (business_date, requested_by, requested_at) \
             SELECT '2026-04-15', min(id), now() FROM users",
        )
        .await
        .unwrap();
    let closing = {
        let (ctx, opts) = (ctx.clone(), opts.clone());
        tokio::spawn(
            async move { close::close_day(&ctx, None, date!(2026 - 04 - 15), &opts).await },
        )
    };
    let mut waited = false;
    for _ in 0..1200 {
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
            ))
            .await
            .unwrap()
            .unwrap();
        if row.try_get::<i64>("", "n").unwrap() > 0 {
            waited = true;
            break;
        }
        assert!(
            !closing.is_finished(),
            "the close ran without waiting for the demand"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(waited, "the close never reached the provisions step's lock");
    demand.commit().await.unwrap();
    closing.await.unwrap().unwrap();
    let runs = expect_json(
        app.get("/api/v1/close-runs?pageSize=5", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    let made = step(&runs, "2026-04-15", "provisions");
    assert_eq!(made["amount"], "2000.00", "{made}");
    assert_reconciled(&app, &d.admin).await;
}
