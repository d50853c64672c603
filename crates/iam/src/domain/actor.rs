//! The signed-in person a request acts for.

use std::collections::BTreeSet;

use kernel::{AppError, AppResult};

use super::data_scope::DataScope;

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: Option<i64>,
    /// The department's path (`/1/4/`), for "department and below".
    pub department_path: Option<String>,
    pub permissions: BTreeSet<String>,
    pub data_scope: DataScope,
    pub must_change_password: bool,
    /// Correlates the audit record with the request's log lines.
    pub request_id: Option<String>,
}

impl Actor {
    pub fn has(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }

    /// 403 `forbidden` unless the actor holds `permission`.
    pub fn require(&self, permission: &str) -> AppResult<()> {
        if self.has(permission) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "forbidden",
                format!("this needs the permission {permission}"),
            ))
        }
    }
}
