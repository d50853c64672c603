//! The integer bulk path of the daily close equals the Decimal reference.

use calc::accrual::daily_accrual;
use calc::bulk::{
    self, AccrualState, LoanState, OverdueLeg, daily_e8, e8_to_decimal, evaluate_day,
    penalty_rate_e12,
};
use calc::classification::ClassificationTable;
use calc::overdue::{self, OverdueParams, Unpaid};
use calc::{DayBasis, Installment};
use kernel::{Money, Rate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::{Date, Duration};

fn day(offset: i64) -> Date {
    Date::from_calendar_date(2026, time::Month::January, 31).expect("date") + Duration::days(offset)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_days_accrual_equals_the_reference(
        interest_fen in 0i64..1_000_000_000,
        days in 1u16..=62,
        elapsed_pick in any::<prop::sample::Index>(),
    ) {
        let elapsed = elapsed_pick.index(days as usize + 1) as u16;
        let installment = Installment {
            period: 1,
            start_date: day(0),
            due_date: day(i64::from(days)),
            principal: Money::ZERO,
            interest: Money::from_fen(interest_fen),
            total: Money::from_fen(interest_fen),
            remaining_principal: Money::ZERO,
        };
        let mut loans = [LoanState {
            accrual: AccrualState { period_interest_fen: interest_fen, period_days: days, days_elapsed: elapsed },
            day_basis: 360,
            ..LoanState::default()
        }];
        let today = day(i64::from(elapsed) + 1);
        let mut results = Vec::new();
        let totals = evaluate_day(&mut loans, &mut [], today, &ClassificationTable::default(), &mut results);
        let reference = daily_accrual(&installment, today);
        prop_assert_eq!(Money::from_fen(results[0].accrual_fen), reference);
        prop_assert_eq!(totals.accrual_fen, results[0].accrual_fen);
    }

    #[test]
    fn penalty_day_by_day_equals_the_reference(
        principal_fen in 0i64..10_000_000_000,
        interest_fen in 0i64..100_000_000,
        rate_e6 in 0i64..360_000,
        multiplier_pct in 100i64..=200,
        basis_365 in any::<bool>(),
        grace_days in 0u16..10,
        days in 1i64..400,
    ) {
        let rate = Rate::annual(Decimal::new(rate_e6, 6)).expect("rate");
        let mut params = OverdueParams::new(rate, Decimal::new(multiplier_pct, 2), u32::from(grace_days)).expect("params");
        params.day_basis = if basis_365 { DayBasis::Days365 } else { DayBasis::Days360 };
        let due = day(0);
        let unpaid = Unpaid {
            period: 1,
            due_date: due,
            principal: Money::from_fen(principal_fen),
            interest: Money::from_fen(interest_fen),
            fees: Money::ZERO,
        };
        let mut loans = [LoanState {
            penalty_rate_e12: penalty_rate_e12(&params).expect("fits"),
            day_basis: params.day_basis.days() as u16,
            grace_days,
            legs_len: 1,
            ..LoanState::default()
        }];
        let mut legs = [OverdueLeg {
            due_day: due.to_julian_day(),
            principal_fen,
            interest_fen,
            penalty_e8: 0,
            compound_e8: 0,
        }];
        let mut results = Vec::new();
        for d in 1..=days {
            evaluate_day(&mut loans, &mut legs, day(d), &ClassificationTable::default(), &mut results);
        }
        let reference = overdue::assess(&[unpaid], day(days), &params);
        let line = &reference.lines[0];
        prop_assert_eq!(e8_to_decimal(legs[0].penalty_e8), line.penalty_accrued);
        prop_assert_eq!(e8_to_decimal(legs[0].compound_e8), line.compound_accrued);
        prop_assert_eq!(Money::round(e8_to_decimal(legs[0].penalty_e8)), line.penalty);
        prop_assert_eq!(i64::from(results[0].days_past_due), reference.days_past_due);
        prop_assert_eq!(results[0].class, reference.risk_class(&ClassificationTable::default()));
    }

    #[test]
    fn one_days_amount_equals_the_decimal_rounding(
        base_fen in 0i64..100_000_000_000,
        rate_e8 in 0i64..100_000_000,
        multiplier_e4 in 10_000i64..=20_000,
        basis_365 in any::<bool>(),
    ) {
        let rate = Rate::annual(Decimal::new(rate_e8, 8)).expect("rate");
        let mut params = OverdueParams::new(rate, Decimal::new(multiplier_e4, 4), 0).expect("params");
        params.day_basis = if basis_365 { DayBasis::Days365 } else { DayBasis::Days360 };
        let fast = daily_e8(base_fen, penalty_rate_e12(&params).expect("fits"), params.day_basis.days() as u16);
        let reference = params.daily_amount(Money::from_fen(base_fen).amount());
        prop_assert_eq!(e8_to_decimal(fast), reference);
    }
}

#[test]
fn money_and_fen_round_trip() {
    assert_eq!(bulk::money_to_fen(Money::from_fen(123_456)), 123_456);
    assert_eq!(bulk::money_to_fen(Money::yuan(5)), 500);
    assert_eq!(bulk::fen_to_money(7), Money::from_fen(7));
}
