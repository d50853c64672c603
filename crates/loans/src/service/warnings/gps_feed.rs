//! The GPS status feed (GPS状态上报): GPS platforms report a fitted device's status — online
//! or not, and any alarm. Each report is kept; the device's latest state is what the daily
//! close reads for "offline for N days"; an alarm on a device of an active loan raises a
//! `gps_alarm` warning at once (one per device and alarm kind until it is closed). A
//! platform's retry of the same report (same device, time and alarm) changes nothing.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;

use iam::Actor;
use iam::service::audit;
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, FieldError};
use ledgers::service::business_date;

use super::super::{LoansContext, db_error};
use crate::domain::warning::GpsAlarm;

/// How far ahead of our clock a report's time may be (the platforms' clocks drift).
const CLOCK_SKEW: Duration = Duration::minutes(10);

/// A device's status as a GPS platform reports it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GpsFeedReport {
    /// The device's IMEI (15 digits), as fitted.
    pub imei: String,
    /// When the device was in this state (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub reported_at: OffsetDateTime,
    /// Whether the device is online.
    pub online: bool,
    /// An alarm, if the device raised one.
    pub alarm: Option<GpsAlarm>,
    /// The platform's own words (at most 500 characters).
    pub message: Option<String>,
}

/// What became of a report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GpsFeedReceipt {
    pub report_id: i64,
    pub device_id: i64,
    /// The active loan the device tracks, if any.
    pub loan_id: Option<i64>,
    /// True when this report had been received before; nothing changed.
    pub repeated: bool,
    /// The alarm's warning: raised now, or the one still open for this device and alarm.
    pub warning_id: Option<i64>,
    /// True when this report raised the warning.
    pub warning_raised: bool,
}

#[derive(FromQueryResult)]
struct Device {
    id: i64,
    loan_id: Option<i64>,
    department_id: Option<i64>,
}

/// Receives one report.
pub async fn report(
    ctx: &LoansContext,
    actor: &Actor,
    input: &GpsFeedReport,
) -> AppResult<GpsFeedReceipt> {
    let now = ctx.clock.now();
    let imei: String = input.imei.chars().filter(|c| !c.is_whitespace()).collect();
    let message = input
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    let mut errors = FieldErrors::new();
    if imei.is_empty() {
        errors.add("imei", "required", "give the device's IMEI");
    }
    if input.reported_at > now + CLOCK_SKEW {
        errors.add(
            "reportedAt",
            "in_future",
            "the report's time is ahead of ours by more than ten minutes",
        );
    }
    if message.as_ref().is_some_and(|m| m.chars().count() > 500) {
        errors.add("message", "too_long", "a message is at most 500 characters");
    }
    errors.finish()?;

    let txn = ctx.db.begin().await.map_err(db_error)?;
    let device = Device::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT g.id, l.id AS loan_id, l.department_id FROM gps_devices g \
         LEFT JOIN loans l ON l.contract_id = g.contract_id AND l.status = 'active' \
         WHERE g.imei = $1 AND g.status = 'installed'",
        [Value::from(imei.clone())],
    ))
    .one(&txn)
    .await
    .map_err(db_error)?
    .ok_or_else(|| unknown_device(&imei))?;

    let inserted = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO gps_status_reports (device_id, imei, reported_at, online, alarm, message, received_by, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
            [
                Value::from(device.id),
                Value::from(imei.clone()),
                Value::from(input.reported_at),
                Value::from(input.online),
                Value::from(input.alarm.map(|a| a.as_str())),
                Value::from(message.clone()),
                Value::from(actor.user_id),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?;
    let Some(inserted) = inserted else {
        // A retry: answer as before, change nothing.
        let report_id: i64 = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT id FROM gps_status_reports WHERE device_id = $1 AND reported_at = $2 \
                   AND coalesce(alarm, '') = $3",
                [
                    Value::from(device.id),
                    Value::from(input.reported_at),
                    Value::from(input.alarm.map(|a| a.as_str()).unwrap_or("")),
                ],
            ))
            .await
            .map_err(db_error)?
            .ok_or_else(|| AppError::internal("the repeated report vanished"))?
            .try_get("", "id")
            .map_err(db_error)?;
        let warning_id = match (input.alarm, device.loan_id) {
            (Some(alarm), Some(loan)) => live_alarm(&txn, loan, &imei, alarm).await?,
            _ => None,
        };
        txn.commit().await.map_err(db_error)?;
        return Ok(GpsFeedReceipt {
            report_id,
            device_id: device.id,
            loan_id: device.loan_id,
            repeated: true,
            warning_id,
            warning_raised: false,
        });
    };
    let report_id: i64 = inserted.try_get("", "id").map_err(db_error)?;

    // The latest report wins the device's state; a late one only fills in history.
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO gps_device_status AS s (device_id, online, first_reported_at, last_reported_at, last_online_at, \
           last_alarm, updated_at) \
         VALUES ($1, $2, $3, $3, CASE WHEN $2 THEN $3 END, $4, $5) \
         ON CONFLICT (device_id) DO UPDATE SET \
           online = CASE WHEN EXCLUDED.last_reported_at >= s.last_reported_at THEN EXCLUDED.online ELSE s.online END, \
           last_alarm = CASE WHEN EXCLUDED.last_reported_at >= s.last_reported_at THEN EXCLUDED.last_alarm \
             ELSE s.last_alarm END, \
           first_reported_at = least(s.first_reported_at, EXCLUDED.first_reported_at), \
           last_reported_at = greatest(s.last_reported_at, EXCLUDED.last_reported_at), \
           last_online_at = CASE WHEN EXCLUDED.last_online_at IS NULL THEN s.last_online_at \
             ELSE greatest(s.last_online_at, EXCLUDED.last_online_at) END, \
           updated_at = EXCLUDED.updated_at",
        [
            Value::from(device.id),
            Value::from(input.online),
            Value::from(input.reported_at),
            Value::from(input.alarm.map(|a| a.as_str())),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;

    let mut warning_id = None;
    let mut warning_raised = false;
    if let (Some(alarm), Some(loan)) = (input.alarm, device.loan_id) {
        let today = business_date::today(&txn, &ctx.clock).await?;
        let raised = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "INSERT INTO warnings (loan_id, rule_code, kind, level, subject, facts, raised_on, raised_at, status, \
                   department_id, updated_at) \
                 SELECT $1, r.code, r.kind, r.level, $2, \
                   jsonb_build_object('imei', $3::text, 'alarm', $4::text, 'reportedAt', $5::timestamptz, \
                     'message', $6::text, 'reportId', $7::bigint), \
                   $8, $9, 'open', $10, $9 \
                 FROM warning_rules r WHERE r.kind = 'gps_alarm' AND r.enabled \
                 ON CONFLICT DO NOTHING RETURNING id",
                [
                    Value::from(loan),
                    Value::from(alarm_subject(&imei, alarm)),
                    Value::from(imei.clone()),
                    Value::from(alarm.as_str()),
                    Value::from(input.reported_at),
                    Value::from(message.clone()),
                    Value::from(report_id),
                    Value::from(today),
                    Value::from(now),
                    Value::from(device.department_id),
                ],
            ))
            .await
            .map_err(db_error)?;
        match raised {
            Some(row) => {
                let id: i64 = row.try_get("", "id").map_err(db_error)?;
                audit::record(
                    &txn,
                    Some(actor),
                    now,
                    audit::Change::new("warning", id, "raise").after(&serde_json::json!({
                        "loanId": loan, "ruleCode": "gps_alarm", "imei": imei,
                        "alarm": alarm.as_str(), "reportId": report_id,
                    })),
                )
                .await?;
                warning_id = Some(id);
                warning_raised = true;
            }
            None => warning_id = live_alarm(&txn, loan, &imei, alarm).await?,
        }
    }
    txn.commit().await.map_err(db_error)?;
    Ok(GpsFeedReceipt {
        report_id,
        device_id: device.id,
        loan_id: device.loan_id,
        repeated: false,
        warning_id,
        warning_raised,
    })
}

fn alarm_subject(imei: &str, alarm: GpsAlarm) -> String {
    format!("imei:{imei}:{}", alarm.as_str())
}

/// The alarm warning still open for this loan, device and alarm kind.
async fn live_alarm(
    db: &impl ConnectionTrait,
    loan: i64,
    imei: &str,
    alarm: GpsAlarm,
) -> AppResult<Option<i64>> {
    db.query_one_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT w.id FROM warnings w JOIN warning_rules r ON r.code = w.rule_code \
         WHERE w.loan_id = $1 AND r.kind = 'gps_alarm' AND w.subject = $2 AND w.status <> 'closed'",
        [Value::from(loan), Value::from(alarm_subject(imei, alarm))],
    ))
    .await
    .map_err(db_error)?
    .map(|r| r.try_get("", "id"))
    .transpose()
    .map_err(db_error)
}

/// 422 `unknown_device`: the platform names a device we have not fitted (or have removed).
fn unknown_device(imei: &str) -> AppError {
    let message = format!(
        "no fitted GPS device has IMEI {imei}; register its installation on the contract first"
    );
    let mut e = AppError::rule("unknown_device", message.clone());
    e.field_errors
        .push(FieldError::new("imei", "unknown_device", message));
    e
}
