//! One loan carried through 400 consecutive daily closes (issue 7 item 9): after every close the
//! database equals the pure arithmetic carried day by day — each installment (interest accrued
//! for the books, overdue since, penalty and compound interest to 8 places, what was paid,
//! settled), the loan's days past due, floor, class and non-accrual date, and its sub-ledger
//! (principal normal and overdue, interest receivable, credit balance, allowance). The books
//! reconcile every 50 closes and at the end.
//!
//! The loan: 100 000 at 12 % over 24 months, equal installments, from 2026-03-10 (money.rs:
//! PMT 4 707.35; period 1 3 707.35 + 1 000.00 due 04-10, period 2 3 744.42 + 962.93 due 05-10).
//! Penalty rate 12 % × 1.5 = 18 %, 0.0005 a day (basis 360, no grace). Closed from 2026-03-10
//! through 2027-04-13 (400 days; business date 2027-04-14). What happens, worked by hand:
//! - 04-10: period 1 paid on its due date, 4 707.35: never overdue.
//! - 05-10 closes with period 2 unpaid: DPD 1, 关注. Paid on 05-15 with five days of penalty
//!   (3 744.42 × 0.0005 = 1.87221 a day × 5 = 9.36105 → 9.36) and compound interest
//!   (962.93 × 0.0005 = 0.481465 × 5 = 2.407325 → 2.41): 3 744.42 + 962.93 + 9.36 + 2.41 =
//!   4 719.12; DPD 0 and 正常 again after that day's close.
//! - 06-10: period 3 paid on time. Periods 4–7 (due 07-10, 08-10, 09-10, 10-10) go unpaid:
//!   closing 10-08 makes DPD 10-09 − 07-10 = 91, 次级, non-accrual from 10-09 (interest
//!   receivable back to 0.00, the current period stops accruing).
//! - 11-02: everything due is paid (the figure comes from the arithmetic); that day's close
//!   finds DPD 0: 正常, accruing again from 11-03.
//! - 11-10, 12-10, 2027-01-10: paid on time. From 2027-02-10 nothing but 1 000.00 on 03-10,
//!   which the product's order spreads over what is due without settling period 11: at the end DPD
//!   04-14 − 02-10 = 63, 关注.
//!
//! Month ends provide on the class of the day (0 %, 2 % 关注, 25 % 次级 of the principal).

use calc::classification::{ClassificationTable, RiskClass, is_non_accrual};
use calc::overdue::OverdueParams;
use calc::provision::{ProvisionRates, specific};
use kernel::Money;
use kernel::date::days_between;
use loans::domain::classification::{class_code, effective_class};
use loans::domain::servicing::{
    InstallmentState, ServicingTerms, apply_payment, settle_accrued_interest,
};
use loans::service::close::{self, CloseContext, CloseOptions};
use loans::service::loan_accounts;
use reqwest::StatusCode;
use rust_decimal::Decimal;
use sea_orm::{DbBackend, FromQueryResult, Statement};
use time::Date;
use time::macros::date;

use crate::helpers::*;
use crate::money::{assert_reconciled, confirm, desk, disbursed, register_repayment, sign_in};

const DAYS: usize = 400;

/// What the arithmetic says the loan is, moved by the same events as the database.
struct Reference {
    installments: Vec<InstallmentState>,
    days_past_due: i64,
    floor: RiskClass,
    class: RiskClass,
    non_accrual_since: Option<Date>,
    allowance: Money,
}

impl Reference {
    /// The close of `day`, step by step in the close's order (RULES.md §1, §3, §8).
    fn close(&mut self, day: Date, params: &OverdueParams) {
        let next = day.next_day().unwrap();
        if self.non_accrual_since.is_none() {
            for i in self.installments.iter_mut() {
                if i.settled_on.is_none() && i.start_date <= day && day < i.due_date {
                    i.interest_accrued = i.interest_accrued_to(next);
                }
            }
        }
        for i in self.installments.iter_mut() {
            if i.settled_on.is_none() && i.overdue_since.is_none() && i.due_date <= day {
                i.overdue_since = Some(next);
            }
            i.accrue_to(next, params);
        }
        self.days_past_due = self
            .installments
            .iter()
            .filter(|i| i.settled_on.is_none() && i.due_date <= day)
            .map(|i| days_between(i.due_date, next))
            .max()
            .unwrap_or(0);
        self.floor = ClassificationTable::default().floor(self.days_past_due);
        self.class = effective_class(self.floor, None, None);
        if self.non_accrual_since.is_some() && self.days_past_due == 0 {
            self.non_accrual_since = None;
        }
        if self.non_accrual_since.is_none() && is_non_accrual(self.days_past_due) {
            self.non_accrual_since = Some(next);
            for i in self.installments.iter_mut() {
                i.interest_accrued = i.interest_accrued.min(i.paid_interest);
            }
        }
        if next.day() == 1 {
            let outstanding: Money = self
                .installments
                .iter()
                .map(InstallmentState::unpaid_principal)
                .sum();
            self.allowance = specific(outstanding, self.class, &ProvisionRates::default());
        }
    }

    /// Everything due on `on`: principal, interest, penalty and compound interest.
    fn due_on(&self, on: Date, params: &OverdueParams) -> Money {
        let mut all = self.installments.clone();
        for i in all.iter_mut() {
            i.accrue_to(on, params);
        }
        all.iter()
            .filter(|i| i.settled_on.is_none() && i.due_date <= on)
            .map(InstallmentState::total_due)
            .sum()
    }

    fn pay(&mut self, on: Date, amount: Money, terms: &ServicingTerms, params: &OverdueParams) {
        let before = self.installments.clone();
        let mut outcome = apply_payment(
            &mut self.installments,
            on,
            amount,
            Money::ZERO,
            params,
            &terms.allocation_rule().unwrap(),
        )
        .unwrap();
        settle_accrued_interest(&mut outcome, &before, &mut self.installments);
        assert_eq!(outcome.credit_after, Money::ZERO, "nothing is overpaid");
    }

    /// The sub-ledger the installments add up to: principal normal and overdue, interest
    /// accrued and not received.
    fn balances(&self) -> (Money, Money, Money) {
        let (mut normal, mut overdue, mut receivable) = (Money::ZERO, Money::ZERO, Money::ZERO);
        for i in &self.installments {
            if i.overdue_since.is_some() {
                overdue += i.unpaid_principal();
            } else {
                normal += i.unpaid_principal();
            }
            receivable += i.interest_accrued - i.paid_interest;
        }
        (normal, overdue, receivable)
    }
}

#[derive(Debug, FromQueryResult)]
struct LoanQuality {
    days_past_due: i32,
    classification: String,
    classification_floor: String,
    non_accrual_since: Option<Date>,
    allowance: Decimal,
}

async fn quality(app: &TestApp, loan_id: i64) -> LoanQuality {
    LoanQuality::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT l.days_past_due, l.classification, l.classification_floor, l.non_accrual_since, \
         b.allowance FROM loans l JOIN loan_balances b ON b.loan_id = l.id WHERE l.id = $1",
        [loan_id.into()],
    ))
    .one(&app.db)
    .await
    .unwrap()
    .unwrap()
}

async fn servicing_terms(app: &TestApp, loan_id: i64) -> ServicingTerms {
    #[derive(FromQueryResult)]
    struct Terms {
        terms: serde_json::Value,
    }
    let t = Terms::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT terms FROM loans WHERE id = $1",
        [loan_id.into()],
    ))
    .one(&app.db)
    .await
    .unwrap()
    .unwrap();
    serde_json::from_value(t.terms).unwrap()
}

/// The repayments of the script: everything due on the day, or a set amount.
fn payment_on(day: Date) -> Option<Option<&'static str>> {
    match day {
        d if d == date!(2026 - 04 - 10)
            || d == date!(2026 - 05 - 15)
            || d == date!(2026 - 06 - 10)
            || d == date!(2026 - 11 - 02)
            || d == date!(2026 - 11 - 10)
            || d == date!(2026 - 12 - 10)
            || d == date!(2027 - 01 - 10) =>
        {
            Some(None)
        }
        d if d == date!(2027 - 03 - 10) => Some(Some("1000.00")),
        _ => None,
    }
}

/// Compares the database with the reference; `when` says where in the script.
async fn assert_matches(app: &TestApp, loan_id: i64, reference: &Reference, when: &str) {
    let booked = loan_accounts::installments(&app.db, loan_id).await.unwrap();
    assert_eq!(booked, reference.installments, "installments {when}");
    let q = quality(app, loan_id).await;
    assert_eq!(
        (
            i64::from(q.days_past_due),
            q.classification_floor.as_str(),
            q.classification.as_str(),
            q.non_accrual_since,
            q.allowance,
        ),
        (
            reference.days_past_due,
            class_code(reference.floor),
            class_code(reference.class),
            reference.non_accrual_since,
            reference.allowance.amount(),
        ),
        "days past due, floor, class, non-accrual and allowance {when}"
    );
    let b = loan_accounts::balances(&app.db, loan_id).await.unwrap();
    assert_eq!(
        (
            b.principal_normal,
            b.principal_overdue,
            b.interest_receivable,
            b.credit_balance
        ),
        {
            let (normal, overdue, receivable) = reference.balances();
            (normal, overdue, receivable, Money::ZERO)
        },
        "sub-ledger {when}"
    );
}

#[tokio::test]
async fn a_scripted_loan_through_400_closes_equals_the_arithmetic_day_by_day() {
    let app = spawn_app().await;
    let mut d = desk(&app).await;
    let loan = disbursed(&app, &mut d).await;
    let loan_id = loan["loan"]["id"].as_i64().unwrap();
    let start = date!(2026 - 03 - 10);
    let end = start + time::Duration::days(DAYS as i64);
    assert_eq!(end, date!(2027 - 04 - 14));
    // The calendar stands after the last day closed; the clock does not move after that, so
    // the desk's tokens stay valid.
    app.clock.set(
        end.next_day()
            .unwrap()
            .with_hms(9, 0, 0)
            .unwrap()
            .assume_utc(),
    );
    d.admin = sign_in(&app, "admin", ADMIN_NEW_PASSWORD).await;
    d.cashier = sign_in(&app, "cashier", USER_PASSWORD).await;
    d.checker = sign_in(&app, "finance", USER_PASSWORD).await;

    let terms = servicing_terms(&app, loan_id).await;
    let rate = kernel::Rate::annual("0.12".parse().unwrap()).unwrap();
    let params = terms.overdue_params(rate).unwrap();
    let mut reference = Reference {
        installments: loan_accounts::installments(&app.db, loan_id).await.unwrap(),
        days_past_due: 0,
        floor: RiskClass::Normal,
        class: RiskClass::Normal,
        non_accrual_since: None,
        allowance: Money::ZERO,
    };
    let ctx = CloseContext {
        db: app.db.clone(),
        clock: app.clock.clone(),
    };
    let opts = CloseOptions {
        worker: "test".into(),
        partition_size: 100,
        parallel: 1,
    };
    let mut paid = vec![];
    let mut day = start;
    for n in 1..=DAYS {
        if let Some(amount) = payment_on(day) {
            let amount: Money = match amount {
                Some(a) => a.parse().unwrap(),
                None => reference.due_on(day, &params),
            };
            paid.push((day.to_string(), amount.to_string()));
            let r = register_repayment(
                &app,
                &d,
                &loan,
                &amount.to_string(),
                &day.to_string(),
                &format!("long-pay-{day}"),
            )
            .await;
            expect_json(
                confirm(&app, &d, &r, &format!("long-ok-{day}")).await,
                StatusCode::OK,
            )
            .await;
            reference.pay(day, amount, &terms, &params);
            assert_matches(&app, loan_id, &reference, &format!("after paying on {day}")).await;
        }
        let run = close::close_day(&ctx, None, day, &opts).await.unwrap();
        assert_eq!(run.status, "done", "{run:?}");
        reference.close(day, &params);
        assert_matches(&app, loan_id, &reference, &format!("after closing {day}")).await;
        checkpoint(&app, loan_id, day).await;
        if n % 50 == 0 {
            let r = loans::service::reconciliation::run(&app.db).await.unwrap();
            assert!(r.ok, "the books reconcile after closing {day}: {r:#?}");
        }
        day = day.next_day().unwrap();
    }
    assert_eq!(day, end);
    // The payments worked out by hand are the ones the arithmetic asked for.
    assert_eq!(paid[0], ("2026-04-10".into(), "4707.35".into()));
    assert_eq!(paid[1], ("2026-05-15".into(), "4719.12".into()));
    assert_eq!(paid[2], ("2026-06-10".into(), "4707.35".into()));
    assert_eq!(paid[4], ("2026-11-10".into(), "4707.35".into()));
    let today = expect_json(
        app.get("/api/v1/business-date", &d.admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(today["today"], "2027-04-14");
    assert_reconciled(&app, &d.admin).await;
}

/// The turning points of the script, worked by hand (see the top of the file).
async fn checkpoint(app: &TestApp, loan_id: i64, closed: Date) {
    let expected = match closed {
        d if d == date!(2026 - 05 - 10) => (1, "special_mention", None),
        d if d == date!(2026 - 05 - 15) => (0, "normal", None),
        d if d == date!(2026 - 10 - 07) => (90, "special_mention", None),
        d if d == date!(2026 - 10 - 08) => (91, "substandard", Some(date!(2026 - 10 - 09))),
        d if d == date!(2026 - 11 - 01) => (115, "substandard", Some(date!(2026 - 10 - 09))),
        d if d == date!(2026 - 11 - 02) => (0, "normal", None),
        d if d == date!(2027 - 04 - 13) => (63, "special_mention", None),
        _ => return,
    };
    let q = quality(app, loan_id).await;
    assert_eq!(
        (
            i64::from(q.days_past_due),
            q.classification.as_str(),
            q.non_accrual_since
        ),
        expected,
        "after closing {closed}"
    );
}
