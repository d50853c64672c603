//! The loan calculator (还款试算). Wired once the `calc` crate's calculator lands.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(_cfg: &mut ServiceConfig) {}
