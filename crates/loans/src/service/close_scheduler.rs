//! The daily close started by the server itself at a configured time (定时日终): the decision
//! of `domain::close_schedule` applied to the clock and the business date, for ever. Several
//! servers may each run one: they share a run's partitions and see a finished day as done,
//! so the one that comes second joins or finds nothing to do.

use std::time::Duration;

use ledgers::service::business_date;

use super::close::{self, CloseContext, CloseOptions};
use crate::domain::close_schedule::{CloseAt, Next, next};

/// How the scheduler behaves.
#[derive(Debug, Clone)]
pub struct CloseSchedule {
    pub at: CloseAt,
    /// The longest it sleeps before looking at the clock again, so that a clock that jumps
    /// (a test's, or the machine's after a correction) is noticed within a tick.
    pub tick: Duration,
    /// After an attempt that left the business date behind, the wait before the next one.
    pub retry_after: time::Duration,
    pub close: CloseOptions,
}

impl CloseSchedule {
    /// A minute's tick, and a failed close retried at the next tick after it.
    pub fn new(at: CloseAt, close: CloseOptions) -> CloseSchedule {
        CloseSchedule {
            at,
            tick: Duration::from_secs(60),
            retry_after: time::Duration::minutes(1),
            close,
        }
    }
}

/// Runs the schedule until the task is dropped. Errors are logged, never returned: a server
/// keeps serving when its close fails, and tries again later.
pub async fn run(ctx: CloseContext, schedule: CloseSchedule) {
    let mut last_attempt = None;
    loop {
        let now = ctx.clock.now();
        let decision = match business_date::today(&ctx.db, &ctx.clock).await {
            Ok(today) => next(now, schedule.at, today, last_attempt, schedule.retry_after),
            Err(e) => {
                tracing::warn!(code = %e.code, error = %e.message, "the close scheduler cannot read the business date");
                Next::SleepUntil(now + schedule.retry_after)
            }
        };
        match decision {
            Next::Close { until } => {
                last_attempt = Some(now);
                attempt(&ctx, until, &schedule.close).await;
            }
            Next::SleepUntil(when) => {
                let wait = Duration::try_from(when - now).unwrap_or(Duration::ZERO);
                tokio::time::sleep(wait.min(schedule.tick)).await;
            }
        }
    }
}

async fn attempt(ctx: &CloseContext, until: time::Date, opts: &CloseOptions) {
    tracing::info!(%until, worker = %opts.worker, "the scheduled daily close starts");
    match close::close_until(ctx, None, until, opts).await {
        Ok(runs) => {
            for run in &runs {
                if run.status == "done" {
                    tracing::info!(business_date = %run.business_date, run_id = run.id, "closed by the schedule");
                } else {
                    tracing::error!(business_date = %run.business_date, run_id = run.id, status = %run.status,
                        "the scheduled close did not finish; it is retried later");
                }
            }
        }
        Err(e) => {
            tracing::error!(code = %e.code, error = %e.message, "the scheduled close stopped; it is retried later");
        }
    }
}
