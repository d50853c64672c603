//! Picking people (选人): the active users who hold a permission, by name, for anyone who must
//! choose a colleague (an investigator to assign, a reviewer to transfer a task to) without
//! the right to administer users. Only ids, names and departments are shown.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use kernel::{AppError, AppResult};

use super::db_error;
use super::sql::Where;
use crate::domain::permission;

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: i64,
    pub display_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PeopleFilter {
    /// Only people whose roles grant this permission, e.g. `loan:investigate`.
    pub permission: Option<String>,
    /// Part of the name or user name.
    pub q: Option<String>,
    pub department_id: Option<i64>,
}

/// At most 50 active users, by name.
pub async fn find(db: &impl ConnectionTrait, filter: &PeopleFilter) -> AppResult<Vec<Person>> {
    let mut w = Where::new();
    w.and("u.status = 'active'", []);
    if let Some(p) = filter.permission.as_deref() {
        if !permission::is_known(p) {
            return Err(AppError::invalid_field(
                "permission",
                "unknown_permission",
                format!("{p} is not a permission of the catalogue"),
            ));
        }
        w.and(
            "EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id \
             WHERE ur.user_id = u.id AND r.status = 'active' AND $? = ANY(r.permissions))",
            [Value::from(p)],
        );
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let like = super::sql::contains(q);
        w.and(
            "(u.display_name ILIKE $? OR u.username ILIKE $?)",
            [Value::from(like.clone()), Value::from(like)],
        );
    }
    if let Some(d) = filter.department_id {
        w.and("u.department_id = $?", [Value::from(d)]);
    }
    let sql = format!(
        "SELECT u.id, u.display_name, u.department_id, d.name AS department_name \
         FROM users u LEFT JOIN departments d ON d.id = u.department_id \
         WHERE {} ORDER BY u.display_name, u.id LIMIT 50",
        w.sql()
    );
    Person::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .all(db)
    .await
    .map_err(db_error)
}
