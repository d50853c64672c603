//! The close's penalty SQL rounds each day's amount as `OverdueParams::daily_amount` does:
//! unpaid × rate × multiplier first, divided by the day basis last, then half-up to 8 places.
//! Dividing the rate by the basis first (as the SQL once did) loses the exact half on some
//! amounts, and the 8th decimal comes out one lower.
//!
//! The loan: 100 000 at 12.5 % over 24 months, equal installments, from 2026-03-10, never
//! paid. Penalty rate 0.125 × 1.5 = 0.1875 a year, basis 360, no grace. Worked by hand:
//! r = 0.125 / 12, PMT = round(100000·r / (1 − (1+r)^−24)) = 4 730.73; period 3 (due
//! 2026-06-10) carries interest 964.41, period 5 (due 2026-08-10) principal 3 845.19.
//!
//! Compound interest on period 3, a day: 964.41 × 0.1875 = 180.826875; ÷ 360 = 0.502296875
//! exactly, a half at the 9th place: half-up gives 0.50229688. Divided first, 0.1875 / 360 =
//! 0.000520833… is cut by PostgreSQL at 20 places (0.00052083333333333333), and
//! 964.41 × that = 0.50229687499999999999… rounds to 0.50229687.
//! Penalty on period 5, a day: 3 845.19 × 0.1875 = 720.973125; ÷ 360 = 2.002703125 → 2.00270313;
//! divided first 2.00270312499… → 2.00270312.
//!
//! The business date is moved by hand to 2026-08-10 (months without a close), then closed
//! through 2026-08-13 (business date 08-14): the first close catches up the days since each due
//! date. Period 3 has 65 days (06-10 → 08-14): 65 × 0.50229688 = 32.64929720, where the old
//! SQL gives 65 × 0.50229687 = 32.64929655; period 5 has 4 days: 4 × 2.00270313 = 8.01081252,
//! the old SQL 8.01081248.

use loans::domain::servicing::InstallmentState;
use loans::service::close::{self, CloseContext, CloseOptions};
use loans::service::loan_accounts;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use time::macros::date;

use crate::helpers::*;
use crate::money::{business_day, desk_at, disbursed};

#[tokio::test]
async fn a_daily_penalty_ending_on_a_half_at_the_ninth_place_rounds_up_as_the_arithmetic_does() {
    let app = spawn_app().await;
    let mut d = desk_at(&app, "0.125").await;
    let loan = disbursed(&app, &mut d).await;
    let loan_id = loan["loan"]["id"].as_i64().unwrap();
    let schedule = loan_accounts::installments(&app.db, loan_id).await.unwrap();
    assert_eq!(schedule[2].interest.to_string(), "964.41");
    assert_eq!(schedule[4].principal.to_string(), "3845.19");

    business_day(&app, &mut d, "2026-08-10").await;
    app.clock.set(
        date!(2026 - 08 - 15)
            .with_hms(9, 0, 0)
            .unwrap()
            .assume_utc(),
    );
    let ctx = CloseContext {
        db: app.db.clone(),
        clock: app.clock.clone(),
    };
    let opts = CloseOptions {
        worker: "test".into(),
        partition_size: 1000,
        parallel: 1,
    };
    let runs = close::close_until(&ctx, None, date!(2026 - 08 - 14), &opts)
        .await
        .unwrap();
    assert_eq!(runs.len(), 4);
    assert!(runs.iter().all(|r| r.status == "done"), "{runs:?}");

    let booked = loan_accounts::installments(&app.db, loan_id).await.unwrap();
    assert_eq!(booked[2].compound_accrued.to_string(), "32.64929720");
    assert_eq!(booked[4].penalty_accrued.to_string(), "8.01081252");

    // Every installment agrees with the arithmetic (nothing was paid, so one step to the
    // business date is the same as one a day).
    let rate = kernel::Rate::annual("0.125".parse().unwrap()).unwrap();
    let params = calc::overdue::OverdueParams::new(rate, "1.5".parse().unwrap(), 0).unwrap();
    let reference: Vec<InstallmentState> = schedule
        .into_iter()
        .map(|mut i| {
            i.accrue_to(date!(2026 - 08 - 14), &params);
            i
        })
        .collect();
    for (b, r) in booked.iter().zip(&reference) {
        assert_eq!(
            (b.penalty_accrued, b.compound_accrued),
            (r.penalty_accrued, r.compound_accrued),
            "period {}",
            b.period
        );
    }

    // The figures above are the ones where the two orders differ, on this PostgreSQL: the old
    // expression, on this loan's own columns, gives the lower 8th decimal.
    let row = app
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH r AS (SELECT l.annual_rate * (l.terms->>'penaltyMultiplier')::numeric AS rate, \
               (l.terms->>'dayBasis')::numeric AS basis FROM loans l WHERE l.id = $1) \
             SELECT round(964.41 * (r.rate / r.basis), 8)::text AS compound_divided_first, \
               round(964.41 * r.rate / r.basis, 8)::text AS compound, \
               round(3845.19 * (r.rate / r.basis), 8)::text AS penalty_divided_first, \
               round(3845.19 * r.rate / r.basis, 8)::text AS penalty FROM r",
            [loan_id.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    let text = |c: &str| row.try_get::<String>("", c).unwrap();
    assert_eq!(
        [
            text("compound_divided_first"),
            text("compound"),
            text("penalty_divided_first"),
            text("penalty")
        ],
        ["0.50229687", "0.50229688", "2.00270312", "2.00270313"]
    );
}
