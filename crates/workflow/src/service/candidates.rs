//! Who may act on a step: the assignee resolved to active users when the task opens.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

use kernel::AppResult;

use super::db_error;
use crate::domain::Assignee;

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

/// The active users `assignee` names, the applicant left out: nobody approves their own
/// application (segregation of duties).
pub async fn resolve(
    db: &impl ConnectionTrait,
    assignee: &Assignee,
    applicant_id: i64,
    applicant_department_id: Option<i64>,
) -> AppResult<Vec<i64>> {
    if let Assignee::DepartmentHead { position_id } = assignee {
        return department_head(db, *position_id, applicant_id, applicant_department_id).await;
    }
    let (sql, value): (&str, Value) = match assignee {
        Assignee::Role { role_id } => (
            "SELECT u.id FROM users u \
             JOIN user_roles ur ON ur.user_id = u.id \
             JOIN roles r ON r.id = ur.role_id \
             WHERE ur.role_id = $1 AND r.status = 'active' AND u.status = 'active' \
             ORDER BY u.id",
            (*role_id).into(),
        ),
        Assignee::Position { position_id } => (
            "SELECT u.id FROM users u JOIN employees e ON e.user_id = u.id \
             WHERE e.position_id = $1 AND e.status = 'active' AND u.status = 'active' \
             ORDER BY u.id",
            (*position_id).into(),
        ),
        Assignee::Users { user_ids } => (
            "SELECT id FROM users WHERE id = ANY($1) AND status = 'active' ORDER BY id",
            user_ids.clone().into(),
        ),
        Assignee::Committee { committee_id } => (
            "SELECT u.id FROM users u JOIN committee_members m ON m.user_id = u.id \
             WHERE m.committee_id = $1 AND m.role = 'chair' AND u.status = 'active'",
            (*committee_id).into(),
        ),
        Assignee::DepartmentHead { .. } => unreachable!("resolved above"),
    };
    let rows = Id::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        [value],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    Ok(rows
        .into_iter()
        .map(|r| r.id)
        .filter(|id| *id != applicant_id)
        .collect())
}

/// Which of `ids` in `table` (`roles`, `positions` or `users`) exist and are active.
pub async fn active_ids(
    db: &impl ConnectionTrait,
    table: &'static str,
    ids: &[i64],
) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let found = Id::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT id FROM {table} WHERE id = ANY($1) AND status = 'active'"),
        [ids.to_vec().into()],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    Ok(found.into_iter().map(|r| r.id).collect())
}

/// The holders of `position_id` in the nearest department, from the applicant's upwards, that
/// has one other than the applicant.
async fn department_head(
    db: &impl ConnectionTrait,
    position_id: i64,
    applicant_id: i64,
    department_id: Option<i64>,
) -> AppResult<Vec<i64>> {
    let Some(department_id) = department_id else {
        return Ok(vec![]);
    };
    let rows = Id::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "WITH chain AS ( \
             SELECT d.id, length(d.path) AS depth FROM departments d, departments a \
             WHERE a.id = $2 AND a.path LIKE d.path || '%' AND d.status = 'active' \
         ), heads AS ( \
             SELECT u.id, c.depth FROM users u JOIN employees e ON e.user_id = u.id \
             JOIN chain c ON c.id = e.department_id \
             WHERE e.position_id = $1 AND e.status = 'active' AND u.status = 'active' \
               AND u.id <> $3 \
         ) \
         SELECT id FROM heads WHERE depth = (SELECT max(depth) FROM heads) ORDER BY id",
        [
            position_id.into(),
            department_id.into(),
            applicant_id.into(),
        ],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}
