//! Applies the actor's data scope to queries over records that belong to a department and,
//! sometimes, to a person.

use sea_orm::Value;

use super::sql::Where;
use crate::{Actor, DataScope};

/// Restricts `filter` to what `actor` may see. `department_column` names the record's
/// department; `owner_condition` says (with one `$?` for the actor's user id) which records
/// are the actor's own.
pub fn restrict(filter: &mut Where, actor: &Actor, department_column: &str, owner_condition: &str) {
    let own = |filter: &mut Where| {
        let placeholders = owner_condition.matches("$?").count();
        filter.and(
            &format!("({owner_condition})"),
            std::iter::repeat_n(Value::from(actor.user_id), placeholders),
        );
    };
    match (
        actor.data_scope,
        actor.department_id,
        &actor.department_path,
    ) {
        (DataScope::All, _, _) => {}
        (DataScope::Department, Some(department), _) => {
            filter.and(
                &format!("{department_column} = $?"),
                [Value::from(department)],
            );
        }
        (DataScope::DepartmentTree, Some(_), Some(path)) => {
            filter.and(
                &format!("{department_column} IN (SELECT id FROM departments WHERE path LIKE $?)"),
                [Value::from(format!("{path}%"))],
            );
        }
        // Own records only, or a department scope for someone outside every department.
        _ => own(filter),
    }
}
