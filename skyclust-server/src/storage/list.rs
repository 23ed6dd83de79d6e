//! The storage half of the list mechanism: WHERE clauses built from whitelisted columns with
//! every user value bound as a parameter, and one query that returns a page and its total.

use skyclust_types::ListQuery;
use skyclust_types::SortDirection;
use skyclust_types::list::{Listing, Sort};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::Database;
use super::DbError;

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub enum Value {
    /// Text (also UUIDs and timestamps).
    Text(String),
    /// An integer (also 0/1 flags).
    Int(i64),
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Self {
        Value::Int(number)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Self {
        Value::Int(i64::from(flag))
    }
}

/// Conditions joined with AND. Column names are `&'static str`, so only code can name them.
#[derive(Debug, Default)]
pub struct Conditions {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// No conditions.
    pub fn new() -> Self {
        Self::default()
    }

    fn placeholder(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// `column = value`.
    pub fn eq(&mut self, column: &'static str, value: impl Into<Value>) -> &mut Self {
        let placeholder = self.placeholder(value.into());
        self.clauses.push(format!("{column} = {placeholder}"));
        self
    }

    /// `column = value` when a value is given.
    pub fn eq_opt(&mut self, column: &'static str, value: Option<impl Into<Value>>) -> &mut Self {
        if let Some(value) = value {
            self.eq(column, value);
        }
        self
    }

    /// `column IN (values…)`; nothing when `values` is empty.
    pub fn any_of<V: Into<Value>>(
        &mut self,
        column: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        let placeholders: Vec<String> =
            values.into_iter().map(|value| self.placeholder(value.into())).collect();
        if !placeholders.is_empty() {
            self.clauses.push(format!("{column} IN ({})", placeholders.join(", ")));
        }
        self
    }

    /// `column >= value` when a value is given.
    pub fn at_least(&mut self, column: &'static str, value: Option<impl Into<Value>>) -> &mut Self {
        if let Some(value) = value {
            let placeholder = self.placeholder(value.into());
            self.clauses.push(format!("{column} >= {placeholder}"));
        }
        self
    }

    /// `column <= value` when a value is given.
    pub fn at_most(&mut self, column: &'static str, value: Option<impl Into<Value>>) -> &mut Self {
        if let Some(value) = value {
            let placeholder = self.placeholder(value.into());
            self.clauses.push(format!("{column} <= {placeholder}"));
        }
        self
    }

    /// `column` within the list query's creation range (`start_date`…`end_date`, both
    /// included) when it names one.
    pub fn created_within<L: Listing>(&mut self, column: &'static str, query: &ListQuery<L>) -> &mut Self {
        self.at_least(column, query.created_from.map(super::time::encode))
            .at_most(column, query.created_to.map(super::time::encode))
    }

    /// A clause written in code, with `?` for each of `values` in order.
    pub fn clause(&mut self, template: &'static str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        let mut values = values.into_iter();
        let mut clause = String::with_capacity(template.len() + 8);
        for (index, piece) in template.split('?').enumerate() {
            if index > 0 {
                let value = values.next().expect("one value per `?`");
                let placeholder = self.placeholder(value);
                clause.push_str(&placeholder);
            }
            clause.push_str(piece);
        }
        self.clauses.push(format!("({clause})"));
        self
    }

    /// Every row of `SELECT columns FROM from` (a table, or tables joined in code) matching
    /// the conditions, in no particular order.
    pub async fn fetch_all(
        &self,
        db: &Database,
        (columns, from): (&'static str, &'static str),
    ) -> Result<Vec<AnyRow>, DbError> {
        let sql = format!("SELECT {columns} FROM {from}{}", self.where_sql());
        Ok(bind_all(sqlx::query(AssertSqlSafe(sql)), &self.values).fetch_all(db.pool()).await?)
    }

    /// [`Conditions::fetch_all`] on `connection` (inside a transaction), with a `GROUP BY` (or
    /// any other tail written in code).
    pub async fn fetch_grouped(
        &self,
        connection: &mut sqlx::AnyConnection,
        (columns, from): (&'static str, &'static str),
        tail: &'static str,
    ) -> Result<Vec<AnyRow>, DbError> {
        let sql = format!("SELECT {columns} FROM {from}{} {tail}", self.where_sql());
        Ok(bind_all(sqlx::query(AssertSqlSafe(sql)), &self.values).fetch_all(connection).await?)
    }

    fn where_sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
}

/// Which page, in which order.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// The validated sort.
    pub sort: Sort,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

impl<L: Listing> From<&ListQuery<L>> for PageRequest {
    fn from(query: &ListQuery<L>) -> Self {
        PageRequest {
            sort: query.effective_sort(),
            limit: query.effective_limit(),
            offset: query.effective_offset(),
        }
    }
}

/// A page of rows from `from` (a table, or tables joined in code) matching `conditions`,
/// ordered by the page's sort then `id`, and the number of rows matching across all pages.
pub async fn fetch_page<T>(
    db: &Database,
    (columns, from): (&'static str, &'static str),
    mut conditions: Conditions,
    page: PageRequest,
    decode: impl Fn(&AnyRow) -> Result<T, DbError>,
) -> Result<(Vec<T>, u64), DbError> {
    let PageRequest { sort, limit, offset } = page;
    let direction = match sort.direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    };
    let where_sql = conditions.where_sql();
    let limit_placeholder = conditions.placeholder(Value::Int(i64::from(limit)));
    let offset_placeholder = conditions.placeholder(Value::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
    // `sort.field` is one of the listing's whitelisted names, never user text.
    let sql = format!(
        "SELECT {columns}, COUNT(*) OVER () AS total_count FROM {from}{where_sql} \
         ORDER BY {field} {direction} NULLS LAST, id {direction} LIMIT {limit_placeholder} OFFSET {offset_placeholder}",
        field = sort.field,
    );
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), &conditions.values).fetch_all(db.pool()).await?;
    let total = match rows.first() {
        Some(row) => u64::try_from(row.try_get::<i64, _>("total_count")?).unwrap_or(0),
        // Past the last page the window function has no row to report on: count separately.
        None if offset > 0 => {
            let count_values = &conditions.values[..conditions.values.len() - 2];
            let sql = format!("SELECT COUNT(*) FROM {from}{where_sql}");
            let count: i64 = bind_all_scalar(sqlx::query_scalar(AssertSqlSafe(sql)), count_values)
                .fetch_one(db.pool())
                .await?;
            u64::try_from(count).unwrap_or(0)
        }
        None => 0,
    };
    let items = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    values: &[Value],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for value in values {
        query = match value {
            Value::Text(text) => query.bind(text.clone()),
            Value::Int(number) => query.bind(*number),
        };
    }
    query
}

fn bind_all_scalar<'q, O>(
    mut query: sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    values: &[Value],
) -> sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    for value in values {
        query = match value {
            Value::Text(text) => query.bind(text.clone()),
            Value::Int(number) => query.bind(*number),
        };
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_numbered_placeholders() {
        let mut conditions = Conditions::new();
        conditions
            .any_of("role", ["admin", "viewer"])
            .eq_opt("is_active", Some(true))
            .any_of::<&str>("empty", [])
            .clause("owner_id = ? OR member = ?", [Value::from("a"), Value::from("b")]);
        assert_eq!(
            conditions.where_sql(),
            " WHERE role IN ($1, $2) AND is_active = $3 AND (owner_id = $4 OR member = $5)"
        );
        assert_eq!(conditions.values.len(), 5);
    }
}
