//! The books as files: each statement and journal as an XLSX workbook or a printable PDF.

use documents::xlsx::{self, Cell, Table};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use kernel::{AppError, AppResult, Money};

use super::journal::{CashJournal, FundSummaryRow};
use super::statements::{BalanceSheet, IncomeStatement, StatementLine};
use super::trial_balance::TrialBalance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Xlsx,
    Pdf,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `xlsx` or `pdf`.
    #[param(inline)]
    pub format: ExportFormat,
}

/// A rendered file: its content type, a file name, the bytes.
pub struct Export {
    pub content_type: &'static str,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Renders `table` in `format`, named `stem` plus the extension.
pub fn render(
    table: &Table,
    subtitle: &str,
    format: ExportFormat,
    stem: &str,
) -> AppResult<Export> {
    match format {
        ExportFormat::Xlsx => Ok(Export {
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("{stem}.xlsx"),
            bytes: xlsx::render(table).map_err(AppError::internal)?,
        }),
        ExportFormat::Pdf => Ok(Export {
            content_type: "application/pdf",
            file_name: format!("{stem}.pdf"),
            bytes: xlsx::table_pdf(table, subtitle).map_err(|e| match e {
                documents::DocumentError::NoFont(_) => AppError::new(
                    kernel::ErrorKind::Internal,
                    "font_missing",
                    "the server lacks the Chinese fonts (fonts-noto-cjk)",
                ),
                other => AppError::internal(other),
            })?,
        }),
    }
}

fn amount(m: Money) -> Cell {
    Cell::Amount(m.amount())
}

pub fn trial_balance(tb: &TrialBalance) -> Table {
    let mut rows: Vec<Vec<Cell>> = tb
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(format!(
                    "{}{} {}",
                    "  ".repeat(r.level as usize),
                    r.code,
                    r.name
                )),
                amount(r.opening),
                amount(r.debit),
                amount(r.credit),
                amount(r.closing),
            ]
        })
        .collect();
    rows.push(vec![
        "合计".into(),
        Cell::Empty,
        amount(tb.total_debit),
        amount(tb.total_credit),
        Cell::Empty,
    ]);
    Table {
        title: format!("科目余额表 {}", tb.period),
        headers: ["科目", "期初余额", "本期借方", "本期贷方", "期末余额"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

fn statement_rows(lines: &[StatementLine], rows: &mut Vec<Vec<Cell>>) {
    for l in lines {
        rows.push(vec![Cell::Text(l.label.clone()), amount(l.amount)]);
    }
}

pub fn balance_sheet(bs: &BalanceSheet) -> Table {
    let mut rows = vec![vec![Cell::Text("资产".into()), Cell::Empty]];
    statement_rows(&bs.assets, &mut rows);
    rows.push(vec!["资产总计".into(), amount(bs.total_assets)]);
    rows.push(vec!["负债".into(), Cell::Empty]);
    statement_rows(&bs.liabilities, &mut rows);
    rows.push(vec!["所有者权益".into(), Cell::Empty]);
    statement_rows(&bs.equity, &mut rows);
    rows.push(vec![
        "负债和所有者权益总计".into(),
        amount(bs.total_liabilities_and_equity),
    ]);
    Table {
        title: format!("资产负债表 {}", bs.period),
        headers: vec!["项目".into(), format!("{} 余额", bs.as_of)],
        rows,
    }
}

pub fn income_statement(is: &IncomeStatement) -> Table {
    Table {
        title: format!("利润表 {}", is.period),
        headers: ["项目", "本期金额", "本年累计"].map(String::from).to_vec(),
        rows: is
            .lines
            .iter()
            .map(|l| {
                vec![
                    Cell::Text(l.label.clone()),
                    amount(l.period),
                    amount(l.year_to_date),
                ]
            })
            .collect(),
    }
}

pub fn cash_journal(j: &CashJournal) -> Table {
    let mut rows = vec![vec![
        Cell::Text(j.from.to_string()),
        Cell::Empty,
        "期初余额".into(),
        Cell::Empty,
        Cell::Empty,
        amount(j.opening),
    ]];
    for e in &j.entries {
        rows.push(vec![
            Cell::Text(e.voucher_date.to_string()),
            Cell::Text(e.voucher_no.clone()),
            Cell::Text(e.summary.clone()),
            amount(e.debit),
            amount(e.credit),
            amount(e.balance),
        ]);
    }
    rows.push(vec![
        Cell::Text(j.to.to_string()),
        Cell::Empty,
        "本期合计".into(),
        amount(j.total_debit),
        amount(j.total_credit),
        amount(j.closing),
    ]);
    Table {
        title: format!("资金日记账 {} {}", j.account_code, j.account_name),
        headers: ["日期", "凭证号", "摘要", "收入", "支出", "余额"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

pub fn fund_summary(rows: &[FundSummaryRow], from: time::Date, to: time::Date) -> Table {
    Table {
        title: format!("资金汇总 {from} 至 {to}"),
        headers: ["账户", "期初余额", "收入", "支出", "期末余额"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(format!("{} {}", r.account_code, r.account_name)),
                    amount(r.opening),
                    amount(r.debit),
                    amount(r.credit),
                    amount(r.closing),
                ]
            })
            .collect(),
    }
}
