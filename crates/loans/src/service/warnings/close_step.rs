//! 预警 in the daily close (DESIGN.md §6, "raise warnings"): one set-based statement over the
//! active loans whose ids fall in [lo, hi), in the caller's transaction, raising a warning per
//! enabled rule whose condition holds at the end of the closing day:
//!
//! - `dpd`: days past due = closing date + 1 − the oldest unpaid due date on or before it (as
//!   the overdue transfer counts them); the highest threshold met only, so a loan found 95 days
//!   late raises the 90-day warning, not all three. Subject: that oldest due date (the overdue
//!   episode).
//! - `maturity`: the maturity date is after the closing date and within `days` of it. Subject:
//!   the maturity date.
//! - `insurance` / `inspection`: a car held for the loan (a live mortgage or pledge) whose
//!   insurance or annual inspection expires within `days` of the closing date, or has expired.
//!   Subject: the car and the expiry date (a renewal that moves the date starts a new one).
//! - `gps_offline`: a device fitted for the loan's contract that has reported through the feed
//!   and has said nothing online for `days` (devices that never reported are not judged).
//!   Subject: the IMEI and the day it was last online.
//! - `blacklist`: an entry in force on the closing date, added after the loan was made, naming
//!   the borrower's ID number (or an enterprise's legal representative's) or mobile. Subject:
//!   the entry. Credit codes are kept in clear on customers and hashed on the blacklist, so an
//!   enterprise's own credit code is not matched here.
//!
//! Raising is idempotent: a warning not yet closed for the same loan, rule and subject is never
//! duplicated (the unique index `warnings_live_key`), and one closed already is not raised
//! again for the same occurrence — a new occurrence (a new overdue episode, a new expiry date,
//! a device gone silent again) raises afresh.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait, Value};
use time::{Date, OffsetDateTime};

use kernel::{AppError, AppResult, SharedClock};

use super::super::db_error;

// `oldest` is MATERIALIZED: inlined, PostgreSQL planned the three DPD rules as the outer side
// of a nested loop and grouped the partition's unpaid installments once per rule.
const RAISE: &str = "\
WITH rules AS ( \
  SELECT code, kind, days, level FROM warning_rules WHERE enabled \
), scope AS ( \
  SELECT l.id, l.customer_id, l.contract_id, l.maturity_date, l.department_id, l.created_at \
  FROM loans l WHERE l.status = 'active' AND l.id >= $2 AND l.id < $3 \
), oldest AS MATERIALIZED ( \
  SELECT i.loan_id, min(i.due_date) AS due_date FROM loan_installments i JOIN scope s ON s.id = i.loan_id \
  WHERE i.loan_id >= $2 AND i.loan_id < $3 AND i.settled_on IS NULL AND i.due_date <= $1::date \
  GROUP BY i.loan_id \
), dpd AS ( \
  SELECT DISTINCT ON (o.loan_id) o.loan_id, r.code, r.kind, r.level, \
    'due:' || to_char(o.due_date, 'YYYY-MM-DD') AS subject, \
    jsonb_build_object('daysPastDue', $1::date + 1 - o.due_date, 'oldestDueDate', o.due_date) AS facts \
  FROM oldest o JOIN rules r ON r.kind = 'dpd' AND $1::date + 1 - o.due_date >= r.days \
  ORDER BY o.loan_id, r.days DESC \
), held AS ( \
  SELECT s.id AS loan_id, v.id AS vehicle_id, v.plate, v.insurance_expires_on, v.inspection_expires_on \
  FROM scope s JOIN collateral_registrations c ON c.contract_id = s.contract_id AND c.status = 'registered' \
  JOIN vehicles v ON v.id = c.vehicle_id \
), devices AS ( \
  SELECT s.id AS loan_id, g.imei, (coalesce(d.last_online_at, d.first_reported_at) AT TIME ZONE 'UTC')::date AS since \
  FROM scope s JOIN gps_devices g ON g.contract_id = s.contract_id AND g.status = 'installed' \
  JOIN gps_device_status d ON d.device_id = g.id \
), listed AS ( \
  SELECT s.id AS loan_id, e.id AS entry_id, e.subject_kind, e.reason, e.effective_on \
  FROM scope s JOIN customers c ON c.id = s.customer_id \
  JOIN blacklist_entries e ON e.subject_kind = 'id_number' AND e.value_hash = c.id_number_hash \
  WHERE e.status = 'active' AND e.effective_on <= $1::date AND (e.expires_on IS NULL OR e.expires_on > $1::date) \
    AND e.created_at > s.created_at \
  UNION \
  SELECT s.id, e.id, e.subject_kind, e.reason, e.effective_on \
  FROM scope s JOIN customers c ON c.id = s.customer_id \
  JOIN blacklist_entries e ON e.subject_kind = 'id_number' AND e.value_hash = c.legal_rep_id_hash \
  WHERE e.status = 'active' AND e.effective_on <= $1::date AND (e.expires_on IS NULL OR e.expires_on > $1::date) \
    AND e.created_at > s.created_at \
  UNION \
  SELECT s.id, e.id, e.subject_kind, e.reason, e.effective_on \
  FROM scope s JOIN customers c ON c.id = s.customer_id \
  JOIN blacklist_entries e ON e.subject_kind = 'mobile' AND e.value_hash = c.mobile_hash \
  WHERE e.status = 'active' AND e.effective_on <= $1::date AND (e.expires_on IS NULL OR e.expires_on > $1::date) \
    AND e.created_at > s.created_at \
), candidates AS ( \
  SELECT loan_id, code, kind, level, subject, facts FROM dpd \
  UNION ALL \
  SELECT s.id, r.code, r.kind, r.level, 'maturity:' || to_char(s.maturity_date, 'YYYY-MM-DD'), \
    jsonb_build_object('maturityDate', s.maturity_date, 'daysLeft', s.maturity_date - $1::date) \
  FROM scope s JOIN rules r ON r.kind = 'maturity' \
  WHERE s.maturity_date > $1::date AND s.maturity_date - $1::date <= r.days \
  UNION ALL \
  SELECT h.loan_id, r.code, r.kind, r.level, \
    'vehicle:' || h.vehicle_id || ':' || to_char(h.insurance_expires_on, 'YYYY-MM-DD'), \
    jsonb_build_object('vehicleId', h.vehicle_id, 'plate', h.plate, 'expiresOn', h.insurance_expires_on, \
      'daysLeft', h.insurance_expires_on - $1::date) \
  FROM held h JOIN rules r ON r.kind = 'insurance' \
  WHERE h.insurance_expires_on - $1::date <= r.days \
  UNION ALL \
  SELECT h.loan_id, r.code, r.kind, r.level, \
    'vehicle:' || h.vehicle_id || ':' || to_char(h.inspection_expires_on, 'YYYY-MM-DD'), \
    jsonb_build_object('vehicleId', h.vehicle_id, 'plate', h.plate, 'expiresOn', h.inspection_expires_on, \
      'daysLeft', h.inspection_expires_on - $1::date) \
  FROM held h JOIN rules r ON r.kind = 'inspection' \
  WHERE h.inspection_expires_on - $1::date <= r.days \
  UNION ALL \
  SELECT d.loan_id, r.code, r.kind, r.level, 'imei:' || d.imei || ':' || to_char(d.since, 'YYYY-MM-DD'), \
    jsonb_build_object('imei', d.imei, 'lastOnlineOn', d.since, 'daysOffline', $1::date - d.since) \
  FROM devices d JOIN rules r ON r.kind = 'gps_offline' \
  WHERE $1::date - d.since >= r.days \
  UNION ALL \
  SELECT b.loan_id, r.code, r.kind, r.level, 'entry:' || b.entry_id, \
    jsonb_build_object('entryId', b.entry_id, 'subjectKind', b.subject_kind, 'reason', b.reason, \
      'effectiveOn', b.effective_on) \
  FROM listed b JOIN rules r ON r.kind = 'blacklist' \
), raised AS ( \
  INSERT INTO warnings (loan_id, rule_code, kind, level, subject, facts, raised_on, raised_at, status, \
    department_id, updated_at) \
  SELECT c.loan_id, c.code, c.kind, c.level, c.subject, c.facts, $1::date, $4, 'open', s.department_id, $4 \
  FROM candidates c JOIN scope s ON s.id = c.loan_id \
  WHERE NOT EXISTS (SELECT 1 FROM warnings w \
    WHERE w.loan_id = c.loan_id AND w.rule_code = c.code AND w.subject = c.subject) \
  ON CONFLICT DO NOTHING \
  RETURNING id \
) \
SELECT count(*) AS raised FROM raised";

/// Raises the warnings of the business date `date` (the day being closed) for the active loans
/// whose ids fall in [lo, hi), in the caller's transaction. Returns how many it raised.
pub async fn raise_warnings(
    txn: &impl ConnectionTrait,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    let raised: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            RAISE,
            [
                Value::from(date),
                Value::from(lo),
                Value::from(hi),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("raising warnings returned nothing"))?
        .try_get("", "raised")
        .map_err(db_error)?;
    Ok(raised as u64)
}

/// [`raise_warnings`] over every loan in one transaction, outside the close (for tests, and
/// for raising by hand).
pub async fn raise_for_date(
    db: &DatabaseConnection,
    clock: &SharedClock,
    date: Date,
) -> AppResult<u64> {
    let txn = db.begin().await.map_err(db_error)?;
    let raised = raise_warnings(&txn, date, (i64::MIN, i64::MAX), clock.now()).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(raised)
}
