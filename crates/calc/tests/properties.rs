//! Invariants that hold for every loan the rules accept.

use calc::accrual::{accrual_between, daily_accrual};
use calc::allocation::{AllocationRule, Owed, allocate};
use calc::overdue::OverdueParams;
use calc::payoff::{PayoffBasis, PayoffOptions, quote};
use calc::prepayment::{Reamortisation, partial};
use calc::prepayment_fee::PrepaymentFee;
use calc::{BulletInterest, DayBasis, LoanTerms, Method, Schedule, generate};
use kernel::{Money, Rate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::{Date, Duration};

const METHODS: [Method; 6] = [
    Method::EqualInstallment,
    Method::EqualPrincipal,
    Method::InterestOnly,
    Method::Flat,
    Method::Bullet,
    Method::Balloon,
];

prop_compose! {
    fn loan_terms()(
        method in 0usize..6,
        fen in 1i64..10_000_000_000,
        rate_bp in 0i64..3600,
        rate_extra in 0i64..100,
        term in 1u32..=360,
        day_offset in 0i64..3650,
        repayment_day in proptest::option::of(1u32..=28),
        basis_365 in any::<bool>(),
        ratio_pct in 1i64..99,
        by_days in any::<bool>(),
        min_days in 0u32..=28,
    ) -> LoanTerms {
        let method = METHODS[method];
        let start = Date::from_calendar_date(2020, time::Month::January, 1).expect("date")
            + Duration::days(day_offset);
        // Rates like 0.123456: basis points plus two more places.
        let rate = Decimal::new(rate_bp * 100 + rate_extra, 6);
        LoanTerms {
            method,
            principal: Money::from_fen(fen),
            annual_rate: Rate::annual(rate).expect("rate"),
            term_months: term,
            start_date: start,
            repayment_day: repayment_day.filter(|_| method != Method::Bullet),
            day_basis: if basis_365 { DayBasis::Days365 } else { DayBasis::Days360 },
            balloon_ratio: (method == Method::Balloon).then(|| Decimal::new(ratio_pct, 2)),
            bullet_interest: if by_days { BulletInterest::Days } else { BulletInterest::Months },
            min_first_period_days: min_days,
        }
    }
}

/// The schedule, or `None` when the rules refuse the principal as too small.
fn accepted(terms: &LoanTerms) -> Option<Schedule> {
    match generate(terms) {
        Ok(s) => Some(s),
        Err(e) => {
            assert_eq!(e.field_errors[0].code, "principal_too_small", "{e:?}");
            None
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn principal_sums_and_balances_only_fall(terms in loan_terms()) {
        let Some(s) = accepted(&terms) else { return Ok(()); };
        let n = if terms.method == Method::Bullet { 1 } else { terms.term_months as usize };
        prop_assert_eq!(s.installments.len(), n);
        prop_assert_eq!(s.total_principal(), terms.principal);
        let mut previous = terms.principal;
        for i in &s.installments {
            prop_assert!(!i.remaining_principal.is_negative());
            prop_assert!(i.remaining_principal <= previous);
            prop_assert!(!i.interest.is_negative());
            prop_assert_eq!(i.total, i.principal + i.interest);
            prop_assert!(i.start_date < i.due_date);
            previous = i.remaining_principal;
        }
        prop_assert_eq!(s.installments[n - 1].remaining_principal, Money::ZERO);
    }

    #[test]
    fn a_period_accrues_exactly_its_interest(terms in loan_terms(), pick in any::<prop::sample::Index>()) {
        let Some(s) = accepted(&terms) else { return Ok(()); };
        let i = &s.installments[pick.index(s.installments.len())];
        let mut sum = Money::ZERO;
        let mut day = i.start_date - Duration::days(2);
        while day <= i.due_date + Duration::days(2) {
            let booked = daily_accrual(i, day);
            prop_assert!(!booked.is_negative());
            sum += booked;
            day += Duration::days(1);
        }
        prop_assert_eq!(sum, i.interest);
    }

    #[test]
    fn accrual_over_the_whole_loan_is_its_interest(terms in loan_terms(), split in 0i64..12_000) {
        let Some(s) = accepted(&terms) else { return Ok(()); };
        let (start, end) = (terms.start_date, s.maturity_date().expect("installments"));
        // Two ranges that meet at any date add up to the range over both.
        let middle = (start + Duration::days(split)).min(end);
        let sum = |from, to| -> Money { accrual_between(&s, from, to).iter().map(|l| l.amount).sum() };
        prop_assert_eq!(sum(start, middle) + sum(middle, end), s.total_interest());
        prop_assert_eq!(sum(start - Duration::days(5), end + Duration::days(5)), s.total_interest());
    }

    #[test]
    fn payoff_on_a_paid_due_date_is_the_remaining_principal(
        terms in loan_terms(),
        pick in any::<prop::sample::Index>(),
    ) {
        let Some(s) = accepted(&terms) else { return Ok(()); };
        let k = pick.index(s.installments.len()) + 1;
        let date = s.installments[k - 1].due_date;
        let options = PayoffOptions {
            fee: PrepaymentFee::default(),
            basis: PayoffBasis::Remaining,
            overdue: OverdueParams::new(terms.annual_rate, Decimal::new(15, 1), 0).expect("params"),
        };
        let q = quote(&terms, &s, k as u32, date, &options).expect("quote");
        prop_assert_eq!(q.payoff_amount, s.installments[k - 1].remaining_principal);
        prop_assert_eq!(q.accrued_days, 0);
    }

    #[test]
    fn allocation_conserves_money(
        owed in proptest::collection::vec(proptest::array::uniform5(0i64..1_000_000), 0..8),
        payment in 0i64..10_000_000,
        by_installment in any::<bool>(),
    ) {
        let owed: Vec<Owed> = owed
            .iter()
            .enumerate()
            .map(|(k, a)| Owed {
                period: k as u32 + 1,
                fees: Money::from_fen(a[0]),
                penalty: Money::from_fen(a[1]),
                compound: Money::from_fen(a[2]),
                interest: Money::from_fen(a[3]),
                principal: Money::from_fen(a[4]),
            })
            .collect();
        let rule = AllocationRule { installment_by_installment: by_installment, ..AllocationRule::default() };
        let a = allocate(Money::from_fen(payment), &owed, &rule).expect("allocates");
        let applied: Money = a.lines.iter().map(|l| l.amount).sum();
        prop_assert_eq!(applied + a.credit_balance, Money::from_fen(payment));
        let total_owed: Money = owed.iter().map(Owed::total).sum();
        prop_assert_eq!(applied, total_owed.min(Money::from_fen(payment)));
        for (o, got) in owed.iter().zip(&a.applied) {
            prop_assert!(got.total() <= o.total());
        }
    }

    #[test]
    fn a_partial_prepayment_reamortises_the_new_balance(
        terms in loan_terms(),
        pick in any::<prop::sample::Index>(),
        share in 1i64..100,
        keep_term in any::<bool>(),
    ) {
        let Some(s) = accepted(&terms) else { return Ok(()); };
        if s.installments.len() < 2 || matches!(terms.method, Method::Flat | Method::Bullet) {
            return Ok(());
        }
        let k = pick.index(s.installments.len() - 1) + 1;
        let balance = s.installments[k - 1].remaining_principal;
        let amount = balance.times(Decimal::new(share, 2));
        if !amount.is_positive() || amount >= balance {
            return Ok(());
        }
        let mode = if keep_term { Reamortisation::KeepTerm } else { Reamortisation::KeepInstallment };
        let Ok(p) = partial(&terms, &s, k as u32, amount, mode, &PrepaymentFee::default()) else {
            return Ok(());
        };
        let principal: Money = p.installments.iter().map(|i| i.principal).sum();
        prop_assert_eq!(principal, balance - amount);
        prop_assert!(p.installments.len() <= s.installments.len() - k);
        prop_assert_eq!(p.installments.last().map(|i| i.remaining_principal), Some(Money::ZERO));
    }
}
