//! The loan contract's text (借款合同) as typst markup, from the contract's snapshot alone.
//! Pure: the same contract gives the same document.

use documents::{PREAMBLE, lit};
use kernel::Money;

use super::contracts::Contract;

fn method_zh(method: calc::terms::Method) -> &'static str {
    use calc::terms::Method::*;
    match method {
        EqualInstallment => "等额本息",
        EqualPrincipal => "等额本金",
        InterestOnly => "先息后本",
        Flat => "等本等息",
        Bullet => "一次性还本付息",
        Balloon => "气球贷",
    }
}

fn yuan(m: Money) -> String {
    format!("人民币 {m} 元")
}

/// An annual fraction as a percent.
fn pct(rate: rust_decimal::Decimal) -> String {
    format!(
        "{}%",
        (rate * rust_decimal::Decimal::ONE_HUNDRED).normalize()
    )
}

pub fn markup(c: &Contract) -> String {
    let t = &c.terms;
    let s = &t.schedule;
    let mut m = String::from(PREAMBLE);
    m.push_str("#align(center)[#text(size: 18pt, weight: \"bold\")[借款合同]]\n");
    m.push_str(&format!(
        "#align(right)[合同编号：#{}]\n\n",
        lit(&c.contract_no)
    ));
    m.push_str(&format!("出借人（甲方）：#{}\n\n", lit(&t.lender_name)));
    m.push_str(&format!(
        "借款人（乙方）：#{}　证件号码：#{}\n\n",
        lit(&t.borrower_name),
        lit(t.borrower_id_number.as_deref().unwrap_or("—"))
    ));
    if !t.guarantor_names.is_empty() {
        m.push_str(&format!(
            "保证人（丙方）：#{}\n\n",
            lit(&t.guarantor_names.join("、"))
        ));
    }
    m.push_str(&format!(
        "申请编号：#{}　产品：#{}（条款版本 {}）\n\n",
        lit(&t.application_no),
        lit(&t.product_name),
        t.product_version
    ));
    m.push_str("== 第一条　借款要素\n");
    m.push_str("#table(columns: (auto, 1fr), stroke: 0.5pt, inset: 6pt,\n");
    let rows: Vec<(&str, String)> = vec![
        ("借款金额", yuan(t.amount)),
        ("借款用途", t.purpose.clone()),
        ("借款期限", format!("{} 个月", t.term_months)),
        ("计划放款日", c.planned_disbursement_date.to_string()),
        ("还款方式", method_zh(t.method).into()),
        ("年利率", pct(t.annual_rate.value())),
        ("计息基础", format!("一年按 {} 天计", t.day_basis)),
        (
            "逾期罚息",
            format!(
                "按合同利率的 {} 倍计收，宽限期 {} 天",
                t.penalty_multiplier, t.grace_days
            ),
        ),
        ("签约时一次性费用", yuan(t.upfront_fees)),
        ("每期费用", yuan(t.period_fees)),
    ];
    for (k, v) in rows {
        m.push_str(&format!("  [{k}], [#{}],\n", lit(&v)));
    }
    m.push_str(")\n\n");
    m.push_str("== 第二条　综合年化成本披露\n");
    m.push_str(&format!(
        "按本合同约定的利息及全部费用计算，本借款的年化利率（单利，IRR）为 #{}，复利年化利率为 #{}。利息总额 #{}，费用总额 #{}。\n\n",
        lit(&format!("{}%", s.apr_simple_pct)),
        lit(&format!("{}%", s.apr_compound_pct)),
        lit(&yuan(s.total_interest)),
        lit(&yuan(s.total_fees)),
    ));
    m.push_str("== 第三条　抵（质）押车辆\n");
    m.push_str("#table(columns: (auto, 1fr, auto), stroke: 0.5pt, inset: 6pt,\n  [*车架号*], [*车辆*], [*评估价值*],\n");
    for v in &t.vehicles {
        m.push_str(&format!(
            "  [#{}], [#{}], [#{}],\n",
            lit(&v.vin),
            lit(&v.description),
            lit(&v.appraised_value.map(yuan).unwrap_or_else(|| "—".into()))
        ));
    }
    m.push_str(")\n\n");
    m.push_str("== 第四条　还款计划（自计划放款日起草拟，以实际放款起息日为准）\n");
    m.push_str("#table(columns: (auto, auto, 1fr, 1fr, 1fr, 1fr), stroke: 0.5pt, inset: 4pt, align: right,\n  [*期数*], [*还款日*], [*本金*], [*利息*], [*本息合计*], [*剩余本金*],\n");
    for row in &s.installments {
        m.push_str(&format!(
            "  [{}], [{}], [{}], [{}], [{}], [{}],\n",
            row.period,
            row.due_date,
            row.principal,
            row.interest,
            row.total,
            row.remaining_principal
        ));
    }
    m.push_str(&format!(
        "  [*合计*], [], [*{}*], [*{}*], [*{}*], [],\n)\n\n",
        s.total_principal, s.total_interest, s.total_payment
    ));
    m.push_str("== 第五条　其他约定\n");
    m.push_str("乙方未按期足额还款的，甲方有权就逾期本金计收罚息，就逾期利息计收复利。抵（质）押车辆的处置以评估、拍卖或变卖所得价款优先受偿，余款退还乙方；约定车辆于违约时直接归甲方所有的条款无效。\n\n");
    m.push_str("#v(2em)\n#grid(columns: (1fr, 1fr), gutter: 2em,\n  [甲方（盖章）：\\ \\ 日期：], [乙方（签字）：\\ \\ 日期：],\n)\n");
    if let (Some(on), Some(place)) = (c.signed_on, &c.signed_place) {
        m.push_str(&format!(
            "\n签约日期：{}　签约地点：#{}　见证人：#{}\n",
            on,
            lit(place),
            lit(&c.witnesses.join("、"))
        ));
    }
    m
}
