//! A voucher (记账凭证) before it is posted: lines that must balance.

use kernel::{AppError, AppResult, Money};
use rust_decimal::Decimal;
use time::Date;

/// One line of a draft: one side only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLine {
    pub account: String,
    pub debit: Money,
    pub credit: Money,
    /// The loan the line belongs to, for the sub-ledger reconciliation.
    pub loan_id: Option<i64>,
    pub memo: String,
}

/// A voucher as a business event proposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherDraft {
    pub date: Date,
    /// What made it, e.g. `disbursement`, and that record's id.
    pub source_kind: String,
    pub source_id: Option<i64>,
    /// 摘要
    pub summary: String,
    pub lines: Vec<DraftLine>,
    /// The posted voucher this one reverses (红字冲销), if any.
    pub reverses_id: Option<i64>,
}

impl VoucherDraft {
    pub fn new(date: Date, source_kind: &str, source_id: i64, summary: impl Into<String>) -> Self {
        VoucherDraft {
            date,
            source_kind: source_kind.to_string(),
            source_id: Some(source_id),
            summary: summary.into(),
            lines: Vec::new(),
            reverses_id: None,
        }
    }

    /// Adds a debit line; a zero amount adds nothing.
    pub fn debit(
        &mut self,
        account: &str,
        amount: Money,
        loan_id: Option<i64>,
        memo: &str,
    ) -> &mut Self {
        self.push(account, amount, Money::ZERO, loan_id, memo)
    }

    /// Adds a credit line; a zero amount adds nothing.
    pub fn credit(
        &mut self,
        account: &str,
        amount: Money,
        loan_id: Option<i64>,
        memo: &str,
    ) -> &mut Self {
        self.push(account, Money::ZERO, amount, loan_id, memo)
    }

    fn push(
        &mut self,
        account: &str,
        debit: Money,
        credit: Money,
        loan_id: Option<i64>,
        memo: &str,
    ) -> &mut Self {
        if !(debit.is_zero() && credit.is_zero()) {
            self.lines.push(DraftLine {
                account: account.to_string(),
                debit,
                credit,
                loan_id,
                memo: memo.to_string(),
            });
        }
        self
    }

    pub fn total_debit(&self) -> Money {
        self.lines.iter().map(|l| l.debit).sum()
    }

    pub fn total_credit(&self) -> Money {
        self.lines.iter().map(|l| l.credit).sum()
    }

    /// Two lines or more, each one side positive, debits equal to credits.
    pub fn check(&self) -> AppResult<()> {
        if self.lines.len() < 2 {
            return Err(AppError::rule(
                "voucher_too_short",
                "a voucher needs at least one debit and one credit line",
            ));
        }
        for (k, l) in self.lines.iter().enumerate() {
            let one_side = (l.debit.is_positive() && l.credit.is_zero())
                || (l.credit.is_positive() && l.debit.is_zero());
            if !one_side {
                return Err(AppError::invalid_field(
                    format!("lines[{k}]"),
                    "one_side",
                    "a line is a positive debit or a positive credit, not both",
                ));
            }
        }
        let (d, c) = (self.total_debit(), self.total_credit());
        if d != c {
            return Err(AppError::rule(
                "voucher_unbalanced",
                format!("debits {d} and credits {c} differ"),
            ));
        }
        Ok(())
    }
}

/// The accounting period of a date: its month, `YYYY-MM`.
pub fn period_of(date: Date) -> String {
    format!("{:04}-{:02}", date.year(), u8::from(date.month()))
}

/// The first day of a `YYYY-MM` period, or `None` for anything else.
pub fn period_start(period: &str) -> Option<Date> {
    let (y, m) = period.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, 1).ok()
}

/// The first day of the month after `start`'s.
pub fn next_period_start(start: Date) -> Date {
    let (year, month) = match start.month() {
        time::Month::December => (start.year() + 1, time::Month::January),
        m => (start.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(start)
}

/// Splits a gross amount that includes VAT into (net, VAT): net = round(gross / (1 + rate)),
/// VAT = gross − net, so the two always add up to the gross (RULES.md §9).
pub fn split_vat(gross: Money, rate: Decimal) -> (Money, Money) {
    let net = Money::round(gross.amount() / (Decimal::ONE + rate));
    (net, gross - net)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn vat_is_split_off_a_gross_amount_and_the_parts_add_up() {
        // 106.00 / 1.06 = 100.00 exactly; 1 000.01 / 1.06 = 943.405.. → 943.41, VAT 56.60.
        assert_eq!(split_vat(m("106.00"), dec!(0.06)), (m("100.00"), m("6.00")));
        assert_eq!(
            split_vat(m("1000.01"), dec!(0.06)),
            (m("943.41"), m("56.60"))
        );
        assert_eq!(split_vat(m("0.01"), dec!(0.06)), (m("0.01"), m("0.00")));
        assert_eq!(split_vat(m("250.00"), dec!(0)), (m("250.00"), m("0.00")));
    }

    #[test]
    fn an_unbalanced_or_one_sided_draft_is_refused() {
        let mut v = VoucherDraft::new(date!(2026 - 03 - 10), "test", 1, "放款");
        v.debit("130301", m("100.00"), Some(1), "");
        assert_eq!(v.check().unwrap_err().code, "voucher_too_short");
        v.credit("100201", m("99.99"), None, "");
        assert_eq!(v.check().unwrap_err().code, "voucher_unbalanced");
        v.credit("100201", m("0.01"), None, "");
        assert!(v.check().is_ok());
        v.credit("6021", Money::ZERO, None, "");
        assert_eq!(v.lines.len(), 3, "a zero line is not written");
    }

    #[test]
    fn a_period_is_the_month_of_the_date() {
        assert_eq!(period_of(date!(2026 - 03 - 31)), "2026-03");
        assert_eq!(period_start("2026-12"), Some(date!(2026 - 12 - 01)));
        assert_eq!(period_start("2026-13"), None);
        assert_eq!(period_start("26-01"), None);
        assert_eq!(
            next_period_start(date!(2026 - 12 - 01)),
            date!(2027 - 01 - 01)
        );
        assert_eq!(
            next_period_start(date!(2026 - 01 - 31)),
            date!(2026 - 02 - 01)
        );
    }
}
