//! XLSX export (rust_xlsxwriter): one sheet, a title row, a header row, then the rows. Amounts
//! are written as numbers with two decimals so a spreadsheet can add them up; the conversion
//! happens here, at the file format's edge, and only for display — nothing computed in Chedai
//! passes through it.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Amount(Decimal),
    Integer(i64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

/// A table to export.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The sheet's name (31 characters at most) and the title row.
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The workbook's bytes.
pub fn render(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name: String = table
        .title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if !name.is_empty() {
        sheet.set_name(name)?;
    }
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    sheet.write_string_with_format(0, 0, &table.title, &bold)?;
    for (c, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, h, &bold)?;
        sheet.set_column_width(c as u16, 16)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(r, c, s)?;
                }
                Cell::Amount(d) => {
                    sheet.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), &money)?;
                }
                Cell::Integer(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Empty => {}
            }
        }
    }
    book.save_to_buffer()
}

/// An amount as a statement prints it: thousands separated, two decimals ("1,234,567.89").
pub fn format_amount(d: Decimal) -> String {
    let text = format!("{:.2}", d.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (k, ch) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if d.is_sign_negative() && !d.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}.{fraction}")
}

/// The same table as a printable A4 PDF (landscape when it is wide), with `subtitle` under
/// the title (the period, the lender).
pub fn table_pdf(table: &Table, subtitle: &str) -> Result<Vec<u8>, crate::DocumentError> {
    use crate::lit;
    let wide = table.headers.len() > 5;
    let mut m = String::from(crate::PREAMBLE);
    if wide {
        m.push_str("#set page(flipped: true)\n");
    }
    m.push_str("#set text(size: 9pt)\n");
    m.push_str(&format!(
        "#align(center)[#text(size: 15pt, weight: \"bold\")[#{}]]\n#align(center)[#{}]\n#v(0.6em)\n",
        lit(&table.title),
        lit(subtitle)
    ));
    let columns: Vec<&str> = table
        .headers
        .iter()
        .enumerate()
        .map(|(k, _)| if k == 0 { "auto" } else { "1fr" })
        .collect();
    m.push_str(&format!(
        "#table(columns: ({}), stroke: 0.4pt, inset: 4pt, align: (x, y) => if x == 0 {{ left }} else {{ right }},\n",
        columns.join(", ")
    ));
    let headers: Vec<String> = table
        .headers
        .iter()
        .map(|h| format!("[*#{}*]", lit(h)))
        .collect();
    m.push_str(&format!("  table.header({}),\n", headers.join(", ")));
    for row in &table.rows {
        for cell in row {
            let text = match cell {
                Cell::Text(s) => s.clone(),
                Cell::Amount(d) => format_amount(*d),
                Cell::Integer(n) => n.to_string(),
                Cell::Empty => String::new(),
            };
            m.push_str(&format!("  [#{}],\n", lit(&text)));
        }
    }
    m.push_str(")\n");
    crate::render_pdf(&m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_becomes_a_zip_workbook() {
        let t = Table {
            title: "科目余额表 2026-04".into(),
            headers: vec!["科目".into(), "期末余额".into()],
            rows: vec![vec![
                "1002 银行存款".into(),
                Cell::Amount(Decimal::new(450098, 2)),
            ]],
        };
        let bytes = render(&t).unwrap();
        assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");
        assert!(bytes.len() > 1000);
    }

    #[test]
    fn a_table_prints_as_a_pdf_with_chinese_text() {
        let t = Table {
            title: "资产负债表".into(),
            headers: vec!["项目".into(), "期末余额".into()],
            rows: vec![vec![
                "货币资金".into(),
                Cell::Amount(Decimal::new(450098, 2)),
            ]],
        };
        let pdf = table_pdf(&t, "2026-04").unwrap();
        assert_eq!(&pdf[..5], b"%PDF-");
    }

    #[test]
    fn amounts_print_with_thousands_separators() {
        assert_eq!(format_amount(Decimal::new(123456789, 2)), "1,234,567.89");
        assert_eq!(format_amount(Decimal::new(-9682000, 2)), "-96,820.00");
        assert_eq!(format_amount(Decimal::new(5, 2)), "0.05");
        assert_eq!(format_amount(Decimal::new(100000, 0)), "100,000.00");
    }
}
