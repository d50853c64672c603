#!/usr/bin/env python3
"""Golden tables for crates/calc, computed independently from shared/RULES.md.

Written from the rules' formulas with Python's decimal module (60 significant digits,
ROUND_HALF_UP to the fen), never from the Rust code's output. It writes JSON fixtures that
crates/calc/tests/golden.rs feeds to the calculator and compares field by field.

    python3 tools/golden/golden.py            # rewrite crates/calc/tests/golden/*.json
    python3 tools/golden/golden.py --check    # fail if the fixtures on disk differ

Each case is {"name", "request", "expected"}: the request in the calculator's JSON shape, and
the expected answer (only the fields listed are compared).
"""

import calendar
import datetime as dt
import json
import sys
from decimal import ROUND_HALF_UP, Decimal as D, getcontext
from pathlib import Path

getcontext().prec = 60

OUT = Path(__file__).resolve().parents[2] / "crates" / "calc" / "tests" / "golden"
CENT = D("0.01")


# --- RULES.md §1: conventions -------------------------------------------------------------

def rnd(x, places=CENT):
    """round(): half-up (四舍五入) to the fen, or to `places`.

    Interest is always written P × i × span / divisor, multiplying before dividing, so an
    exact half fen (0.60 × 0.1 / 12 = 0.005) is seen as one and rounds up."""
    return x.quantize(places, rounding=ROUND_HALF_UP)


def money(x):
    return str(rnd(x))


def parse(s):
    return dt.date.fromisoformat(s)


def add_months(anchor, months):
    """对月对日: the anchor's day, or the month's last day; always from the anchor."""
    total = anchor.year * 12 + anchor.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def days(a, b):
    """算头不算尾: end − start."""
    return (b - a).days


def first_due(start, day, min_days):
    """§2.7: first date after the start with that day leaving at least min_days, else a month on."""
    c = start + dt.timedelta(days=1)
    while c.day != day:
        c += dt.timedelta(days=1)
    if days(start, c) < min_days:
        c = add_months(c, 1)
    return c


# --- RULES.md §2: schedules ---------------------------------------------------------------

def terms(req):
    t = {
        "method": req["method"],
        "P": D(req["principal"]),
        "i": D(req["annualRate"]),
        "n": req["termMonths"],
        "start": parse(req["startDate"]),
        "rd": req.get("repaymentDay"),
        "basis": D(req.get("dayBasis", 360)),
        "ratio": D(req["balloonRatio"]) if "balloonRatio" in req else None,
        "bullet": req.get("bulletInterest", "months"),
        "min_days": req.get("minFirstPeriodDays", 10),
    }
    t["r"] = t["i"] / 12
    return t


def calendar_of(t):
    """[(start, due)] per period, and whether period 1 is broken."""
    n, start = t["n"], t["start"]
    if t["method"] == "bullet":
        return [(start, add_months(start, n))], False
    if t["rd"] is None:
        dues = [add_months(start, k) for k in range(1, n + 1)]
        broken = False
    else:
        first = first_due(start, t["rd"], t["min_days"])
        dues = [add_months(first, k) for k in range(n)]
        broken = start.day != t["rd"]
    starts = [start] + dues[:-1]
    return list(zip(starts, dues)), broken


def schedule(req):
    t = terms(req)
    P, r, i, n = t["P"], t["r"], t["i"], t["n"]
    periods, broken = calendar_of(t)
    d1 = days(*periods[0])
    day_interest_1 = rnd(P * i * d1 / t["basis"])
    m = t["method"]
    rows = []  # (principal, interest)
    if m in ("equal_installment", "balloon"):
        if m == "equal_installment":
            if r == 0:
                pmt = rnd(P / n)
            else:
                g = (1 + r) ** n
                pmt = rnd(P * r * g / (g - 1))
        else:
            B = rnd(P * t["ratio"])
            if r == 0:
                pmt = rnd((P - B) / n)
            else:
                v_n = (1 / (1 + r)) ** n
                pmt = rnd((P - B * v_n) * r / (1 - v_n))
        bal = P
        for k in range(1, n + 1):
            interest = rnd(bal * i / 12)
            principal = bal if k == n else pmt - interest
            if k == 1 and broken:
                interest = day_interest_1
            rows.append((principal, interest))
            bal -= principal
    elif m == "equal_principal":
        per = rnd(P / n)
        bal = P
        for k in range(1, n + 1):
            interest = day_interest_1 if (k == 1 and broken) else rnd(bal * i / 12)
            principal = bal if k == n else per
            rows.append((principal, interest))
            bal -= principal
    elif m == "interest_only":
        for k in range(1, n + 1):
            interest = day_interest_1 if (k == 1 and broken) else rnd(P * i / 12)
            rows.append((P if k == n else D(0), interest))
    elif m == "flat":
        per = rnd(P / n)
        bal = P
        for k in range(1, n + 1):
            interest = day_interest_1 if (k == 1 and broken) else rnd(P * i / 12)
            principal = bal if k == n else per
            rows.append((principal, interest))
            bal -= principal
    elif m == "bullet":
        if t["bullet"] == "months":
            interest = rnd(P * i * n / 12)
        else:
            interest = rnd(P * i * d1 / t["basis"])
        rows.append((P, interest))
    out, bal = [], P
    for k, ((s, due), (pr, it)) in enumerate(zip(periods, rows), start=1):
        bal -= pr
        out.append({"period": k, "start": s, "dueDate": due, "principal": pr,
                    "interest": it, "total": pr + it, "remainingPrincipal": bal})
    return t, out, broken


# --- RULES.md §5: APR ---------------------------------------------------------------------

def apr(net, payments, first_t):
    """Bisection on 0 = −net + Σ c_k (1+r)^−t_k, t_k = t_1 + (k − 1) months.

    t_1 is 1 for a whole month, d/30 for a broken first period of d days, and n for a bullet,
    whose one payment falls n months after the start."""
    def t_of(k):
        return first_t + (k - 1)

    def npv(r):
        return -net + sum(c * (1 + r) ** (-t_of(k)) for k, c in enumerate(payments, start=1))

    if npv(D(0)) <= 0:
        return D(0)
    lo, hi = D(0), D(1)
    for _ in range(200):
        mid = (lo + hi) / 2
        if npv(mid) > 0:
            lo = mid
        else:
            hi = mid
    r = (lo + hi) / 2
    return r


def pct4(x):
    return str(rnd(x * 100, D("0.0001")))


def schedule_case(name, req):
    t, rows, broken = schedule(req)
    upfront = D(req.get("upfrontFees", "0"))
    per_fee = D(req.get("periodFees", "0"))
    if t["method"] == "bullet":
        first_t = D(t["n"])
    elif broken:
        first_t = D(days(rows[0]["start"], rows[0]["dueDate"])) / 30
    else:
        first_t = D(1)
    r = apr(t["P"] - upfront, [row["total"] + per_fee for row in rows], first_t)
    expected = {
        "installments": [
            {"period": x["period"], "dueDate": x["dueDate"].isoformat(),
             "principal": money(x["principal"]), "interest": money(x["interest"]),
             "total": money(x["total"]), "remainingPrincipal": money(x["remainingPrincipal"])}
            for x in rows
        ],
        "totalPrincipal": money(sum(x["principal"] for x in rows)),
        "totalInterest": money(sum(x["interest"] for x in rows)),
        "totalPayment": money(sum(x["total"] for x in rows)),
        "aprSimplePct": pct4(12 * r),
        "aprCompoundPct": pct4((1 + r) ** 12 - 1),
    }
    return {"name": name, "request": req, "expected": expected}


# --- RULES.md §3: penalty and compound interest -------------------------------------------

def penalty_of(base, i, mult, basis, charged_days):
    daily = rnd(base * i * mult / basis, D("0.00000001"))  # kept to 8 places
    return rnd(daily * charged_days)


def overdue_lines(t, rows, paid, as_of, mult, grace):
    lines = []
    for x in rows[paid:]:
        if x["dueDate"] >= as_of:
            break
        od = days(x["dueDate"], as_of)
        charged = od if od > grace else 0
        lines.append({
            "period": x["period"], "dueDate": x["dueDate"].isoformat(), "overdueDays": od,
            "overduePrincipal": x["principal"], "overdueInterest": x["interest"],
            "penaltyInterest": penalty_of(x["principal"], t["i"], mult, t["basis"], charged),
            "compoundInterest": penalty_of(x["interest"], t["i"], mult, t["basis"], charged),
        })
    return lines


def risk_class(dpd):
    if dpd == 0:
        return "normal"
    if dpd <= 90:
        return "special_mention"
    if dpd <= 270:
        return "substandard"
    if dpd <= 360:
        return "doubtful"
    return "loss"


def overdue_case(name, req):
    t, rows, _ = schedule(req)
    lines = overdue_lines(t, rows, req["installmentsPaid"], parse(req["asOf"]),
                          D(req["penaltyMultiplier"]), req.get("graceDays", 0))
    dpd = max((x["overdueDays"] for x in lines), default=0)
    cure = sum(x["overduePrincipal"] + x["overdueInterest"] + x["penaltyInterest"]
               + x["compoundInterest"] for x in lines)
    return {"name": name, "request": req, "expected": {
        "installments": [{k: (money(v) if isinstance(v, D) else v) for k, v in x.items()}
                         for x in lines],
        "totalPenaltyInterest": money(sum((x["penaltyInterest"] for x in lines), D(0))),
        "totalCompoundInterest": money(sum((x["compoundInterest"] for x in lines), D(0))),
        "daysPastDue": dpd,
        "riskClass": risk_class(dpd),
        "amountToCure": money(D(cure)),
    }}


# --- RULES.md §6: payoff ------------------------------------------------------------------

def payoff_case(name, req):
    t, rows, _ = schedule(req)
    when = parse(req["payoffDate"])
    paid = req["installmentsPaid"]
    mult = D(req.get("penaltyMultiplier", "1.5"))
    due = [x for x in rows if x["dueDate"] <= when]
    unpaid_due = due[paid:]
    lines = overdue_lines(t, rows, paid, when, mult, req.get("graceDays", 0))
    pen = sum((x["penaltyInterest"] for x in lines), D(0))
    comp = sum((x["compoundInterest"] for x in lines), D(0))
    a = sum((x["principal"] + x["interest"] for x in unpaid_due), D(0)) + pen + comp
    b = sum((x["principal"] for x in rows if x["dueDate"] > when), D(0))
    since = due[-1]["dueDate"] if due else t["start"]
    d = days(since, when)
    basis = req.get("payoffBasis", "remaining")
    if d == 0 or b == 0:
        c = D(0)
    elif basis == "remaining":
        c = rnd(b * t["i"] * d / t["basis"])
    elif basis == "original":
        c = rnd(t["P"] * t["i"] * d / t["basis"])
    else:
        c = rnd(t["P"] * t["i"] / 12)
    fee = D(0)
    rule = req.get("prepaymentFee")
    if rule and b > 0:
        free_from = rule.get("freeAfterMonths")
        if free_from is None or when < add_months(t["start"], free_from):
            if rule["kind"] == "percent_of_remaining":
                fee = rnd(D(rule["rate"]) * b)
            elif rule["kind"] == "months_interest":
                fee = rule["months"] * rnd(b * t["i"] / 12)
            if "cap" in rule:
                fee = min(fee, D(rule["cap"]))
    return {"name": name, "request": req, "expected": {
        "dueAmount": money(a), "penaltyInterest": money(pen), "compoundInterest": money(comp),
        "remainingPrincipal": money(b), "interestFromDate": since.isoformat(),
        "accruedDays": d, "accruedInterest": money(c), "fee": money(fee),
        "payoffAmount": money(a + b + c + fee),
    }}


# --- The cases ----------------------------------------------------------------------------

def loan(method, principal, rate, n, start, **extra):
    req = {"method": method, "principal": principal, "annualRate": rate, "termMonths": n,
           "startDate": start}
    req.update(extra)
    return req


SCHEDULES = [
    ("annuity_month_end_start_with_fee", loan("equal_installment", "100000.00", "0.12", 12,
                                              "2026-01-31", upfrontFees="1000.00")),
    ("annuity_23_99_pct_36_months", loan("equal_installment", "100000", "0.2399", 36, "2026-03-15")),
    ("annuity_one_month", loan("equal_installment", "50000", "0.10", 1, "2026-01-31")),
    ("annuity_broken_first_period_short", loan("equal_installment", "80000", "0.0888", 24,
                                               "2026-01-05", repaymentDay=20)),
    ("annuity_broken_first_period_long_365", loan("equal_installment", "80000", "0.0888", 24,
                                                  "2026-01-15", repaymentDay=20, dayBasis=365)),
    ("annuity_start_on_repayment_day", loan("equal_installment", "30000", "0.15", 6,
                                            "2026-03-20", repaymentDay=20)),
    ("annuity_zero_rate", loan("equal_installment", "36000", "0", 12, "2026-01-15")),
    ("annuity_360_months_leap_month_end", loan("equal_installment", "1000000", "0.049", 360,
                                               "2027-12-31")),
    ("annuity_small_23_99_pct", loan("equal_installment", "1000.01", "0.2399", 12, "2026-02-28",
                                     periodFees="5.00")),
    ("equal_principal_month_end", loan("equal_principal", "120000", "0.0735", 24, "2026-01-30")),
    ("equal_principal_broken_with_fees", loan("equal_principal", "99999.99", "0.2399", 12,
                                              "2026-02-10", repaymentDay=25, periodFees="50.00")),
    ("equal_principal_one_month", loan("equal_principal", "10000", "0.2399", 1, "2026-01-31")),
    ("interest_only_month_end", loan("interest_only", "200000", "0.15", 12, "2026-05-31")),
    ("interest_only_exact_half_fen", loan("interest_only", "0.60", "0.1", 3, "2026-01-31")),
    ("interest_only_broken_moved_a_month", loan("interest_only", "200000", "0.15", 12,
                                                "2026-06-03", repaymentDay=10)),
    ("flat_36_months_with_fee", loan("flat", "100000", "0.072", 36, "2026-01-31",
                                     upfrontFees="2000.00")),
    ("flat_broken_first_period", loan("flat", "60000", "0.0999", 24, "2026-04-12",
                                      repaymentDay=1, minFirstPeriodDays=15)),
    ("bullet_by_months", loan("bullet", "50000", "0.12", 6, "2026-01-31")),
    ("bullet_by_days_365", loan("bullet", "50000", "0.12", 6, "2026-01-31",
                                bulletInterest="days", dayBasis=365)),
    ("bullet_by_days_leap_february", loan("bullet", "30000", "0.2399", 3, "2023-11-30",
                                          bulletInterest="days")),
    ("balloon_30_pct", loan("balloon", "150000", "0.099", 36, "2026-01-31", balloonRatio="0.3")),
    ("balloon_broken_first_period", loan("balloon", "150000", "0.099", 24, "2026-01-08",
                                         balloonRatio="0.25", repaymentDay=15)),
    ("balloon_zero_rate", loan("balloon", "30000", "0", 12, "2026-01-31", balloonRatio="0.2")),
]

BASE = loan("equal_installment", "100000.00", "0.12", 12, "2026-01-31")
FLAT = loan("flat", "100000", "0.072", 24, "2026-01-31")

PAYOFFS = [
    ("between_due_dates", dict(BASE, installmentsPaid=3, payoffDate="2026-05-15")),
    ("on_a_paid_due_date", dict(BASE, installmentsPaid=3, payoffDate="2026-04-30")),
    ("on_an_unpaid_due_date", dict(BASE, installmentsPaid=2, payoffDate="2026-04-30")),
    ("with_overdue_installment_and_capped_fee",
     dict(BASE, installmentsPaid=2, payoffDate="2026-05-15",
          prepaymentFee={"kind": "percent_of_remaining", "rate": "0.02", "cap": "1500.00"})),
    ("months_interest_fee", dict(BASE, installmentsPaid=5, payoffDate="2026-07-10",
                                 prepaymentFee={"kind": "months_interest", "months": 2})),
    ("fee_free_after_months", dict(BASE, installmentsPaid=6, payoffDate="2026-08-10",
                                   prepaymentFee={"kind": "percent_of_remaining", "rate": "0.03",
                                                  "freeAfterMonths": 6})),
    ("before_first_due_date", dict(BASE, installmentsPaid=0, payoffDate="2026-02-20")),
    ("flat_remaining_basis", dict(FLAT, installmentsPaid=4, payoffDate="2026-06-12")),
    ("flat_original_basis", dict(FLAT, installmentsPaid=4, payoffDate="2026-06-12",
                                 payoffBasis="original")),
    ("flat_next_period_basis", dict(FLAT, installmentsPaid=4, payoffDate="2026-06-12",
                                    payoffBasis="next_period")),
    ("bullet_by_days", dict(loan("bullet", "50000", "0.12", 6, "2026-01-31", bulletInterest="days"),
                            installmentsPaid=0, payoffDate="2026-04-01")),
    ("broken_first_period_365", dict(loan("equal_principal", "80000", "0.0888", 24, "2026-01-05",
                                          repaymentDay=20, dayBasis=365),
                                     installmentsPaid=0, payoffDate="2026-01-15")),
    ("after_maturity_all_overdue", dict(loan("equal_installment", "10000", "0.2399", 3,
                                             "2026-01-31"),
                                        installmentsPaid=1, payoffDate="2026-06-10",
                                        penaltyMultiplier="1.3")),
]

OVERDUE = [
    ("two_installments_past_due", dict(BASE, installmentsPaid=2, asOf="2026-06-15",
                                       penaltyMultiplier="1.5")),
    ("within_grace", dict(BASE, installmentsPaid=3, asOf="2026-05-03", penaltyMultiplier="1.5",
                          graceDays=3)),
    ("just_past_grace", dict(BASE, installmentsPaid=3, asOf="2026-05-04", penaltyMultiplier="1.5",
                             graceDays=3)),
    ("substandard_365_basis", dict(loan("equal_installment", "88888.88", "0.2399", 24,
                                        "2025-01-31", dayBasis=365),
                                   installmentsPaid=5, asOf="2026-01-15",
                                   penaltyMultiplier="1.3")),
    ("flat_misuse_multiplier", dict(FLAT, installmentsPaid=1, asOf="2026-05-20",
                                    penaltyMultiplier="2.0")),
    ("nothing_past_due", dict(BASE, installmentsPaid=2, asOf="2026-03-31",
                              penaltyMultiplier="1.5")),
    ("loss_after_maturity", dict(loan("interest_only", "50000", "0.18", 6, "2024-01-31"),
                                 installmentsPaid=0, asOf="2025-09-01", penaltyMultiplier="1.5")),
]


def main():
    files = {
        "schedules.json": [schedule_case(n, r) for n, r in SCHEDULES],
        "payoffs.json": [payoff_case(n, r) for n, r in PAYOFFS],
        "overdue.json": [overdue_case(n, r) for n, r in OVERDUE],
        "apr.json": [{
            "name": "rules_md_public_example",
            "netAdvance": "99000.00", "payments": ["8833.30"] * 12,
            "expected": {"aprSimplePct": pct4(12 * apr(D(99000), [D("8833.30")] * 12, D(1))),
                         "aprCompoundPct": pct4((1 + apr(D(99000), [D("8833.30")] * 12, D(1))) ** 12 - 1)},
        }],
    }
    check = "--check" in sys.argv
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, cases in files.items():
        text = json.dumps(cases, indent=1, ensure_ascii=False) + "\n"
        path = OUT / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        sys.exit(f"golden fixtures differ from the script: {', '.join(stale)}")


if __name__ == "__main__":
    main()
