//! `chedai gen portfolio --loans N [--seed S]`: a realistic loan book for the daily-close
//! benchmark (scripts/bench/close.sh, docs/BENCHMARKS.md "## daily close"), written with
//! PostgreSQL `COPY … FROM STDIN` through the sqlx pool under sea-orm (no new driver).
//!
//! What it writes, as of the business date T (`business_date.today`, read once at the start):
//! - four products made through the products service: 等额本息 (two of them, day basis 360 and
//!   365), 等额本金 (3 grace days) and 先息后本 (multiplier 1.3), rates 10–18 %;
//! - per loan: an approved application, a signed contract, a customer (nine customers per ten
//!   loans: every tenth loan is its customer's second), a vehicle with an appraisal and a
//!   registered mortgage (released for settled loans), the loan, its installments drawn by the
//!   loan arithmetic (`calc::generate`), and its sub-ledger row;
//! - terms of 12/24/36 months, amounts 30k–500k (most under 200k), value dates over the three
//!   years before T;
//! - a mix of standings: 85 % current (every installment due before T paid on its due date,
//!   nine in ten of those due on T paid on T), 7 % 1–90 days past due, 2 % 91–360, 1 % more
//!   than 360, 5 % settled at maturity. An overdue installment is in the state the daily close
//!   leaves it in after closing T − 1: its unpaid principal moved to 本金-逾期 the day after its
//!   due date (`overdue_since`), penalty and compound interest accrued through T − 1
//!   (`accrued_through` = T) with the arithmetic of `InstallmentState::accrue_to`, grace
//!   included;
//! - `loan_balances`: principal_normal + principal_overdue = the unpaid principal of each active
//!   loan, split as the close would split it; interest receivable and credit balance 0; settled
//!   loans all 0;
//! - `loan_balance_history`: each active loan's current row (valid from T − 1) with those
//!   figures and the class the loan carries, as a book kept here would have one; without it the
//!   first close after a load wrote a million first rows, which no later night does;
//! - one opening voucher per product dated T: Dr 130301 / 130302 per loan with its balance
//!   (`loan_id` on each line), Cr 100201 with the product's total. The general ledger then
//!   agrees with the sub-ledger loan by loan, so `chedai reconcile` passes. No other voucher is
//!   written: no disbursement or repayment records or vouchers (repayments of the paid
//!   installments are not recorded), and the bank account 100201 stands negative.
//!
//! The contract's terms snapshot is left empty (`{}`): the contract page does not show these
//! loans' contracts. Customers' ID numbers and mobiles are encrypted and hashed like the
//! customers service does; their ID numbers are derived from their row ids (and regions
//! `gen customers` does not use), so they never collide with other generated people.
//!
//! Deterministic: the same seed on the same business date and the same starting row ids (a fresh
//! database) gives the same portfolio; only the ciphertexts differ (a fresh nonce each).
//! Every table is written in chunks of `--chunk` loans, one transaction per chunk, by
//! `--writers` connections at once, each building its next chunk on a blocking thread while it
//! copies the current one. As a superuser it skips the foreign-key checks inside those
//! transactions (`SET LOCAL session_replication_role = replica`: the rows reference each other by
//! construction, referenced tables first, and the tables copied have no other triggers), which
//! halves the installments' COPY time; otherwise every row is checked. Run it on a database
//! nobody else writes to: the row ids are reserved up front from the sequences, and the loaded
//! tables are `VACUUM ANALYZE`d at the end.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use calc::Method;
use clap::Args;
use kernel::{Money, Rate};
use loans::domain::servicing::{DEFAULT_VAT_RATE, ServicingTerms};
use loans::domain::terms::AllocationOrder;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};
use time::{Date, Month};

use crate::config::Config;
use crate::database;
use crate::r#gen::{self as people, Rng};

#[derive(Args)]
pub struct PortfolioArgs {
    /// How many loans to write (the settled ones included).
    #[arg(long, default_value_t = 10_000)]
    loans: u64,
    /// The seed: the same seed gives the same portfolio.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Loans per chunk (one transaction, one COPY per table); rounded up to a multiple of 10.
    #[arg(long, default_value_t = 10_000)]
    chunk: u64,
    /// Connections copying chunks at once.
    #[arg(long, default_value_t = 2)]
    writers: u64,
}

/// A product of the generated book.
struct ProductSpec {
    code: &'static str,
    name: &'static str,
    method: Method,
    /// The annual rates its loans get, in basis points, in steps of 25.
    rate_bp: (u32, u32),
    day_basis: i64,
    multiplier: Decimal,
    grace_days: u32,
    /// Loans are 50 % of the appraised value up to this, in percent.
    max_ltv_pct: u64,
    /// Share of the loans, percent.
    share: u64,
}

const PRODUCTS: [ProductSpec; 4] = [
    ProductSpec {
        code: "GEN-EI",
        name: "车抵贷·等额本息",
        method: Method::EqualInstallment,
        rate_bp: (1000, 1800),
        day_basis: 360,
        multiplier: Decimal::from_parts(15, 0, 0, false, 1),
        grace_days: 0,
        max_ltv_pct: 80,
        share: 45,
    },
    ProductSpec {
        code: "GEN-EP",
        name: "车抵贷·等额本金",
        method: Method::EqualPrincipal,
        rate_bp: (1000, 1600),
        day_basis: 360,
        multiplier: Decimal::from_parts(15, 0, 0, false, 1),
        grace_days: 3,
        max_ltv_pct: 80,
        share: 20,
    },
    ProductSpec {
        code: "GEN-IO",
        name: "车抵贷·先息后本",
        method: Method::InterestOnly,
        rate_bp: (1200, 1800),
        day_basis: 360,
        multiplier: Decimal::from_parts(13, 0, 0, false, 1),
        grace_days: 0,
        max_ltv_pct: 70,
        share: 15,
    },
    ProductSpec {
        code: "GEN-EI365",
        name: "车抵贷·等额本息（罚息按365天）",
        method: Method::EqualInstallment,
        rate_bp: (1000, 1800),
        day_basis: 365,
        multiplier: Decimal::from_parts(15, 0, 0, false, 1),
        grace_days: 0,
        max_ltv_pct: 80,
        share: 20,
    },
];

/// Terms in months and their share, percent.
const TERMS: [(u32, u64); 3] = [(12, 20), (24, 35), (36, 45)];

/// Where a loan stands on the business date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Everything due before the business date paid.
    Current,
    /// Its oldest unpaid installment is this many days past due (both ends included).
    Overdue { min_days: i64, max_days: i64 },
    /// Repaid at maturity.
    Settled,
}

/// The mix, per mille.
const STANDINGS: [(u64, Standing); 5] = [
    (850, Standing::Current),
    (
        70,
        Standing::Overdue {
            min_days: 1,
            max_days: 90,
        },
    ),
    (
        20,
        Standing::Overdue {
            min_days: 91,
            max_days: 360,
        },
    ),
    (
        10,
        Standing::Overdue {
            min_days: 361,
            max_days: 720,
        },
    ),
    (50, Standing::Settled),
];

/// Of the installments falling due on the business date, how many in ten current loans paid.
const PAID_ON_THE_DAY_IN_TEN: u64 = 9;

/// Regions `gen customers` does not use, so the two generators never make the same ID number.
const REGIONS: [(&str, &str, &str); 30] = [
    ("110102", "北京市西城区", "京"),
    ("110106", "北京市丰台区", "京"),
    ("120103", "天津市河西区", "津"),
    ("130104", "河北省石家庄市桥西区", "冀"),
    ("140105", "山西省太原市小店区", "晋"),
    ("150102", "内蒙古自治区呼和浩特市新城区", "蒙"),
    ("210202", "辽宁省大连市中山区", "辽"),
    ("220104", "吉林省长春市朝阳区", "吉"),
    ("230102", "黑龙江省哈尔滨市道里区", "黑"),
    ("310104", "上海市徐汇区", "沪"),
    ("310110", "上海市杨浦区", "沪"),
    ("320106", "江苏省南京市鼓楼区", "苏"),
    ("320583", "江苏省昆山市", "苏"),
    ("330102", "浙江省杭州市上城区", "浙"),
    ("330203", "浙江省宁波市海曙区", "浙"),
    ("340102", "安徽省合肥市瑶海区", "皖"),
    ("350102", "福建省福州市鼓楼区", "闽"),
    ("360103", "江西省南昌市西湖区", "赣"),
    ("370102", "山东省济南市历下区", "鲁"),
    ("410102", "河南省郑州市中原区", "豫"),
    ("420102", "湖北省武汉市江岸区", "鄂"),
    ("430102", "湖南省长沙市芙蓉区", "湘"),
    ("440104", "广东省广州市越秀区", "粤"),
    ("440304", "广东省深圳市福田区", "粤"),
    ("441900", "广东省东莞市", "粤"),
    ("450102", "广西壮族自治区南宁市兴宁区", "桂"),
    ("460105", "海南省海口市秀英区", "琼"),
    ("500105", "重庆市江北区", "渝"),
    ("510104", "四川省成都市锦江区", "川"),
    ("610104", "陕西省西安市莲湖区", "陕"),
];
/// Days from 1960-01-01 to 2005-12-31: the birth dates of the ID numbers.
const BIRTH_DAYS: u64 = 16_801;
/// ID numbers are a bijection of the customer id onto region × birth date × sequence.
const ID_SPACE: u64 = REGIONS.len() as u64 * BIRTH_DAYS * 1000;
/// Coprime with [`ID_SPACE`] (a prime that does not divide it).
const ID_SCRAMBLE: u64 = 1_000_003;

/// World manufacturer identifiers and the makes and models behind them.
const MAKES: [(&str, &str, [&str; 3]); 10] = [
    ("LFV", "大众", ["迈腾", "速腾", "宝来"]),
    ("LSV", "大众", ["帕萨特", "朗逸", "途观L"]),
    ("LGX", "比亚迪", ["汉", "秦PLUS", "宋PLUS"]),
    ("LVS", "福特", ["福克斯", "蒙迪欧", "锐际"]),
    ("LBV", "宝马", ["3系", "5系", "X3"]),
    ("LHG", "本田", ["雅阁", "思域", "CR-V"]),
    ("LVG", "丰田", ["凯美瑞", "汉兰达", "雷凌"]),
    ("LFM", "丰田", ["卡罗拉", "亚洲龙", "RAV4"]),
    ("LGB", "日产", ["轩逸", "天籁", "奇骏"]),
    ("LSG", "别克", ["君威", "英朗", "GL8"]),
];
/// The characters a VIN may hold.
const VIN_CHARS: &[u8; 33] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
const COLOURS: [&str; 6] = ["黑色", "白色", "银色", "灰色", "蓝色", "红色"];
const PURPOSES: [&str; 5] = ["个人消费", "经营周转", "房屋装修", "子女教育", "购置设备"];

/// One loan as drawn from the seed, before it is written.
pub(crate) struct PlannedLoan {
    pub product: usize,
    pub standing: Standing,
    pub principal: Money,
    pub rate_bp: u32,
    pub term: u32,
    pub value_date: Date,
    pub installments: Vec<InstallmentRow>,
    /// The loan as a share of the car's appraised value, percent.
    pub ltv_pct: u64,
}

/// An installment as it stands on the business date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InstallmentRow {
    pub period: u32,
    pub start_date: Date,
    pub due_date: Date,
    pub principal: Money,
    pub interest: Money,
    pub paid: bool,
    pub overdue_since: Option<Date>,
    pub penalty_accrued: Decimal,
    pub compound_accrued: Decimal,
    pub accrued_through: Option<Date>,
}

impl PlannedLoan {
    pub fn unpaid_principal(&self) -> Money {
        self.installments
            .iter()
            .filter(|i| !i.paid)
            .fold(Money::ZERO, |a, i| a + i.principal)
    }

    pub fn overdue_principal(&self) -> Money {
        self.installments
            .iter()
            .filter(|i| !i.paid && i.overdue_since.is_some())
            .fold(Money::ZERO, |a, i| a + i.principal)
    }

    pub fn maturity(&self) -> Date {
        self.installments.last().expect("a schedule").due_date
    }

    pub fn settled(&self) -> bool {
        self.standing == Standing::Settled
    }
}

/// The same month-day `months` months before `date` (the last day of a shorter month).
fn months_before(date: Date, months: u32) -> Date {
    let total = date.year() as i64 * 12 + (date.month() as i64 - 1) - months as i64;
    let year = total.div_euclid(12) as i32;
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).expect("month in 1..=12");
    let day = date.day().min(kernel::date::days_in_month(year, month));
    Date::from_calendar_date(year, month, day).expect("day clamped to the month")
}

fn pick_share<T: Copy>(rng: &mut Rng, items: &[(u64, T)]) -> T {
    let total: u64 = items.iter().map(|(s, _)| s).sum();
    let mut roll = rng.below(total);
    for (share, item) in items {
        if roll < *share {
            return *item;
        }
        roll -= share;
    }
    items[items.len() - 1].1
}

/// The random stream of loan `k` (or of customer `k`, with another salt) under `seed`.
fn stream(seed: u64, salt: u64, k: u64) -> Rng {
    let mut mix = Rng(seed ^ salt.wrapping_mul(0xA076_1D64_78BD_642F));
    let base = mix.next();
    Rng(base ^ k.wrapping_mul(0xE703_7ED1_A0B4_28DB))
}

/// Draws loan `k` of the book as it stands on `today`.
pub(crate) fn plan_loan(seed: u64, k: u64, today: Date) -> anyhow::Result<PlannedLoan> {
    let mut rng = stream(seed, 1, k);
    let shares: Vec<(u64, usize)> = PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, p)| (p.share, i))
        .collect();
    let product = pick_share(&mut rng, &shares);
    let spec = &PRODUCTS[product];
    let mut term = pick_share(
        &mut rng,
        &TERMS.iter().map(|(t, s)| (*s, *t)).collect::<Vec<_>>(),
    );
    let steps = (spec.rate_bp.1 - spec.rate_bp.0) / 25;
    let rate_bp = spec.rate_bp.0 + 25 * rng.below(u64::from(steps) + 1) as u32;
    // 30k–500k in thousands, squared towards the small end: median about 150k.
    let x = rng.below(1001);
    let principal = Money::yuan((30 + 470 * x * x / 1_000_000) as i64 * 1000);
    let standing = pick_share(&mut rng, &STANDINGS);
    let day = time::Duration::DAY;
    let (value_date, first_unpaid) = match standing {
        Standing::Current => {
            let earliest = months_before(today, term) + day;
            let span = (today - earliest).whole_days().max(1) as u64;
            (
                earliest + time::Duration::days(rng.below(span) as i64),
                None,
            )
        }
        Standing::Settled => {
            if term == 36 {
                term = if rng.below(2) == 0 { 12 } else { 24 };
            }
            let earliest = months_before(today, 36);
            let latest = months_before(today, term) - day;
            let span = (latest - earliest).whole_days().max(0) as u64 + 1;
            (
                earliest + time::Duration::days(rng.below(span) as i64),
                None,
            )
        }
        Standing::Overdue { min_days, max_days } => {
            // A month shorter than the value date's day can pull the due date up to 3 days
            // earlier, so aim 3 days inside the range.
            let days = min_days + rng.below((max_days - 3 - min_days + 1) as u64) as i64;
            let months_left = (36 - (days + 27) / 28).max(1) as u32;
            let paid = rng.below(u64::from(term.min(months_left))) as u32;
            let first_unpaid_due = today - time::Duration::days(days);
            (months_before(first_unpaid_due, paid + 1), Some(paid + 1))
        }
    };
    let mut standing = standing;
    let ltv_pct = 50 + rng.below(spec.max_ltv_pct - 50 + 1);
    let paid_today = rng.below(10) < PAID_ON_THE_DAY_IN_TEN;
    let rate = Rate::annual(Decimal::new(i64::from(rate_bp), 4))?;
    let terms = calc::LoanTerms::new(spec.method, principal, rate, term, value_date);
    let schedule = calc::generate(&terms).map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let mut params = calc::overdue::OverdueParams::new(rate, spec.multiplier, spec.grace_days)?;
    params.day_basis = calc::DayBasis::from_days(spec.day_basis).context("day basis")?;
    let mut start = value_date;
    let mut installments = Vec::with_capacity(schedule.installments.len());
    for i in &schedule.installments {
        let paid = match (standing, first_unpaid) {
            (Standing::Settled, _) => true,
            (_, Some(first)) => i.period < first,
            _ => i.due_date < today || (i.due_date == today && paid_today),
        };
        let mut row = InstallmentRow {
            period: i.period,
            start_date: start,
            due_date: i.due_date,
            principal: i.principal,
            interest: i.interest,
            paid,
            overdue_since: None,
            penalty_accrued: Decimal::ZERO,
            compound_accrued: Decimal::ZERO,
            accrued_through: None,
        };
        if !paid && i.due_date < today {
            // As the close of T − 1 leaves it: moved the day after its due date, penalty from
            // the due date through T − 1 once past the grace days.
            row.overdue_since = Some(i.due_date + day);
            let days = (today - i.due_date).whole_days();
            if days > i64::from(spec.grace_days) {
                let days = Decimal::from(days);
                row.penalty_accrued = params.daily_amount(i.principal.amount()) * days;
                row.compound_accrued = params.daily_amount(i.interest.amount()) * days;
                row.accrued_through = Some(today);
            }
        }
        start = i.due_date;
        installments.push(row);
    }
    // The last installment fell due today and was paid: the loan is settled.
    if standing == Standing::Current && installments.iter().all(|i| i.paid) {
        standing = Standing::Settled;
    }
    Ok(PlannedLoan {
        product,
        standing,
        principal,
        rate_bp,
        term,
        value_date,
        installments,
        ltv_pct,
    })
}

/// The customer (index) of loan `k`: every tenth loan is the second of the loan before it.
fn customer_of(k: u64) -> u64 {
    k - (k + 1) / 10
}

/// What every chunk needs.
struct Book {
    seed: u64,
    today: Date,
    admin_id: i64,
    managers: Vec<(i64, Option<i64>)>,
    grades: Vec<i64>,
    pii: Arc<customers::PiiKeys>,
    /// Per product: id, terms version, the loans' servicing terms as JSON.
    products: Vec<(i64, i32, String)>,
    /// The first row id reserved for each table.
    customer_base: i64,
    vehicle_base: i64,
    application_base: i64,
    contract_base: i64,
    loan_base: i64,
}

/// One chunk's rows, per table in the order they are copied (referenced tables first).
struct Chunk {
    tables: Vec<(&'static str, String)>,
    stats: Stats,
}

#[derive(Default, Clone)]
struct Stats {
    loans: u64,
    customers: u64,
    installments: u64,
    /// Loans per standing, in the order of [`STANDINGS`].
    standings: [u64; 5],
    bytes: u64,
    build: Duration,
}

const COPY_CUSTOMERS: &str = "COPY customers (id, kind, name, id_number_cipher, id_number_hash, birth_date, \
     sex, mobile_cipher, mobile_hash, employer, monthly_income, marital_status, education, addresses, \
     contacts, grade_id, manager_id, department_id, status, created_by, version, created_at, updated_at) \
     FROM STDIN";
const COPY_VEHICLES: &str = "COPY vehicles (id, vin, plate, brand, model, first_registered_on, mileage_km, \
     colour, transmission, displacement, usage, owner_customer_id, department_id, created_by, status, \
     version, created_at, updated_at) FROM STDIN";
const COPY_APPRAISALS: &str = "COPY appraisals (vehicle_id, value, appraised_on, method, condition_grade, \
     appraiser_id, department_id, created_at) FROM STDIN";
const COPY_APPLICATIONS: &str = "COPY loan_applications (id, application_no, customer_id, product_id, \
     product_version, amount, term_months, repayment_method, annual_rate, purpose, vehicle_ids, status, \
     department_id, created_by, decided_at, version, created_at, updated_at) FROM STDIN";
const COPY_CONTRACTS: &str = "COPY loan_contracts (id, contract_no, application_id, status, \
     planned_disbursement_date, terms, signed_on, signed_place, signed_by, created_by, version, \
     created_at, updated_at) FROM STDIN";
const COPY_REGISTRATIONS: &str = "COPY collateral_registrations (vehicle_id, contract_id, kind, status, \
     registry_office, certificate_no, registered_on, released_on, release_basis, settlement_cert_no, \
     handover_note, released_by, created_by, version, created_at, updated_at) FROM STDIN";
const COPY_LOANS: &str = "COPY loans (id, loan_no, contract_id, application_id, product_id, customer_id, \
     department_id, manager_id, status, principal, annual_rate, method, term_months, value_date, \
     maturity_date, terms, settled_on, version, created_at, updated_at) FROM STDIN";
const COPY_INSTALLMENTS: &str = "COPY loan_installments (loan_id, period, start_date, due_date, principal, \
     interest, paid_principal, paid_interest, penalty_accrued, compound_accrued, accrued_through, \
     settled_on, overdue_since, interest_accrued) FROM STDIN";
const COPY_BALANCES: &str =
    "COPY loan_balances (loan_id, principal_normal, principal_overdue, updated_at) FROM STDIN";
const COPY_HISTORY: &str = "COPY loan_balance_history (loan_id, valid_from, principal_outstanding, \
     principal_overdue, classification) FROM STDIN";

/// The tables written, for the report and VACUUM ANALYZE.
const TABLES: [&str; 10] = [
    "customers",
    "vehicles",
    "appraisals",
    "loan_applications",
    "loan_contracts",
    "collateral_registrations",
    "loans",
    "loan_installments",
    "loan_balances",
    "loan_balance_history",
];

/// COPY text format: one row, fields separated by tabs.
struct Row<'a> {
    buf: &'a mut String,
    first: bool,
}

impl<'a> Row<'a> {
    fn new(buf: &'a mut String) -> Row<'a> {
        Row { buf, first: true }
    }

    fn sep(&mut self) -> &mut String {
        if !self.first {
            self.buf.push('\t');
        }
        self.first = false;
        self.buf
    }

    fn text(&mut self, s: &str) -> &mut Self {
        let buf = self.sep();
        if s.bytes()
            .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
        {
            for c in s.chars() {
                match c {
                    '\\' => buf.push_str("\\\\"),
                    '\t' => buf.push_str("\\t"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    c => buf.push(c),
                }
            }
        } else {
            buf.push_str(s);
        }
        self
    }

    fn num(&mut self, n: i64) -> &mut Self {
        let _ = write!(self.sep(), "{n}");
        self
    }

    fn opt_num(&mut self, n: Option<i64>) -> &mut Self {
        match n {
            Some(n) => self.num(n),
            None => self.null(),
        }
    }

    fn null(&mut self) -> &mut Self {
        self.sep().push_str("\\N");
        self
    }

    fn money(&mut self, m: Money) -> &mut Self {
        let fen = (m.amount() * Decimal::ONE_HUNDRED)
            .to_i64()
            .expect("an amount fits");
        let _ = write!(self.sep(), "{}.{:02}", fen / 100, fen % 100);
        self
    }

    fn decimal(&mut self, d: Decimal) -> &mut Self {
        let _ = write!(self.sep(), "{d}");
        self
    }

    fn date(&mut self, d: Date) -> &mut Self {
        let _ = write!(
            self.sep(),
            "{:04}-{:02}-{:02}",
            d.year(),
            d.month() as u8,
            d.day()
        );
        self
    }

    fn opt_date(&mut self, d: Option<Date>) -> &mut Self {
        match d {
            Some(d) => self.date(d),
            None => self.null(),
        }
    }

    /// A moment on `d`, Beijing time.
    fn at(&mut self, d: Date, hour: u64) -> &mut Self {
        self.date(d);
        let _ = write!(
            self.buf,
            " {:02}:{:02}:00+08",
            9 + hour % 9,
            (hour * 7) % 60
        );
        self
    }

    fn end(self) {
        self.buf.push('\n');
    }
}

impl Book {
    /// The loans `start..start + size` and everything they stand on.
    fn chunk(&self, start: u64, size: u64) -> anyhow::Result<Chunk> {
        let began = Instant::now();
        let mut customers = String::with_capacity(size as usize * 700);
        let mut vehicles = String::with_capacity(size as usize * 220);
        let mut appraisals = String::with_capacity(size as usize * 90);
        let mut applications = String::with_capacity(size as usize * 220);
        let mut contracts = String::with_capacity(size as usize * 160);
        let mut registrations = String::with_capacity(size as usize * 300);
        let mut loans = String::with_capacity(size as usize * 500);
        let mut installments = String::with_capacity(size as usize * 26 * 110);
        let mut balances = String::with_capacity(size as usize * 60);
        let mut history = String::with_capacity(size as usize * 50);
        let mut stats = Stats::default();
        let day = days(1);
        for k in start..start + size {
            let loan = plan_loan(self.seed, k, self.today)?;
            let cust = customer_of(k);
            let customer_id = self.customer_base + cust as i64;
            let mut crng = stream(self.seed, 2, cust);
            let (manager_id, department_id) = crng.pick(&self.managers);
            let (region, _, _) = identity(customer_id);
            if k == 0 || customer_of(k - 1) != cust {
                self.customer(
                    &mut customers,
                    customer_id,
                    &mut crng,
                    loan.value_date - days(20),
                    (manager_id, department_id),
                )?;
                stats.customers += 1;
            }
            let mut rng = stream(self.seed, 3, k);
            let spec = &PRODUCTS[loan.product];
            let (product_id, product_version, servicing) = &self.products[loan.product];
            let vehicle_id = self.vehicle_base + k as i64;
            let application_id = self.application_base + k as i64;
            let contract_id = self.contract_base + k as i64;
            let loan_id = self.loan_base + k as i64;
            let v = loan.value_date;
            let hour = k;

            // The car, its appraisal and its mortgage.
            let (wmi, brand, models) = MAKES[rng.below(MAKES.len() as u64) as usize];
            let model_year = v.year() - rng.below(8) as i32;
            let first_registered = Date::from_calendar_date(
                model_year,
                Month::try_from(1 + rng.below(12) as u8)?,
                1 + rng.below(28) as u8,
            )?
            .min(v - days(30));
            let vin = vin(wmi, vehicle_id, model_year, &mut rng);
            let plate = format!(
                "{}{}{:05}",
                REGIONS[region].2,
                (b'A' + rng.below(8) as u8) as char,
                (vehicle_id as u64).wrapping_mul(7919) % 100_000
            );
            let electric = brand == "比亚迪";
            let mut row = Row::new(&mut vehicles);
            row.num(vehicle_id)
                .text(&vin)
                .text(&plate)
                .text(brand)
                .text(&format!("{} {}", models[rng.below(3) as usize], model_year))
                .date(first_registered)
                .num(((v - first_registered).whole_days() * (20 + rng.below(60) as i64)).max(0))
                .text(COLOURS[rng.below(COLOURS.len() as u64) as usize])
                .text(if electric {
                    "single_speed"
                } else {
                    ["automatic", "dct", "cvt", "manual"][rng.below(4) as usize]
                })
                .text(if electric {
                    "电动"
                } else {
                    ["1.5T", "2.0T", "1.8L", "2.5L"][rng.below(4) as usize]
                })
                .text(
                    [
                        "private",
                        "private",
                        "private",
                        "commercial",
                        "ride_hailing",
                    ][rng.below(5) as usize],
                )
                .num(customer_id)
                .opt_num(department_id)
                .num(manager_id)
                .text("active")
                .num(1)
                .at(v - days(12), hour)
                .at(v - days(12), hour);
            row.end();
            let value = Money::yuan(
                ((loan.principal.amount() * Decimal::from(100) / Decimal::from(loan.ltv_pct))
                    .to_i64()
                    .expect("a value")
                    / 100
                    + 1)
                    * 100,
            );
            let mut row = Row::new(&mut appraisals);
            row.num(vehicle_id)
                .money(value)
                .date(v - days(10))
                .text(
                    ["market_comparison", "market_comparison", "replacement_cost"]
                        [rng.below(3) as usize],
                )
                .text(["excellent", "good", "good", "fair"][rng.below(4) as usize])
                .num(manager_id)
                .opt_num(department_id)
                .at(v - days(10), hour);
            row.end();

            // The application, the contract, the registration.
            let method = method_name(spec.method);
            let rate = Decimal::new(i64::from(loan.rate_bp), 4);
            let mut row = Row::new(&mut applications);
            row.num(application_id)
                .text(&format!("GENP-A{application_id}"))
                .num(customer_id)
                .num(*product_id)
                .num(i64::from(*product_version))
                .money(loan.principal)
                .num(i64::from(loan.term))
                .text(method)
                .decimal(rate)
                .text(PURPOSES[rng.below(PURPOSES.len() as u64) as usize])
                .text(&format!("{{{vehicle_id}}}"))
                .text("approved")
                .opt_num(department_id)
                .num(manager_id)
                .at(v - days(5), hour)
                .num(1)
                .at(v - days(9), hour)
                .at(v - days(5), hour);
            row.end();
            let contract_no = format!("GENP-K{contract_id}");
            let mut row = Row::new(&mut contracts);
            row.num(contract_id)
                .text(&contract_no)
                .num(application_id)
                .text("signed")
                .date(v)
                .text("{}")
                .date(v - days(3))
                .text(REGIONS[region].1)
                .num(manager_id)
                .num(manager_id)
                .num(1)
                .at(v - days(4), hour)
                .at(v - days(3), hour);
            row.end();
            let office = format!("{}公安局交通管理局车辆管理所", REGIONS[region].1);
            let certificate = format!("{}{:08}", &REGIONS[region].0[..4], vehicle_id);
            let mut row = Row::new(&mut registrations);
            row.num(vehicle_id)
                .num(contract_id)
                .text("mortgage")
                .text(if loan.settled() {
                    "released"
                } else {
                    "registered"
                })
                .text(&office)
                .text(&certificate)
                .date(v - day);
            if loan.settled() {
                let released = (loan.maturity() + days(1 + rng.below(10) as i64)).min(self.today);
                row.date(released)
                    .text("settled")
                    .text(&format!("JQ{contract_id}"))
                    .text("登记证书原件及备用钥匙已交还借款人")
                    .num(manager_id);
            } else {
                row.null().null().null().null().null();
            }
            row.num(manager_id)
                .num(1)
                .at(v - day, hour)
                .at(v - day, hour);
            row.end();

            // The loan, its installments and its sub-ledger.
            let mut row = Row::new(&mut loans);
            row.num(loan_id)
                .text(&format!("{contract_no}-01"))
                .num(contract_id)
                .num(application_id)
                .num(*product_id)
                .num(customer_id)
                .opt_num(department_id)
                .num(manager_id)
                .text(if loan.settled() { "settled" } else { "active" })
                .money(loan.principal)
                .decimal(rate)
                .text(method)
                .num(i64::from(loan.term))
                .date(v)
                .date(loan.maturity())
                .text(servicing)
                .opt_date(loan.settled().then(|| loan.maturity()))
                .num(1)
                .at(v, hour)
                .at(v, hour);
            row.end();
            for i in &loan.installments {
                let mut row = Row::new(&mut installments);
                row.num(loan_id)
                    .num(i64::from(i.period))
                    .date(i.start_date)
                    .date(i.due_date);
                row.money(i.principal).money(i.interest);
                if i.paid {
                    row.money(i.principal).money(i.interest);
                } else {
                    row.text("0").text("0");
                }
                row.decimal(i.penalty_accrued)
                    .decimal(i.compound_accrued)
                    .opt_date(i.accrued_through)
                    .opt_date(i.paid.then_some(i.due_date))
                    .opt_date(i.overdue_since);
                // Interest paid was recognised when paid; the close accrues the rest.
                if i.paid {
                    row.money(i.interest);
                } else {
                    row.text("0");
                }
                row.end();
            }
            let (normal, overdue) = if loan.settled() {
                (Money::ZERO, Money::ZERO)
            } else {
                let overdue = loan.overdue_principal();
                (loan.unpaid_principal() - overdue, overdue)
            };
            let mut row = Row::new(&mut balances);
            row.num(loan_id)
                .money(normal)
                .money(overdue)
                .at(self.today - day, hour);
            row.end();
            if !loan.settled() {
                let mut row = Row::new(&mut history);
                row.num(loan_id)
                    .date(self.today - day)
                    .money(normal + overdue)
                    .money(overdue)
                    .text("normal");
                row.end();
            }

            stats.loans += 1;
            stats.installments += loan.installments.len() as u64;
            let s = STANDINGS
                .iter()
                .position(|(_, s)| *s == loan.standing)
                .expect("a standing");
            stats.standings[s] += 1;
        }
        let tables = vec![
            (COPY_CUSTOMERS, customers),
            (COPY_VEHICLES, vehicles),
            (COPY_APPRAISALS, appraisals),
            (COPY_APPLICATIONS, applications),
            (COPY_CONTRACTS, contracts),
            (COPY_REGISTRATIONS, registrations),
            (COPY_LOANS, loans),
            (COPY_INSTALLMENTS, installments),
            (COPY_BALANCES, balances),
            (COPY_HISTORY, history),
        ];
        stats.bytes = tables.iter().map(|(_, t)| t.len() as u64).sum();
        stats.build = began.elapsed();
        Ok(Chunk { tables, stats })
    }

    /// A customer whose ID number is a bijection of its row id.
    fn customer(
        &self,
        buf: &mut String,
        id: i64,
        rng: &mut Rng,
        created: Date,
        (manager_id, department_id): (i64, Option<i64>),
    ) -> anyhow::Result<()> {
        let (region, birth, seq) = identity(id);
        let (y, m, d) = people::civil_from_days(people::days_from_civil(1960, 1, 1) + birth as i64);
        let body = format!("{}{y:04}{m:02}{d:02}{seq:03}", REGIONS[region].0);
        let text = format!("{body}{}", people::check_char(body.as_bytes()) as char);
        let id_number = customers::domain::ResidentId::parse(&text)
            .map_err(|e| anyhow::anyhow!("generated ID number {text}: {}", e.message))?;
        let mobile = format!(
            "{}{:08}",
            rng.pick(&people::MOBILE_PREFIXES),
            (id as u64).wrapping_mul(48_271) % 100_000_000
        );
        let male = id_number.sex() == customers::domain::Sex::Male;
        let given: &[&str] = if male {
            &people::GIVEN_MALE
        } else {
            &people::GIVEN_FEMALE
        };
        let name = format!(
            "{}{}{}",
            rng.pick(&people::SURNAMES),
            rng.pick(given),
            if rng.below(3) == 0 {
                ""
            } else {
                rng.pick(given)
            }
        );
        let age = self.today.year() - i32::try_from(y)?;
        let married = age > 24 && rng.below(100) < 70;
        let place = REGIONS[region].1;
        let addresses = serde_json::json!([{
            "kind": "household",
            "text": format!("{place}{}{}号{}栋{}室", rng.pick(&people::STREETS),
                1 + rng.below(300), 1 + rng.below(30), 101 + rng.below(2400)),
        }]);
        let contact_given: &[&str] = if male {
            &people::GIVEN_FEMALE
        } else {
            &people::GIVEN_MALE
        };
        let contacts = serde_json::json!([{
            "name": format!("{}{}", rng.pick(&people::SURNAMES), rng.pick(contact_given)),
            "relation": if married { "spouse" } else { "parent" },
            "position": null,
            "phone": format!("{}{:08}", rng.pick(&people::MOBILE_PREFIXES), rng.below(100_000_000)),
        }]);
        let roll = rng.below(100);
        let mut acc = 0;
        let grade = people::GRADES
            .iter()
            .zip(&self.grades)
            .find(|((_, _, share), _)| {
                acc += share;
                roll < acc
            })
            .map(|(_, id)| *id)
            .unwrap_or(self.grades[0]);
        let mut row = Row::new(buf);
        row.num(id)
            .text("individual")
            .text(&name)
            .text(&self.pii.encrypt(people::ID_FIELD, id_number.as_str()))
            .text(&self.pii.hash("id_number", id_number.as_str()))
            .date(id_number.birth_date())
            .text(id_number.sex().as_str())
            .text(&self.pii.encrypt(people::MOBILE_FIELD, &mobile))
            .text(&self.pii.hash("mobile", &mobile))
            .text(rng.pick(&people::EMPLOYERS))
            .money(Money::yuan(3_000 + rng.below(470) as i64 * 100))
            .text(if married { "married" } else { "single" })
            .text(rng.pick(&people::EDUCATION))
            .text(&addresses.to_string())
            .text(&contacts.to_string())
            .num(grade)
            .num(manager_id)
            .opt_num(department_id)
            .text("active")
            .num(self.admin_id)
            .num(1)
            .at(created, id as u64)
            .at(created, id as u64);
        row.end();
        Ok(())
    }
}

/// The region, the birth day (from 1960-01-01) and the sequence number of customer `id`'s ID
/// number: a bijection of the id (below 504 million).
fn identity(id: i64) -> (usize, u64, u64) {
    let x = (id as u64 % ID_SPACE) * ID_SCRAMBLE % ID_SPACE;
    let (region, rest) = (x % REGIONS.len() as u64, x / REGIONS.len() as u64);
    (region as usize, rest % BIRTH_DAYS, rest / BIRTH_DAYS)
}

fn days(n: i64) -> time::Duration {
    time::Duration::days(n)
}

/// A VIN unique per vehicle id (below 33 million): the plant letter and the serial number are
/// the id; the check digit holds.
fn vin(wmi: &str, vehicle_id: i64, model_year: i32, rng: &mut Rng) -> String {
    let mut v = [b'0'; 17];
    v[..3].copy_from_slice(wmi.as_bytes());
    for c in v.iter_mut().take(8).skip(3) {
        *c = VIN_CHARS[rng.below(33) as usize];
    }
    // Model year letters skip I, O, Q, U, Z and 0 (2010 = A … 2030 = Y).
    const YEARS: &[u8; 30] = b"ABCDEFGHJKLMNPRSTVWXY123456789";
    v[9] = YEARS[((model_year - 2010).rem_euclid(30)) as usize];
    let id = vehicle_id as u64;
    v[10] = VIN_CHARS[((id / 1_000_000) % 33) as usize];
    let serial = format!("{:06}", id % 1_000_000);
    v[11..].copy_from_slice(serial.as_bytes());
    v[8] = collateral::domain::vin::expected_check_digit(&v) as u8;
    String::from_utf8(v.to_vec()).expect("ASCII")
}

pub async fn run(args: PortfolioArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.loans > 0, "--loans must be positive");
    anyhow::ensure!(
        args.chunk > 0 && args.writers > 0,
        "--chunk and --writers must be positive"
    );
    let chunk = args.chunk.div_ceil(10) * 10;
    let config = Config::from_env()?;
    crate::init_tracing(&config);
    let db = database::open(&config).await?;
    let prepared = people::prepare(&config, &db).await?;
    let conn = &db.connection;
    let clock: kernel::SharedClock = Arc::new(kernel::SystemClock);
    let today = ledgers::service::business_date::today(conn, &clock)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let products = ensure_products(&prepared).await?;

    let n = args.loans;
    let customers_needed = customer_of(n - 1) + 1;
    let reserve = |table: &'static str, count: u64| async move {
        let row = conn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT setval(pg_get_serial_sequence($1, 'id'), \
                   nextval(pg_get_serial_sequence($1, 'id')) + $2 - 1) - $2 + 1 AS first",
                [Value::from(table), Value::from(count as i64)],
            ))
            .await?
            .context("no sequence")?;
        anyhow::Ok(row.try_get::<i64>("", "first")?)
    };
    let book = Arc::new(Book {
        seed: args.seed,
        today,
        admin_id: prepared.admin_id,
        managers: prepared.managers.clone(),
        grades: prepared.grades.clone(),
        pii: Arc::new(prepared.pii.clone()),
        products,
        customer_base: reserve("customers", customers_needed).await?,
        vehicle_base: reserve("vehicles", n).await?,
        application_base: reserve("loan_applications", n).await?,
        contract_base: reserve("loan_contracts", n).await?,
        loan_base: reserve("loans", n).await?,
    });
    println!(
        "Generating {n} loans (seed {}) as of the business date {today}: chunks of {chunk}, {} writers…",
        args.seed, args.writers
    );

    // A superuser may skip the foreign-key checks while copying (about half of the installments'
    // COPY time); the tables copied have no other triggers.
    let skip_checks = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
        ))
        .await?
        .map(|r| r.try_get::<bool>("", "rolsuper"))
        .transpose()?
        .unwrap_or(false);
    if !skip_checks {
        println!("  (not a superuser: the foreign keys are checked row by row while copying)");
    }
    let began = Instant::now();
    let chunks = n.div_ceil(chunk);
    let stride = args.writers;
    let pool = conn.get_postgres_connection_pool().clone();
    let mut writers = Vec::new();
    for w in 0..args.writers.min(chunks) {
        let book = book.clone();
        let pool = pool.clone();
        writers.push(tokio::spawn(async move {
            let build = |c: u64| {
                let book = book.clone();
                tokio::task::spawn_blocking(move || {
                    let start = c * chunk;
                    book.chunk(start, chunk.min(n - start))
                })
            };
            let mut totals = Stats::default();
            let mut copy_time = [Duration::ZERO; TABLES.len()];
            let mut conn = pool.acquire().await?;
            let mut c = w;
            let mut next = Some(build(c));
            while let Some(job) = next.take() {
                let Chunk { tables, stats } = job.await??;
                if c + stride < chunks {
                    next = Some(build(c + stride));
                }
                let mut tx = sea_orm::sqlx::Connection::begin(&mut *conn).await?;
                if skip_checks {
                    // This transaction only: no foreign-key triggers (the rows reference each
                    // other by construction, referenced tables first).
                    sea_orm::sqlx::query("SET LOCAL session_replication_role = replica")
                        .execute(&mut *tx)
                        .await?;
                }
                for (t, (statement, data)) in tables.into_iter().enumerate() {
                    let started = Instant::now();
                    let mut copy = tx.copy_in_raw(statement).await?;
                    copy.send(data.into_bytes()).await?;
                    copy.finish()
                        .await
                        .with_context(|| format!("COPY into {}", TABLES[t]))?;
                    copy_time[t] += started.elapsed();
                }
                tx.commit().await?;
                totals.loans += stats.loans;
                totals.customers += stats.customers;
                totals.installments += stats.installments;
                totals.bytes += stats.bytes;
                totals.build += stats.build;
                for (a, b) in totals.standings.iter_mut().zip(stats.standings) {
                    *a += b;
                }
                c += stride;
            }
            anyhow::Ok((totals, copy_time))
        }));
    }
    let mut totals = Stats::default();
    let mut copy_time = [Duration::ZERO; TABLES.len()];
    for w in writers {
        let (s, t) = w.await??;
        totals.loans += s.loans;
        totals.customers += s.customers;
        totals.installments += s.installments;
        totals.bytes += s.bytes;
        totals.build += s.build;
        for (a, b) in totals.standings.iter_mut().zip(s.standings) {
            *a += b;
        }
        for (a, b) in copy_time.iter_mut().zip(t) {
            *a += b;
        }
    }
    let written = began.elapsed();
    println!(
        "Copied {} loans, {} installments, {} customers ({:.0} MB of COPY text) in {:.1} s: \
         {:.0} loans/s (building the rows: {:.1} s on blocking threads, beside the copying)",
        totals.loans,
        totals.installments,
        totals.customers,
        totals.bytes as f64 / 1e6,
        written.as_secs_f64(),
        totals.loans as f64 / written.as_secs_f64(),
        totals.build.as_secs_f64()
    );
    println!(
        "  COPY time per table, summed over the writers: {}",
        TABLES
            .iter()
            .zip(copy_time)
            .map(|(t, d)| format!("{t} {:.1} s", d.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  standings: {}",
        STANDINGS
            .iter()
            .zip(totals.standings)
            .map(|((_, s), count)| format!("{} {count}", standing_name(*s)))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let t = Instant::now();
    let vouchers = opening_vouchers(conn, &book, n, today).await?;
    println!(
        "Opening vouchers {vouchers:?} (Dr 130301/130302 per loan, Cr 100201 per product) in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    for table in TABLES.iter().chain(&["vouchers", "voucher_lines"]) {
        conn.execute_unprepared(&format!("VACUUM (ANALYZE) {table}"))
            .await?;
    }
    println!("VACUUM ANALYZE: {:.1} s", t.elapsed().as_secs_f64());
    println!(
        "Generated the portfolio in {:.1} s overall.",
        began.elapsed().as_secs_f64()
    );
    drop(prepared);
    drop(db);
    Ok(())
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::EqualInstallment => "equal_installment",
        Method::EqualPrincipal => "equal_principal",
        Method::InterestOnly => "interest_only",
        Method::Flat => "flat",
        Method::Bullet => "bullet",
        Method::Balloon => "balloon",
    }
}

fn standing_name(s: Standing) -> String {
    match s {
        Standing::Current => "current".into(),
        Standing::Settled => "settled".into(),
        Standing::Overdue { min_days, max_days } => format!("{min_days}-{max_days} days past due"),
    }
}

/// The products, created through the service the first time; (id, terms version, the loans'
/// servicing terms as JSON) in the order of [`PRODUCTS`].
async fn ensure_products(p: &people::Prepared) -> anyhow::Result<Vec<(i64, i32, String)>> {
    let mut out = Vec::new();
    for spec in &PRODUCTS {
        let found = p
            .state
            .db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT id, current_version FROM loan_products WHERE code = $1",
                [Value::from(spec.code)],
            ))
            .await?;
        let (id, version) = match found {
            Some(row) => (
                row.try_get::<i64>("", "id")?,
                row.try_get::<i32>("", "current_version")?,
            ),
            None => {
                let input: loans::service::products::ProductInput =
                    serde_json::from_value(serde_json::json!({
                        "code": spec.code, "name": spec.name, "methods": [spec.method],
                        "termMonthsMin": 12, "termMonthsMax": 36,
                        "amountMin": "30000", "amountMax": "500000",
                        "rateMin": format!("{}", Decimal::new(i64::from(spec.rate_bp.0), 4)),
                        "rateMax": format!("{}", Decimal::new(i64::from(spec.rate_bp.1), 4)),
                        "dayBasis": spec.day_basis,
                        "penaltyMultiplier": spec.multiplier.to_string(),
                        "graceDays": spec.grace_days,
                        "maxLtv": format!("{}", Decimal::new(spec.max_ltv_pct as i64, 2)),
                        "collateralKind": "mortgage", "gpsRequired": false
                    }))?;
                let made = loans::service::products::create(&p.state.loans, &p.admin, &input)
                    .await
                    .map_err(|e| anyhow::anyhow!("creating product {}: {e}", spec.code))?;
                (made.id, made.terms_version)
            }
        };
        let servicing = ServicingTerms {
            day_basis: spec.day_basis,
            penalty_multiplier: spec.multiplier,
            grace_days: spec.grace_days,
            allocation: AllocationOrder::default(),
            vat_rate: DEFAULT_VAT_RATE,
            period_fee: Money::ZERO,
        };
        out.push((id, version, serde_json::to_string(&servicing)?));
    }
    Ok(out)
}

/// One voucher per product dated the business date: the generated loans' balances, a debit line
/// per loan and balance account, against the bank. Returns the voucher ids.
async fn opening_vouchers(
    db: &sea_orm::DatabaseConnection,
    book: &Book,
    n: u64,
    today: Date,
) -> anyhow::Result<Vec<i64>> {
    let period = format!("{:04}-{:02}", today.year(), today.month() as u8);
    let (first, last) = (book.loan_base, book.loan_base + n as i64 - 1);
    let txn = db.begin().await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO accounting_periods (period, status) VALUES ($1, 'open') ON CONFLICT DO NOTHING",
        [Value::from(period.clone())],
    ))
    .await?;
    let mut ids = Vec::new();
    for (spec, (product_id, _, _)) in PRODUCTS.iter().zip(&book.products) {
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "WITH seq AS (UPDATE accounting_periods SET last_seq = last_seq + 1 \
                   WHERE period = $1 AND status = 'open' RETURNING last_seq) \
                 INSERT INTO vouchers (period, seq, voucher_date, status, source_kind, source_id, summary, \
                   created_by, reviewed_by, created_at) \
                 SELECT $1, last_seq, $2, 'pending', 'opening_balance', $3, $4, $5, $5, now() FROM seq \
                 RETURNING id",
                [
                    Value::from(period.clone()),
                    Value::from(today),
                    Value::from(*product_id),
                    Value::from(format!("{} 期初贷款余额（生成数据）", spec.code)),
                    Value::from(book.admin_id),
                ],
            ))
            .await?
            .with_context(|| format!("the accounting period {period} is closed"))?;
        let voucher: i64 = row.try_get("", "id")?;
        let lines = txn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, credit, loan_id, memo) \
                 SELECT $1, row_number() OVER (ORDER BY x.loan_id, x.code), x.code, x.amount, 0, x.loan_id, \
                   '期初本金 ' || l.loan_no \
                 FROM (SELECT loan_id, '130301' AS code, principal_normal AS amount FROM loan_balances \
                       WHERE loan_id BETWEEN $2 AND $3 AND principal_normal > 0 \
                       UNION ALL \
                       SELECT loan_id, '130302', principal_overdue FROM loan_balances \
                       WHERE loan_id BETWEEN $2 AND $3 AND principal_overdue > 0) x \
                 JOIN loans l ON l.id = x.loan_id \
                 JOIN loan_applications a ON a.id = l.application_id \
                 WHERE a.product_id = $4",
                [
                    Value::from(voucher),
                    Value::from(first),
                    Value::from(last),
                    Value::from(*product_id),
                ],
            ))
            .await?
            .rows_affected();
        if lines == 0 {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "DELETE FROM vouchers WHERE id = $1",
                [Value::from(voucher)],
            ))
            .await?;
            continue;
        }
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, credit, loan_id, memo) \
             SELECT $1, $2, '100201', 0, sum(debit), NULL, '期初贷款余额' FROM voucher_lines WHERE voucher_id = $1",
            [Value::from(voucher), Value::from(lines as i64 + 1)],
        ))
        .await?;
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE vouchers SET status = 'posted', posted_at = now() WHERE id = $1",
            [Value::from(voucher)],
        ))
        .await?;
        ids.push(voucher);
    }
    txn.commit().await?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn loans_are_deterministic_and_stand_as_drawn() {
        let today = date!(2026 - 11 - 28);
        let mut seen = [0u64; 5];
        for k in 0..2_000 {
            let a = plan_loan(7, k, today).unwrap();
            let b = plan_loan(7, k, today).unwrap();
            assert_eq!(a.installments, b.installments);
            assert_eq!(
                (a.principal, a.rate_bp, a.value_date),
                (b.principal, b.rate_bp, b.value_date)
            );
            assert!(a.value_date < today && a.value_date >= months_before(today, 36));
            assert!([12, 24, 36].contains(&a.term));
            assert!(a.principal >= Money::yuan(30_000) && a.principal <= Money::yuan(500_000));
            assert!((1000..=1800).contains(&a.rate_bp));
            let total: Money = a
                .installments
                .iter()
                .fold(Money::ZERO, |s, i| s + i.principal);
            assert_eq!(total, a.principal);
            let oldest_unpaid = a.installments.iter().find(|i| !i.paid);
            match a.standing {
                Standing::Settled => {
                    assert!(oldest_unpaid.is_none());
                    assert!(a.maturity() <= today);
                }
                Standing::Current => {
                    assert!(a.maturity() >= today);
                    assert!(a.installments.iter().all(|i| i.paid || i.due_date >= today));
                }
                Standing::Overdue { min_days, max_days } => {
                    let dpd = (today - oldest_unpaid.unwrap().due_date).whole_days();
                    assert!((min_days..=max_days).contains(&dpd), "{dpd} days");
                    // Everything after the oldest unpaid one is unpaid too.
                    let first = oldest_unpaid.unwrap().period;
                    assert!(a.installments.iter().all(|i| i.paid == (i.period < first)));
                }
            }
            for i in &a.installments {
                assert_eq!(i.overdue_since.is_some(), !i.paid && i.due_date < today);
                assert_eq!(
                    i.penalty_accrued.is_zero(),
                    i.accrued_through.is_none() || i.principal.is_zero()
                );
            }
            seen[STANDINGS
                .iter()
                .position(|(_, s)| *s == a.standing)
                .unwrap()] += 1;
        }
        // 85 % / 7 % / 2 % / 1 % / 5 % of 2,000, loosely.
        assert!(seen[0] > 1_600 && seen[1] > 100 && seen[2] > 20 && seen[3] > 5 && seen[4] > 60);
        assert_ne!(
            plan_loan(8, 0, today).unwrap().installments,
            plan_loan(7, 0, today).unwrap().installments
        );
    }

    #[test]
    fn vins_are_valid_and_unique_per_vehicle() {
        let mut rng = Rng(1);
        let mut seen = std::collections::HashSet::new();
        for id in [1, 2, 999_999, 1_000_000, 1_000_001, 32_999_999] {
            let v = vin("LFV", id, 2021, &mut rng);
            assert!(collateral::domain::Vin::parse(&v).is_ok(), "{v}");
            assert!(seen.insert(v[10..].to_string()));
        }
    }

    #[test]
    fn customers_share_every_tenth_loan() {
        let owners: Vec<u64> = (0..21).map(customer_of).collect();
        assert_eq!(&owners[..11], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9]);
        assert_eq!(owners[19], owners[18]);
        assert_eq!(customer_of(10), customer_of(9) + 1);
    }
}
