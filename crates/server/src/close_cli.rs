//! `chedai close-day`: the daily close from the command line (or cron), closing each business
//! date before `--to` (default: the calendar date) in turn. Several of these may run at once,
//! on one machine or several: they share each run's partitions. Exits 1 when a run failed.

use loans::service::close::{self, CloseContext, CloseOptions};

use crate::config::Config;
use crate::database;

pub async fn close_day(
    to: Option<&str>,
    partition_size: i64,
    worker: Option<String>,
    parallel: usize,
) -> anyhow::Result<bool> {
    let config = Config::from_env()?;
    let db = database::open(&config).await?;
    let clock: kernel::SharedClock = std::sync::Arc::new(kernel::SystemClock);
    let until = match to {
        Some(to) => time::Date::parse(to, &time::format_description::well_known::Iso8601::DATE)
            .map_err(|e| anyhow::anyhow!("--to must be YYYY-MM-DD: {e}"))?,
        None => clock.now().date(),
    };
    let ctx = CloseContext {
        db: db.connection.clone(),
        clock,
    };
    let opts = CloseOptions {
        worker: worker.unwrap_or_else(|| CloseOptions::default().worker),
        partition_size,
        parallel,
    };
    let runs = close::close_until(&ctx, None, until, &opts)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))?;
    let mut ok = true;
    for run in &runs {
        println!("{} {}", run.business_date, run.status);
        for s in &run.steps {
            println!(
                "  {:<18} {:<8} partitions {}/{} rows {} amount {}{}",
                s.step.as_str(),
                s.status,
                s.partitions_done,
                s.partitions,
                s.rows_done,
                s.amount,
                s.error
                    .as_deref()
                    .map(|e| format!(" error: {e}"))
                    .unwrap_or_default()
            );
        }
        ok &= run.status == "done";
    }
    if runs.is_empty() {
        println!("nothing to close: the business date is already {until} or later");
    }
    Ok(ok)
}
