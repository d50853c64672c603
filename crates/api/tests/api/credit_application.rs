//! The close applies a credit balance to the installments falling due (溢缴款冲抵, RULES.md
//! §4) on a real PostgreSQL: what the borrower overpaid pays the next installment on its due
//! date, as a repayment of no cash would, shown among the repayments; what it cannot cover
//! goes overdue; nothing is applied twice; the books reconcile throughout.
//!
//! The loan (RULES.md §2.1, as in money.rs): 100 000 at 12 % over 24 months from 2026-03-10,
//! r = 0.01, PMT = round(100000 · 0.01 / (1 − 1.01^−24)) = 4 707.35.
//!   period 1 due 04-10: interest 1 000.00, principal 3 707.35
//!   period 2 due 05-10: interest round(96 292.65 · 0.01) = 962.93, principal 3 744.42
//!   period 3 due 06-10: interest round(92 548.23 · 0.01) = 925.48, principal 3 781.87
//! The close accrues each period's interest over its days (§1), so by its due date the whole
//! interest sits in 1132 (Dr 1132 / Cr 6011 + 2221 as it accrued); paying it clears 1132 and
//! books no income again (§10).
//!
//! The borrower pays 10 000.00 on 04-10: period 1 takes 4 707.35 (1 000.00 interest from
//! 1132, 3 707.35 principal), 5 292.65 is kept as credit (Cr 224101).
//! Closing 05-10 applies 4 707.35 of it to period 2: Dr 224101 4 707.35 / Cr 130301 3 744.42,
//! Cr 1132 962.93; credit left 5 292.65 − 4 707.35 = 585.30; period 2 is settled and not
//! transferred to overdue.
//! Closing 06-10 applies the 585.30 left to period 3, interest first (fees, penalty and
//! compound are nil on the due date): Dr 224101 585.30 / Cr 1132 585.30; credit left 0.00;
//! period 3's principal 3 781.87 goes to 本金-逾期, with 925.48 − 585.30 = 340.18 interest
//! still owed.

use kernel::Clock;
use loans::service::close::{self, CloseContext, CloseOptions};
use loans::service::{credit_application, loan_accounts};
use reqwest::StatusCode;
use serde_json::{Value, json};
use time::macros::date;

use crate::helpers::*;
use crate::money::{
    Desk, assert_reconciled, confirm, desk, disbursed, line, post_keyed, register_repayment,
    sign_in, voucher,
};

fn context(app: &TestApp) -> CloseContext {
    CloseContext {
        db: app.db.clone(),
        clock: app.clock.clone(),
    }
}

fn opts() -> CloseOptions {
    CloseOptions {
        worker: "test".into(),
        partition_size: 7,
        parallel: 1,
    }
}

/// Closes every business date before `until`, each run done.
async fn close_until(app: &TestApp, until: time::Date) {
    let runs = close::close_until(&context(app), None, until, &opts())
        .await
        .unwrap();
    assert!(runs.iter().all(|r| r.status == "done"), "{runs:?}");
}

/// The calendar moves on; the business date stays until the close moves it.
async fn calendar(app: &TestApp, d: &mut Desk, day: time::Date) {
    app.clock.set(day.with_hms(9, 0, 0).unwrap().assume_utc());
    d.admin = sign_in(app, "admin", ADMIN_NEW_PASSWORD).await;
    d.cashier = sign_in(app, "cashier", USER_PASSWORD).await;
    d.checker = sign_in(app, "finance", USER_PASSWORD).await;
}

async fn loan(app: &TestApp, d: &Desk, id: i64) -> Value {
    expect_json(
        app.get(&format!("/api/v1/loans/{id}"), &d.checker).await,
        StatusCode::OK,
    )
    .await
}

/// The loan's applications from credit, oldest first.
async fn applications(app: &TestApp, d: &Desk, id: i64) -> Vec<Value> {
    let page = expect_json(
        app.get(&format!("/api/v1/repayments?loanId={id}"), &d.checker)
            .await,
        StatusCode::OK,
    )
    .await;
    let mut found: Vec<Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "credit_application")
        .cloned()
        .collect();
    found.reverse();
    found
}

fn step_of(run: &close::CloseRun, step: close::CloseStep) -> &close::CloseStepProgress {
    run.steps.iter().find(|s| s.step == step).unwrap()
}

#[tokio::test]
async fn the_close_pays_installments_falling_due_from_the_credit_balance_once() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let l = disbursed(&app, &mut d).await;
    let id = l["loan"]["id"].as_i64().unwrap();
    calendar(&app, &mut d, date!(2026 - 07 - 01)).await;
    close_until(&app, date!(2026 - 04 - 10)).await;

    // An overpayment on the first due date is kept as credit.
    let r = register_repayment(&app, &d, &l, "10000.00", "2026-04-10", "credit-pay-1").await;
    let c = expect_json(
        confirm(&app, &d, &r, "credit-pay-1-ok").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(c["allocation"]["creditAfter"], "5292.65");
    assert_eq!(
        voucher(&app, &d.checker, &c["voucherId"]).await,
        vec![
            line("100201", "10000.00", "0.00"),
            line("130301", "0.00", "3707.35"),
            line("1132", "0.00", "1000.00"),
            line("224101", "0.00", "5292.65"),
        ]
    );

    // Nothing falls due before 05-10: the credit waits.
    close_until(&app, date!(2026 - 05 - 10)).await;
    assert_eq!(
        loan(&app, &d, id).await["balances"]["creditBalance"],
        "5292.65"
    );
    assert!(applications(&app, &d, id).await.is_empty());

    // 05-10: period 2 is paid from the credit and stays out of overdue.
    close_until(&app, date!(2026 - 05 - 11)).await;
    let run = close::close_day(&context(&app), None, date!(2026 - 05 - 10), &opts())
        .await
        .unwrap();
    assert_eq!(
        step_of(&run, close::CloseStep::CreditApplication).rows_done,
        1
    );
    assert_eq!(
        step_of(&run, close::CloseStep::OverdueTransfer).rows_done,
        0
    );
    let found = applications(&app, &d, id).await;
    assert_eq!(found.len(), 1);
    let a = &found[0];
    assert_eq!(a["status"], "confirmed");
    assert_eq!(a["channel"], "credit_balance");
    assert_eq!(a["amount"], "0.00", "no money came in");
    assert_eq!(a["valueDate"], "2026-05-10");
    assert_eq!(a["fundAccountCode"], "224101");
    assert_eq!(a["registeredBy"], Value::Null);
    assert_eq!(a["allocation"]["creditBefore"], "5292.65");
    assert_eq!(a["allocation"]["creditAfter"], "585.30");
    assert_eq!(a["allocation"]["totals"]["interest"], "962.93");
    assert_eq!(a["allocation"]["totals"]["principal"], "3744.42");
    assert_eq!(
        voucher(&app, &d.checker, &a["voucherId"]).await,
        vec![
            line("224101", "4707.35", "0.00"),
            line("130301", "0.00", "3744.42"),
            line("1132", "0.00", "962.93"),
        ]
    );
    let installments = loan_accounts::installments(&app.db, id).await.unwrap();
    let p2 = &installments[1];
    assert_eq!(
        (p2.paid_interest.to_string(), p2.paid_principal.to_string()),
        ("962.93".into(), "3744.42".into())
    );
    assert_eq!(p2.settled_on, Some(date!(2026 - 05 - 10)));
    assert_eq!(p2.overdue_since, None, "paid from credit, never overdue");
    let b = &loan(&app, &d, id).await["balances"];
    assert_eq!(b["creditBalance"], "585.30");
    assert_eq!(b["principalOverdue"], "0.00");
    // 100 000 − 3 707.35 − 3 744.42.
    assert_eq!(b["principalNormal"], "92548.23");
    assert_reconciled(&app, &d.admin).await;

    // Applying again on that date finds nothing due: the installment is settled.
    assert!(
        !credit_application::apply_credit(&app.db, id, date!(2026 - 05 - 10), app.clock.now())
            .await
            .unwrap()
    );

    // 06-10: the 585.30 left pays part of period 3's interest; the rest goes overdue.
    close_until(&app, date!(2026 - 06 - 11)).await;
    let found = applications(&app, &d, id).await;
    assert_eq!(found.len(), 2);
    let a = &found[1];
    assert_eq!(a["valueDate"], "2026-06-10");
    assert_eq!(a["allocation"]["creditAfter"], "0.00");
    assert_eq!(
        voucher(&app, &d.checker, &a["voucherId"]).await,
        vec![
            line("224101", "585.30", "0.00"),
            line("1132", "0.00", "585.30")
        ]
    );
    let installments = loan_accounts::installments(&app.db, id).await.unwrap();
    let p3 = &installments[2];
    assert_eq!(p3.paid_interest.to_string(), "585.30");
    assert_eq!(p3.unpaid_interest().to_string(), "340.18");
    assert_eq!(p3.paid_principal.to_string(), "0.00");
    assert_eq!(p3.settled_on, None);
    assert_eq!(p3.overdue_since, Some(date!(2026 - 06 - 11)));
    let b = &loan(&app, &d, id).await["balances"];
    assert_eq!(b["creditBalance"], "0.00");
    assert_eq!(b["principalOverdue"], "3781.87");
    assert_reconciled(&app, &d.admin).await;

    // The next day, and the 06-10 run asked for again, apply nothing more.
    close_until(&app, date!(2026 - 06 - 12)).await;
    let again = close::close_day(&context(&app), None, date!(2026 - 06 - 10), &opts())
        .await
        .unwrap();
    assert_eq!(again.status, "done");
    let runs = expect_json(
        app.get("/api/v1/close-runs?pageSize=5", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    let june11 = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["businessDate"] == "2026-06-11")
        .unwrap();
    assert_eq!(june11["steps"][1]["step"], "credit_application");
    assert_eq!(june11["steps"][1]["rowsDone"], 0);
    assert_eq!(applications(&app, &d, id).await.len(), 2);
    assert_reconciled(&app, &d.admin).await;
}

#[tokio::test]
async fn only_the_close_applies_credit() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let l = disbursed(&app, &mut d).await;
    for (field, body) in [
        (
            "kind",
            json!({"loanId": l["loan"]["id"], "kind": "credit_application", "amount": "100.00",
                   "channel": "bank_transfer", "fundAccountCode": "100201",
                   "reference": "X-1", "valueDate": "2026-03-10"}),
        ),
        (
            "channel",
            json!({"loanId": l["loan"]["id"], "amount": "100.00", "channel": "credit_balance",
                   "fundAccountCode": "224101", "reference": "X-2", "valueDate": "2026-03-10"}),
        ),
    ] {
        let p = expect_problem(
            post_keyed(
                &app,
                "/api/v1/repayments",
                &d.cashier,
                &format!("only-close-{field}"),
                &body,
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(
            field_errors(&p).contains(&(field.to_string(), "made_by_the_close".to_string())),
            "{p:#}"
        );
    }
}
