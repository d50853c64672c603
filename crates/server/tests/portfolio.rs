//! `chedai gen portfolio` on a throw-away PostgreSQL: 300 loans, checked for the mix of
//! standings, the sub-ledger against the installments, the memo penalty, the collateral, the
//! books (they reconcile), determinism (the same seed twice gives the same book) and that the
//! daily close runs over it.

use std::path::Path;
use std::process::{Command, Output};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

const LOANS: i64 = 300;

fn chedai(url: &str, var: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chedai"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("CHEDAI_VAR_DIR", var)
        .env("CHEDAI_ADMIN_PASSWORD", "Gen-Initial-2026")
        .env("CHEDAI_DEMO_DATA", "0")
        .env("CHEDAI_LOG_FORMAT", "json")
        .output()
        .expect("chedai runs")
}

fn ok(out: Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{what} failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

async fn number(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a row")
        .try_get::<i64>("", "n")
        .expect("n")
}

async fn text(db: &DatabaseConnection, sql: &str) -> String {
    db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a row")
        .try_get::<String>("", "t")
        .expect("t")
}

/// The generated book without its ciphertexts (fresh nonces each run).
const DIGEST: &str = "SELECT md5(string_agg(concat_ws('|', l.id, l.loan_no, l.customer_id, l.principal, \
    l.annual_rate, l.method, l.term_months, l.value_date, l.status, l.settled_on, b.principal_normal, \
    b.principal_overdue, c.name, c.birth_date, c.id_number_hash, c.mobile_hash, v.vin, \
    (SELECT string_agg(concat_ws(',', i.due_date, i.principal, i.interest, i.paid_principal, \
       i.paid_interest, i.penalty_accrued, i.settled_on, i.overdue_since), ';' ORDER BY i.period) \
     FROM loan_installments i WHERE i.loan_id = l.id)), '/' ORDER BY l.id)) AS t \
    FROM loans l JOIN loan_balances b ON b.loan_id = l.id JOIN customers c ON c.id = l.customer_id \
    JOIN collateral_registrations r ON r.contract_id = l.contract_id JOIN vehicles v ON v.id = r.vehicle_id";

#[tokio::test(flavor = "multi_thread")]
async fn a_generated_portfolio_stands_as_drawn_reconciles_and_closes() {
    let pg = localpg::LocalPostgres::start_temporary().expect("a private PostgreSQL");
    let var = std::env::temp_dir().join(format!("chedai-portfolio-test-{}", std::process::id()));
    // Two days back, so the close of the business date may run (the calendar has passed it).
    let calendar = time::OffsetDateTime::now_utc().date();
    let today = calendar - time::Duration::days(2);
    let mut digests = vec![];
    for name in ["book_a", "book_b"] {
        pg.ensure_database(name).unwrap();
        let url = pg.url(name);
        ok(chedai(&url, &var, &["migrate"]), "migrate");
        let db = Database::connect(url.as_str()).await.unwrap();
        db.execute_unprepared(&format!(
            "INSERT INTO business_date (id, today, updated_at) VALUES (TRUE, '{today}', now()) \
             ON CONFLICT (id) DO UPDATE SET today = EXCLUDED.today"
        ))
        .await
        .unwrap();
        let out = ok(
            chedai(
                &url,
                &var,
                &[
                    "gen",
                    "portfolio",
                    "--loans",
                    &LOANS.to_string(),
                    "--seed",
                    "7",
                    "--chunk",
                    "100",
                ],
            ),
            "gen portfolio",
        );
        assert!(out.contains("Copied 300 loans"), "{out}");
        digests.push(text(&db, DIGEST).await);
    }
    assert_eq!(digests[0], digests[1], "the same seed gives the same book");

    let url = pg.url("book_a");
    let db = Database::connect(url.as_str()).await.unwrap();
    let t = format!("'{today}'::date");
    assert_eq!(number(&db, "SELECT count(*) AS n FROM loans").await, LOANS);
    // Nine customers for ten loans.
    assert_eq!(
        number(&db, "SELECT count(*) AS n FROM customers").await,
        270
    );
    assert_eq!(
        number(
            &db,
            "SELECT count(DISTINCT product_id) AS n FROM loan_applications"
        )
        .await,
        4
    );
    // Each loan names its application's product (the close's postings go by it).
    assert_eq!(
        number(
            &db,
            "SELECT count(*) AS n FROM loans l JOIN loan_applications a ON a.id = l.application_id \
             WHERE l.product_id <> a.product_id"
        )
        .await,
        0
    );
    assert_eq!(
        number(
            &db,
            "SELECT count(DISTINCT method) + count(DISTINCT term_months) AS n FROM loans"
        )
        .await,
        6,
        "three methods, three terms"
    );
    assert_eq!(
        number(
            &db,
            &format!(
                "SELECT count(*) AS n FROM loans WHERE principal NOT BETWEEN 30000 AND 500000 \
                 OR annual_rate NOT BETWEEN 0.10 AND 0.18 OR value_date >= {t} \
                 OR value_date < {t} - interval '36 months'"
            )
        )
        .await,
        0
    );

    // The mix, by the days past due of the oldest unpaid installment due before the business
    // date: mostly current, some in each overdue band, some settled.
    let band = |lo: i64, hi: i64| {
        format!(
            "SELECT count(*) AS n FROM (SELECT l.id, {t} - min(i.due_date) FILTER \
               (WHERE i.settled_on IS NULL AND i.due_date < {t}) AS dpd \
             FROM loans l JOIN loan_installments i ON i.loan_id = l.id \
             WHERE l.status = 'active' GROUP BY l.id) x WHERE coalesce(dpd, 0) BETWEEN {lo} AND {hi}"
        )
    };
    let current = number(&db, &band(0, 0)).await;
    let late = number(&db, &band(1, 90)).await;
    let bad = number(&db, &band(91, 360)).await;
    let lost = number(&db, &band(361, 100_000)).await;
    let settled = number(
        &db,
        "SELECT count(*) AS n FROM loans WHERE status = 'settled'",
    )
    .await;
    assert_eq!(current + late + bad + lost + settled, LOANS);
    assert!(current >= LOANS * 3 / 4, "mostly current: {current}");
    assert!(
        late >= 5 && bad >= 1 && lost >= 1 && settled >= 5,
        "each band: {late} 1–90, {bad} 91–360, {lost} > 360, {settled} settled"
    );
    assert!(late > bad && late > lost, "fewer loans the further behind");

    // Installments: paid ones exactly as scheduled and settled on their due dates; a current
    // loan owes nothing due before the business date; settled loans owe nothing at all.
    assert_eq!(
        number(
            &db,
            &format!(
                "SELECT count(*) AS n FROM loan_installments i JOIN loans l ON l.id = i.loan_id WHERE \
                 (i.settled_on IS NOT NULL AND (i.paid_principal <> i.principal OR i.paid_interest <> i.interest \
                   OR i.settled_on <> i.due_date)) \
                 OR (i.settled_on IS NULL AND (i.paid_principal <> 0 OR i.paid_interest <> 0)) \
                 OR (l.status = 'settled' AND i.settled_on IS NULL) \
                 OR (i.settled_on IS NULL AND i.due_date < {t}) <> (i.overdue_since IS NOT NULL) \
                 OR i.overdue_since <> i.due_date + 1"
            )
        )
        .await,
        0
    );
    // The sub-ledger: normal + overdue = the unpaid principal, overdue = what the close moved;
    // nothing else; settled loans all zero.
    assert_eq!(
        number(
            &db,
            "SELECT count(*) AS n FROM loan_balances b JOIN loans l ON l.id = b.loan_id JOIN ( \
               SELECT loan_id, sum(principal - paid_principal) AS unpaid, \
                 coalesce(sum(principal - paid_principal) FILTER (WHERE overdue_since IS NOT NULL), 0) AS overdue \
               FROM loan_installments GROUP BY loan_id) i ON i.loan_id = b.loan_id \
             WHERE b.principal_normal + b.principal_overdue <> i.unpaid OR b.principal_overdue <> i.overdue \
               OR b.credit_balance <> 0 OR b.interest_receivable <> 0 OR b.principal_extended <> 0 \
               OR b.principal_impaired <> 0 OR (l.status = 'settled' AND i.unpaid <> 0) \
               OR (l.status = 'active' AND i.unpaid = 0)"
        )
        .await,
        0
    );
    // Overdue loans carry 本金-逾期, but an interest-only loan owes only interest until maturity.
    let carrying = number(
        &db,
        "SELECT count(*) AS n FROM loan_balances WHERE principal_overdue > 0",
    )
    .await;
    assert!(
        carrying * 2 >= late + bad + lost && carrying <= late + bad + lost,
        "{carrying} loans carry overdue principal"
    );
    // The memo penalty and compound interest, accrued through the day before the business date
    // as RULES.md §3 computes them (multiply, then divide by the basis, round to 8 places).
    let accrued = format!(
        "FROM loan_installments i JOIN loans l ON l.id = i.loan_id WHERE i.settled_on IS NULL \
         AND i.due_date < {t} AND {t} - i.due_date > (l.terms->>'graceDays')::int"
    );
    let day = |column: &str| {
        format!(
            "round({column} * l.annual_rate * (l.terms->>'penaltyMultiplier')::numeric \
             / (l.terms->>'dayBasis')::numeric, 8) * ({t} - i.due_date)"
        )
    };
    assert!(number(&db, &format!("SELECT count(*) AS n {accrued}")).await > 20);
    assert_eq!(
        number(
            &db,
            &format!(
                "SELECT count(*) AS n {accrued} AND (i.accrued_through IS DISTINCT FROM {t} \
                 OR i.penalty_accrued <> {} OR i.compound_accrued <> {})",
                day("(i.principal - i.paid_principal)"),
                day("(i.interest - i.paid_interest)")
            )
        )
        .await,
        0
    );
    // Every loan has its car under a registered mortgage, released once settled.
    assert_eq!(
        number(
            &db,
            "SELECT count(*) AS n FROM loans l JOIN collateral_registrations r ON r.contract_id = l.contract_id \
             JOIN vehicles v ON v.id = r.vehicle_id JOIN appraisals a ON a.vehicle_id = v.id \
             JOIN loan_applications ap ON ap.id = l.application_id \
             WHERE r.kind = 'mortgage' AND (r.status = 'released') = (l.status = 'settled') \
               AND ap.vehicle_ids = ARRAY[v.id] AND v.owner_customer_id = l.customer_id \
               AND a.value * 0.8 >= l.principal"
        )
        .await,
        LOANS
    );

    // The generator skips the foreign-key triggers as a superuser: every reference holds anyway.
    db.execute_unprepared(
        "DO $$ DECLARE r record; n bigint; BEGIN \
           FOR r IN SELECT c.conrelid::regclass AS child, a.attname AS col, c.confrelid::regclass AS parent, \
               f.attname AS pcol FROM pg_constraint c \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1] \
             WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.conrelid::regclass::text IN \
               ('customers', 'vehicles', 'appraisals', 'loan_applications', 'loan_contracts', \
                'collateral_registrations', 'loans', 'loan_installments', 'loan_balances', \
                'loan_balance_history') \
           LOOP \
             EXECUTE format('SELECT count(*) FROM %s x WHERE x.%I IS NOT NULL AND NOT EXISTS \
               (SELECT 1 FROM %s p WHERE p.%I = x.%I)', r.child, r.col, r.parent, r.pcol, r.col) INTO n; \
             IF n > 0 THEN RAISE EXCEPTION '% rows of %.% point nowhere', n, r.child, r.col; END IF; \
           END LOOP; END $$",
    )
    .await
    .expect("every foreign key holds");

    // Each active loan has its current balance-history row, as a close leaves it: its figures,
    // from the day before the business date; a settled loan has none.
    assert_eq!(
        number(
            &db,
            &format!(
                "SELECT count(*) AS n FROM loans l JOIN loan_balances b ON b.loan_id = l.id \
                 LEFT JOIN loan_balance_history h ON h.loan_id = l.id AND h.valid_to IS NULL \
                 WHERE (l.status = 'active') <> (h.loan_id IS NOT NULL) OR (l.status = 'active' AND \
                   (h.valid_from, h.principal_outstanding, h.principal_overdue, h.classification) \
                   IS DISTINCT FROM ({t} - 1, b.principal_normal + b.principal_overdue, \
                     b.principal_overdue, l.classification))"
            )
        )
        .await,
        0
    );
    assert!(
        number(&db, "SELECT count(*) AS n FROM loan_balance_history").await > 250,
        "the active loans' rows"
    );

    // The books reconcile, loan by loan.
    let reconciled = ok(chedai(&url, &var, &["reconcile"]), "reconcile");
    assert!(reconciled.contains("\"ok\": true"), "{reconciled}");

    // The daily close runs over the book and the books still reconcile after it.
    let next = today + time::Duration::days(1);
    let closed = ok(
        chedai(
            &url,
            &var,
            &[
                "close-day",
                "--to",
                &next.to_string(),
                "--partition-size",
                "100",
            ],
        ),
        "close-day",
    );
    assert!(closed.contains(&format!("{today} done")), "{closed}");
    // The close's snapshot carried the generated history on: each active loan's current row
    // holds its end-of-day figures, opened on the business date where they moved (the loans
    // falling due, the classes the close set) and still the generated one where they did not.
    let history = |cond: &str| {
        format!(
            "SELECT count(*) AS n FROM loans l JOIN loan_balances b ON b.loan_id = l.id \
             JOIN loan_balance_history h ON h.loan_id = l.id AND h.valid_to IS NULL \
             WHERE l.status = 'active' AND {cond}"
        )
    };
    assert_eq!(
        number(
            &db,
            &history(
                "(h.principal_outstanding, h.principal_overdue, h.classification) IS DISTINCT FROM \
                 (b.principal_normal + b.principal_overdue, b.principal_overdue, l.classification)"
            )
        )
        .await,
        0
    );
    let moved = number(&db, &history(&format!("h.valid_from = {t}"))).await;
    let kept = number(&db, &history(&format!("h.valid_from = {t} - 1"))).await;
    assert!(
        moved > 0 && kept > moved,
        "{moved} rows opened on T, {kept} kept"
    );
    let reconciled = ok(
        chedai(&url, &var, &["reconcile"]),
        "reconcile after the close",
    );
    assert!(reconciled.contains("\"ok\": true"), "{reconciled}");
    let _ = std::fs::remove_dir_all(&var);
}
