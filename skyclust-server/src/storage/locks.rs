//! Serialising guards that must be atomic on PostgreSQL.
//!
//! Every guard is one conditional statement ("insert unless the cap is reached", "delete
//! unless a live VM refers to it"), which SQLite's single writer makes atomic. On PostgreSQL
//! two transactions can both pass such a condition under READ COMMITTED, so each guard first
//! takes a lock that makes them queue — an advisory lock on the guarded scope, or the guarded
//! row itself — and the statement that follows sees what the earlier one committed.

use sqlx::AnyConnection;

use super::DbError;
use super::{Backend, Database};

/// Holds the lock named `scope` until the transaction on `connection` ends (PostgreSQL; a
/// no-op on SQLite, whose single writer already serialises the guarded statement).
pub async fn exclusive(db: &Database, connection: &mut AnyConnection, scope: &str) -> Result<(), DbError> {
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS held")
            .bind(scope)
            .execute(connection)
            .await?;
    }
    Ok(())
}

/// How [`lock`] holds the rows it locks, until the transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// `FOR UPDATE`: also waits for transactions that are inserting rows referring to them
    /// (their foreign-key check holds a `KEY SHARE` lock) and makes later ones wait, so a guard
    /// on "nothing refers to it" cannot miss a new referrer.
    Exclusive,
    /// `FOR SHARE`: a writer whose statement depends on the row staying as it is queues behind
    /// an `Exclusive` holder (and makes it wait), and the statement that follows sees what that
    /// holder committed.
    Shared,
}

/// Locks the rows of `table` whose `column` is `value` until the transaction on `connection`
/// ends (PostgreSQL; a no-op on SQLite, whose writers take the whole database in turn).
pub async fn lock(
    db: &Database,
    connection: &mut AnyConnection,
    hold: Hold,
    (table, column): (&'static str, &'static str),
    value: &str,
) -> Result<(), DbError> {
    if db.backend() == Backend::Postgres {
        let strength = match hold {
            Hold::Exclusive => "FOR UPDATE",
            Hold::Shared => "FOR SHARE",
        };
        let sql = format!("SELECT 1 AS locked FROM {table} WHERE {column} = $1 {strength}");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).execute(connection).await?;
    }
    Ok(())
}

/// What a delete guarded by "no live VM refers to it" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded {
    /// Deleted.
    Done,
    /// Refused: this many VMs that are not terminated refer to it.
    Live(i64),
    /// There was nothing to delete.
    Missing,
}

/// Deletes row `id` of `table` (only if `user_id` is `owner`, when given) unless a VM that is
/// not terminated refers to it through `vms.{vm_column}`: the check is part of the DELETE, and
/// on PostgreSQL the row is locked first (see [`lock`]).
pub async fn delete_unless_live_vms(
    db: &Database,
    table: &'static str,
    vm_column: &'static str,
    id: uuid::Uuid,
    owner: Option<uuid::Uuid>,
) -> Result<Guarded, DbError> {
    let id = id.to_string();
    let owned = if owner.is_some() { " AND user_id = $2" } else { "" };
    let live = format!("FROM vms WHERE vms.{vm_column} = $1 AND vms.status <> 'terminated'");
    let mut transaction = db.pool().begin().await?;
    lock(db, &mut transaction, Hold::Exclusive, (table, "id"), &id).await?;
    let delete = format!("DELETE FROM {table} WHERE id = $1{owned} AND NOT EXISTS (SELECT 1 {live})");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(delete)).bind(&id);
    if let Some(owner) = owner {
        query = query.bind(owner.to_string());
    }
    let outcome = if query.execute(&mut *transaction).await?.rows_affected() == 1 {
        Guarded::Done
    } else {
        let count = format!("SELECT COUNT(*) {live}");
        match sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count))
            .bind(&id)
            .fetch_one(&mut *transaction)
            .await?
        {
            0 => Guarded::Missing,
            live => Guarded::Live(live),
        }
    };
    transaction.commit().await?;
    Ok(outcome)
}
