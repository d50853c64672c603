//! Due notices (待收利息打印 / 待收咨询费打印): a printable letter per loan listing the
//! installments falling due in a date range — principal, interest and the per-period fees
//! (咨询费) still unpaid — for the customer managers to send or hand over.

use rust_decimal::Decimal;
use sea_orm::{DbBackend, FromQueryResult, Statement, Value};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;

use documents::xlsx::format_amount;
use documents::{PREAMBLE, lit};
use iam::Actor;
use iam::service::scope;
use iam::service::sql::Where;
use kernel::{AppError, AppResult};
use ledgers::service::business_date;

use super::{LoansContext, contracts, db_error};

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DueNoticeQuery {
    /// Installments due from this day …
    pub from: Date,
    /// … to this day, inclusive (at most 92 days).
    pub to: Date,
    /// One loan only.
    pub loan_id: Option<i64>,
}

#[derive(FromQueryResult)]
struct Row {
    loan_id: i64,
    loan_no: String,
    customer_name: String,
    period: i32,
    due_date: Date,
    principal: Decimal,
    interest: Decimal,
    fees: Decimal,
}

/// The notices as one PDF, a page per loan; `None` when nothing falls due in the range.
pub async fn pdf(
    ctx: &LoansContext,
    actor: &Actor,
    q: &DueNoticeQuery,
) -> AppResult<Option<Vec<u8>>> {
    if q.to < q.from || (q.to - q.from).whole_days() > 92 {
        return Err(AppError::invalid_field(
            "to",
            "bad_range",
            "the range runs forward and covers at most 92 days",
        ));
    }
    let mut w = Where::new();
    w.and(
        "i.due_date BETWEEN $? AND $?",
        [Value::from(q.from), Value::from(q.to)],
    );
    w.and("i.settled_on IS NULL AND l.status = 'active'", []);
    scope::restrict(&mut w, actor, "l.department_id", "l.manager_id = $?");
    if let Some(id) = q.loan_id {
        w.and("l.id = $?", [Value::from(id)]);
    }
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT l.id AS loan_id, l.loan_no, c.name AS customer_name, i.period, i.due_date, \
             i.principal - i.paid_principal AS principal, i.interest - i.paid_interest AS interest, \
             i.fees - i.paid_fees AS fees \
             FROM loan_installments i JOIN loans l ON l.id = i.loan_id JOIN customers c ON c.id = l.customer_id \
             WHERE {} ORDER BY l.loan_no, i.period LIMIT 20000",
            w.sql()
        ),
        w.values(),
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let today = business_date::today(&ctx.db, &ctx.clock).await?;
    let markup = notices(&rows, today, &contracts::lender_name());
    documents::render_pdf(&markup)
        .map(Some)
        .map_err(|e| match e {
            documents::DocumentError::NoFont(_) => AppError::new(
                kernel::ErrorKind::Internal,
                "font_missing",
                "the server lacks the Chinese fonts (fonts-noto-cjk)",
            ),
            other => AppError::internal(other),
        })
}

fn notices(rows: &[Row], today: Date, lender: &str) -> String {
    let mut m = String::from(PREAMBLE);
    let mut first = true;
    for loan in rows.chunk_by(|a, b| a.loan_id == b.loan_id) {
        if !first {
            m.push_str("#pagebreak()\n");
        }
        first = false;
        let head = &loan[0];
        m.push_str(&format!(
            "#align(center)[#text(size: 16pt, weight: \"bold\")[还款通知书]]\n#v(0.8em)\n\
             尊敬的 #{} ：\n\n您在我司的借款（借据号 #{}）以下款项即将到期，请按期足额还款。\n#v(0.5em)\n",
            lit(&head.customer_name),
            lit(&head.loan_no)
        ));
        m.push_str(
            "#table(columns: (auto, auto, 1fr, 1fr, 1fr, 1fr), stroke: 0.4pt, inset: 5pt,\n",
        );
        m.push_str("  align: (x, y) => if x < 2 { center } else { right },\n");
        m.push_str(
            "  table.header([*期次*], [*应还日*], [*本金*], [*利息*], [*咨询费*], [*合计*]),\n",
        );
        let mut total = Decimal::ZERO;
        for r in loan {
            let sum = r.principal + r.interest + r.fees;
            total += sum;
            m.push_str(&format!(
                "  [{}], [{}], [{}], [{}], [{}], [{}],\n",
                r.period,
                r.due_date,
                format_amount(r.principal),
                format_amount(r.interest),
                format_amount(r.fees),
                format_amount(sum)
            ));
        }
        m.push_str(&format!(
            "  table.cell(colspan: 5)[*应还合计*], [*{}*],\n)\n",
            format_amount(total)
        ));
        m.push_str(&format!(
            "#v(1.5em)\n如已还款，请忽略本通知。\n#v(2em)\n#align(right)[#{}\\ {}]\n",
            lit(lender),
            today
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    #[test]
    fn each_loan_gets_its_own_page_with_its_total() {
        let row = |loan_id, no: &str, period, principal, interest| Row {
            loan_id,
            loan_no: no.into(),
            customer_name: "借款人甲".into(),
            period,
            due_date: date!(2026 - 04 - 10),
            principal,
            interest,
            fees: dec!(0),
        };
        let m = notices(
            &[
                row(1, "L1", 1, dec!(3707.35), dec!(1000.00)),
                row(2, "L2", 3, dec!(100), dec!(1)),
            ],
            date!(2026 - 04 - 01),
            "某小贷公司",
        );
        assert_eq!(m.matches("#pagebreak()").count(), 1);
        assert!(m.contains("[*4,707.35*]"));
        assert!(m.contains("[*101.00*]"));
    }
}
