//! A small builder for the WHERE clause of list queries: conditions and their positional
//! values grow together, so placeholders never drift from their values.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

use kernel::{AppResult, Page, PageRequest};

use super::db_error;

/// A user's text made literal inside a LIKE pattern (`\`, `%` and `_` escaped).
pub fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A LIKE pattern matching `text` anywhere: `%text%`, escaped.
pub fn contains(text: &str) -> String {
    format!("%{}%", like_escape(text))
}

#[derive(Debug, Default)]
pub struct Where {
    conditions: Vec<String>,
    values: Vec<Value>,
}

impl Where {
    pub fn new() -> Where {
        Where::default()
    }

    /// Adds a condition in which `$?` stands for each value, in order.
    pub fn and(&mut self, condition: &str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        let mut sql = String::new();
        let mut values = values.into_iter();
        for (i, part) in condition.split("$?").enumerate() {
            if i > 0 {
                let v = values.next().expect("a value for every placeholder");
                self.values.push(v);
                sql.push_str(&format!("${}", self.values.len()));
            }
            sql.push_str(part);
        }
        self.conditions.push(sql);
        self
    }

    /// The values in placeholder order.
    pub fn values(&self) -> Vec<Value> {
        self.values.clone()
    }

    pub fn sql(&self) -> String {
        if self.conditions.is_empty() {
            "TRUE".to_string()
        } else {
            self.conditions.join(" AND ")
        }
    }

    /// Runs `SELECT <columns> FROM <from> WHERE … ORDER BY <order>` one page at a time,
    /// with the total.
    pub async fn page<T: FromQueryResult>(
        &self,
        db: &impl ConnectionTrait,
        columns: &str,
        from: &str,
        order: &str,
        request: &PageRequest,
    ) -> AppResult<Page<T>> {
        self.page_counting_over(db, columns, from, from, order, request)
            .await
    }

    /// As [`Where::page`], counting the total over `count_from` — the base table alone when
    /// the joins of `from` only add columns and never remove rows — so a large total comes
    /// from an index-only scan instead of a join over every matching row.
    pub async fn page_counting_over<T: FromQueryResult>(
        &self,
        db: &impl ConnectionTrait,
        columns: &str,
        from: &str,
        count_from: &str,
        order: &str,
        request: &PageRequest,
    ) -> AppResult<Page<T>> {
        let filter = self.sql();
        let count_sql = format!("SELECT COUNT(*) AS total FROM {count_from} WHERE {filter}");
        let total = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                &count_sql,
                self.values.clone(),
            ))
            .await
            .map_err(db_error)?
            .map(|row| row.try_get::<i64>("", "total"))
            .transpose()
            .map_err(db_error)?
            .unwrap_or(0);
        let page_sql = format!(
            "SELECT {columns} FROM {from} WHERE {filter} ORDER BY {order} LIMIT {} OFFSET {}",
            request.page_size(),
            request.offset()
        );
        let items = T::find_by_statement(Statement::from_sql_and_values(
            DbBackend::Postgres,
            &page_sql,
            self.values.clone(),
        ))
        .all(db)
        .await
        .map_err(db_error)?;
        Ok(Page::new(items, total as u64, request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_in_order() {
        let mut w = Where::new();
        w.and("a = $?", [Value::from(1i64)]).and(
            "b BETWEEN $? AND $?",
            [Value::from(2i64), Value::from(3i64)],
        );
        assert_eq!(w.sql(), "a = $1 AND b BETWEEN $2 AND $3");
        assert_eq!(Where::new().sql(), "TRUE");
    }
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn a_users_wildcards_are_matched_literally() {
        assert_eq!(like_escape(r"50%_off\"), r"50\%\_off\\");
        assert_eq!(contains("A_1"), r"%A\_1%");
    }
}
