//! `chedai advance-date`: the administrator's audited command to move the business date by
//! hand (the daily close moves it otherwise). It acts as the `admin` user, so the audit log
//! says who and why.

use iam::repo::user;
use ledgers::LedgersContext;
use ledgers::service::business_date::{self, AdvanceInput};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::config::Config;
use crate::database;

pub async fn advance(to: &str, reason: &str) -> anyhow::Result<()> {
    let to = time::Date::parse(to, &time::format_description::well_known::Iso8601::DATE)
        .map_err(|e| anyhow::anyhow!("--to must be YYYY-MM-DD: {e}"))?;
    let config = Config::from_env()?;
    let db = database::open(&config).await?;
    let admin_id = user::Entity::find()
        .filter(user::Column::Username.eq("admin"))
        .one(&db.connection)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no admin user: start the server once first"))?;
    let mut admin = iam::service::auth::load_actor(&db.connection, admin_id, None).await?;
    admin.request_id = Some("cli:advance-date".into());
    let ctx = LedgersContext {
        db: db.connection.clone(),
        clock: std::sync::Arc::new(kernel::SystemClock),
    };
    let moved = business_date::advance(
        &ctx,
        &admin,
        &AdvanceInput {
            to,
            reason: reason.to_string(),
        },
    )
    .await
    .map_err(|e| {
        let fields: Vec<String> = e
            .field_errors
            .iter()
            .map(|f| format!("{} ({}): {}", f.field, f.code, f.message))
            .collect();
        anyhow::anyhow!("{}: {} {}", e.code, e.message, fields.join("; "))
    })?;
    println!("business date is now {}", moved.today);
    Ok(())
}
