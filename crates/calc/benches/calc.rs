//! Throughput of the arithmetic. Run in release, not in CI:
//! `CARGO_TARGET_DIR=/work/target-calc cargo bench -p calc`; figures go to docs/BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use calc::accrual::daily_accrual;
use calc::bulk::{AccrualState, LoanState, OverdueLeg, evaluate_day};
use calc::classification::ClassificationTable;
use calc::overdue::{Accrued, OverdueParams, accrue_day};
use calc::{Installment, LoanTerms, Method, generate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kernel::{Money, Rate};
use rust_decimal::Decimal;
use time::macros::date;

fn terms(method: Method) -> LoanTerms {
    LoanTerms::new(
        method,
        Money::from_fen(12_345_678),
        Rate::annual(Decimal::new(2399, 4)).expect("rate"),
        36,
        date!(2026 - 01 - 31),
    )
}

fn schedules(c: &mut Criterion) {
    let mut group = c.benchmark_group("schedule_36_periods");
    group.throughput(Throughput::Elements(1));
    for (name, method) in [
        ("annuity", Method::EqualInstallment),
        ("flat", Method::Flat),
    ] {
        let t = terms(method);
        group.bench_function(name, |b| {
            b.iter(|| generate(black_box(&t)).expect("schedule"))
        });
    }
    group.finish();
}

const LOANS: usize = 1_000_000;

/// A million loans; one in ten has one to three overdue installments.
fn portfolio() -> (Vec<LoanState>, Vec<OverdueLeg>) {
    let as_of = date!(2026 - 06 - 15).to_julian_day();
    let mut loans = Vec::with_capacity(LOANS);
    let mut legs = Vec::new();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..LOANS {
        let r = next();
        let overdue = if r % 10 == 0 { (r >> 8) % 3 + 1 } else { 0 };
        let start = legs.len() as u32;
        for k in 0..overdue {
            legs.push(OverdueLeg {
                due_day: as_of - 30 * (k as i32 + 1) - (r >> 16) as i32 % 30,
                principal_fen: 200_000 + (r >> 20) as i64 % 1_000_000,
                interest_fen: 50_000 + (r >> 24) as i64 % 100_000,
                penalty_e8: 0,
                compound_e8: 0,
            });
        }
        loans.push(LoanState {
            accrual: AccrualState {
                period_interest_fen: 10_000 + (r >> 32) as i64 % 500_000,
                period_days: 28 + (r >> 40) as u16 % 4,
                days_elapsed: (r >> 44) as u16 % 28,
            },
            penalty_rate_e12: 180_000_000_000,
            day_basis: 360,
            grace_days: 3,
            legs_start: start,
            legs_len: overdue as u16,
        });
    }
    (loans, legs)
}

fn daily_close(c: &mut Criterion) {
    let (mut loans, mut legs) = portfolio();
    let mut results = Vec::with_capacity(LOANS);
    let table = ClassificationTable::default();
    let mut group = c.benchmark_group("daily_close");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(LOANS as u64));
    group.bench_function("accrual_and_overdue_1m_loans", |b| {
        b.iter(|| {
            let totals = evaluate_day(
                &mut loans,
                &mut legs,
                date!(2026 - 06 - 15),
                &table,
                &mut results,
            );
            black_box(totals)
        })
    });
    group.finish();
}

/// The same day evaluated with the Decimal reference on a tenth of the loans, to show why the
/// bulk path exists.
fn daily_close_reference(c: &mut Criterion) {
    const REFERENCE_LOANS: usize = LOANS / 10;
    let (loans, legs) = portfolio();
    let as_of = date!(2026 - 06 - 15);
    let installments: Vec<Installment> = loans[..REFERENCE_LOANS]
        .iter()
        .map(|l| {
            let start = as_of - time::Duration::days(i64::from(l.accrual.days_elapsed) + 1);
            Installment {
                period: 1,
                start_date: start,
                due_date: start + time::Duration::days(i64::from(l.accrual.period_days)),
                principal: Money::ZERO,
                interest: Money::from_fen(l.accrual.period_interest_fen),
                total: Money::from_fen(l.accrual.period_interest_fen),
                remaining_principal: Money::ZERO,
            }
        })
        .collect();
    let params = OverdueParams::new(
        Rate::annual(Decimal::new(12, 2)).expect("rate"),
        Decimal::new(15, 1),
        3,
    )
    .expect("params");
    let mut group = c.benchmark_group("daily_close");
    group.sample_size(10);
    group.throughput(Throughput::Elements(REFERENCE_LOANS as u64));
    group.bench_function("decimal_reference_100k_loans", |b| {
        b.iter(|| {
            let mut total = Money::ZERO;
            for (loan, installment) in loans.iter().zip(&installments) {
                total += daily_accrual(installment, as_of);
                let start = loan.legs_start as usize;
                for leg in &legs[start..start + loan.legs_len as usize] {
                    let mut acc = Accrued::default();
                    accrue_day(
                        &mut acc,
                        Money::from_fen(leg.principal_fen),
                        Money::from_fen(leg.interest_fen),
                        &params,
                    );
                    black_box(acc);
                }
            }
            black_box(total)
        })
    });
    group.finish();
}

criterion_group!(benches, schedules, daily_close, daily_close_reference);
criterion_main!(benches);
