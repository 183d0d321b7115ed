//! One small SQL layer over the two backends: embedded SQLite (rusqlite) by default and
//! PostgreSQL (the `postgres` crate) at scale. Queries are written once, in the SQL both speak,
//! with `?` placeholders (rewritten to `$n` for PostgreSQL); values cross as [`Value`]. Integers
//! are BIGINT everywhere, booleans 0/1, times milliseconds since the epoch, ids text.
//!
//! Calls are blocking; async handlers run them with [`Db::run`] on tokio's blocking pool.
//!
//! The schema comes from numbered migrations (`migrate.rs`, `migrations/`). This layer uses
//! nothing else of the crate: what must be recomputed after an upgrade is handed in by the
//! caller of [`Db::open_with`] (the server opens through `open_database` in `src/open.rs`).

mod migrate;
mod postgres;
mod sqlite;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

pub use self::migrate::{Migration, RebuildDerived, MIGRATIONS, SCHEMA_VERSION};
pub use self::postgres::PgDb;
pub use self::sqlite::SqliteDb;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] ::postgres::Error),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error(
        "the database was written by a newer gocua (schema {found}, this one knows {supported})"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("database task failed: {0}")]
    Task(String),
    /// Every connection of the PostgreSQL pool stayed busy for the whole wait: the caller is
    /// refused (the phone API answers 503 with `Retry-After`) rather than opening more.
    #[error("all {max} database connections stayed busy for {waited_ms} ms")]
    PoolTimeout { max: usize, waited_ms: u64 },
    /// The database URL cannot be used as it is.
    #[error("database URL: {0}")]
    Config(String),
}

pub type DbResult<T> = Result<T, DbError>;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// `impl From<T> for Value` for each `T => |v| the Value`.
macro_rules! value_from {
    ($($t:ty => |$v:ident| $value:expr;)*) => {
        $(impl From<$t> for Value {
            fn from($v: $t) -> Self {
                $value
            }
        })*
    };
}

value_from! {
    i64 => |v| Value::Int(v);
    u32 => |v| Value::Int(v.into());
    u64 => |v| Value::Int(v as i64);
    u16 => |v| Value::Int(v.into());
    bool => |v| Value::Int(v.into());
    f64 => |v| Value::Real(v);
    &str => |v| Value::Text(v.to_owned());
    String => |v| Value::Text(v);
    &String => |v| Value::Text(v.clone());
    Uuid => |v| Value::Text(v.to_string());
    DateTime<Utc> => |v| Value::Int(v.timestamp_millis());
    NaiveDate => |v| Value::Text(v.to_string());
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a `&[Value]` from anything convertible. Exported, so the rest of the server names it
/// `crate::params` (an exported macro lives at the crate root).
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { &[$($crate::db::Value::from($v)),*][..] };
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> &Value {
        self.0.get(i).unwrap_or(&Value::Null)
    }
    pub fn opt_int(&self, i: usize) -> Option<i64> {
        match self.at(i) {
            Value::Int(v) => Some(*v),
            Value::Real(v) => Some(*v as i64),
            Value::Text(s) => s.parse().ok(),
            Value::Null => None,
        }
    }
    pub fn int(&self, i: usize) -> i64 {
        self.opt_int(i).unwrap_or(0)
    }
    pub fn opt_text(&self, i: usize) -> Option<String> {
        match self.at(i) {
            Value::Text(s) => Some(s.clone()),
            Value::Int(v) => Some(v.to_string()),
            Value::Real(v) => Some(v.to_string()),
            Value::Null => None,
        }
    }
    pub fn text(&self, i: usize) -> String {
        self.opt_text(i).unwrap_or_default()
    }
    pub fn opt_uuid(&self, i: usize) -> DbResult<Option<Uuid>> {
        self.opt_text(i)
            .map(|s| Uuid::parse_str(&s).map_err(|e| DbError::Corrupt(format!("bad id {s}: {e}"))))
            .transpose()
    }
    pub fn uuid(&self, i: usize) -> DbResult<Uuid> {
        self.opt_uuid(i)?
            .ok_or_else(|| DbError::Corrupt("missing id".into()))
    }
    pub fn opt_time(&self, i: usize) -> Option<DateTime<Utc>> {
        self.opt_int(i)
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
    }
    pub fn json<T: serde::de::DeserializeOwned>(&self, i: usize) -> DbResult<T> {
        serde_json::from_str(&self.text(i)).map_err(|e| DbError::Corrupt(e.to_string()))
    }
}

/// A connection inside a transaction.
pub trait Sql {
    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64>;
    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>>;

    fn query_one(&mut self, sql: &str, params: &[Value]) -> DbResult<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Next value of a named counter (the portable stand-in for a sequence).
    fn next_seq(&mut self, name: &str) -> DbResult<i64> {
        self.exec(
            "INSERT INTO counters(name, value) VALUES (?, 0) ON CONFLICT(name) DO NOTHING",
            params![name],
        )?;
        let row = self.query_one(
            "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value",
            params![name],
        )?;
        Ok(row.map_or(0, |r| r.int(0)))
    }
}

/// The connections of a [`Db`] at one moment, and what waiting for them cost since it opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// The most connections open at once (SQLite: its one connection).
    pub max: usize,
    /// Lent to a transaction now.
    pub in_use: usize,
    /// Open and waiting for a transaction.
    pub idle: usize,
    /// Transactions that found every connection busy and waited (PostgreSQL; SQLite: 0).
    pub waits: u64,
    /// Transactions refused after the whole wait (PostgreSQL; SQLite: 0).
    pub timeouts: u64,
}

/// The database, whichever backend. Cheap to clone.
#[derive(Clone)]
pub enum Db {
    Sqlite(Arc<SqliteDb>),
    Postgres(Arc<PgDb>),
}

impl Db {
    /// Opens `target`: a `postgres://` or `postgresql://` URL, or a SQLite file path. Creates
    /// the schema or applies the pending migrations, in one transaction; when a migration leaves
    /// derived tables stale, `rebuild_derived` runs in that transaction after the migrations.
    pub fn open_with(target: &str, rebuild_derived: RebuildDerived) -> DbResult<Db> {
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            Ok(Db::Postgres(Arc::new(PgDb::open(target, rebuild_derived)?)))
        } else {
            Ok(Db::Sqlite(Arc::new(SqliteDb::open(
                target,
                rebuild_derived,
            )?)))
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// A moment's view of the database connections (read-only; for the metrics).
    pub fn pool_stats(&self) -> PoolStats {
        match self {
            Db::Sqlite(db) => {
                let in_use = usize::from(db.in_use());
                PoolStats {
                    max: 1,
                    in_use,
                    idle: 1 - in_use,
                    waits: 0,
                    timeouts: 0,
                }
            }
            Db::Postgres(db) => db.pool_stats(),
        }
    }

    /// Runs `f` in one transaction (blocking); commits if it returns Ok, rolls back otherwise.
    pub fn tx<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Db::Sqlite(db) => db.tx(f),
            Db::Postgres(db) => db.tx(f),
        }
    }

    /// Like [`Db::tx`], for a transaction that may simply be run again: on PostgreSQL, one
    /// cancelled as a deadlock victim or for a serialization failure is retried inside the server
    /// (a few times, briefly paused) instead of failing; SQLite serialises its writers and never
    /// cancels one.
    pub fn tx_retrying<T, E: From<DbError>>(
        &self,
        f: impl FnMut(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Db::Sqlite(db) => db.tx(f),
            Db::Postgres(db) => db.tx_retrying(f),
        }
    }

    /// [`Db::tx_retrying`] on the blocking pool, from async code.
    pub async fn run_retrying<T, E>(
        &self,
        f: impl FnMut(&mut dyn Sql) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.tx_retrying(f))
            .await
            .map_err(|e| E::from(DbError::Task(e.to_string())))?
    }

    /// Runs `f` in one transaction on the blocking pool, from async code.
    pub async fn run<T, E>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.tx(f))
            .await
            .map_err(|e| E::from(DbError::Task(e.to_string())))?
    }
}

/// `(?, ?, …)`: one row of `width` placeholders.
fn row_marks(width: usize) -> String {
    let mut out = String::with_capacity(2 + 3 * width);
    out.push('(');
    for i in 0..width {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('?');
    }
    out.push(')');
    out
}

/// `keys` as the values of an `IN (…)` list, padded (with the first key again) to a power of two
/// so that few distinct statements are prepared: `(the marks, the values)`. Empty `keys` give
/// `(NULL)`, which matches nothing.
pub fn in_list(keys: &[Value]) -> (String, Vec<Value>) {
    if keys.is_empty() {
        return ("(NULL)".to_owned(), Vec::new());
    }
    let n = keys.len().next_power_of_two();
    let mut values = keys.to_vec();
    values.resize(n, keys[0].clone());
    (row_marks(n), values)
}

/// Most parameters one multi-row statement takes (SQLite allows 32,766, PostgreSQL 65,535).
const MAX_PARAMS: usize = 16_384;

/// `rows` (each of `types.len()` values) as a `VALUES` list to read as a table (`FROM (VALUES …)
/// AS q`, columns `q.column1`, `q.column2`, … on both backends): `(the list, its values)`. Every
/// placeholder is `CAST(? AS type)`, since PostgreSQL must know a `VALUES` table's types. The list
/// is padded to a power of two rows with rows of NULLs, so that few distinct statements are
/// prepared; a query drops them with `WHERE q.column1 IS NOT NULL` (real rows never have a NULL
/// there).
pub fn values_table(rows: Vec<Vec<Value>>, types: &[&str]) -> (String, Vec<Value>) {
    let n = rows.len().max(1).next_power_of_two();
    let row = format!(
        "({})",
        types
            .iter()
            .map(|t| format!("CAST(? AS {t})"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut values: Vec<Value> = Vec::with_capacity(n * types.len());
    for r in rows {
        debug_assert_eq!(r.len(), types.len());
        values.extend(r);
    }
    values.resize(n * types.len(), Value::Null);
    (vec![row.as_str(); n].join(", "), values)
}

/// Inserts `rows` into the columns `head` names (`INSERT INTO t(a, b)`, of SQL types `types`)
/// with one statement per [`MAX_PARAMS`] values — a round trip for a whole batch instead of one
/// per row — `tail` after each (e.g. `ON CONFLICT … DO NOTHING`, `RETURNING …`). Returns the rows
/// inserted (those returned, with a `RETURNING` tail).
pub fn insert_rows(
    sql: &mut dyn Sql,
    head: &str,
    types: &[&str],
    tail: &str,
    rows: Vec<Vec<Value>>,
) -> DbResult<u64> {
    let per_statement = (MAX_PARAMS / types.len().max(1)).max(1);
    let per_statement = if per_statement.is_power_of_two() {
        per_statement
    } else {
        per_statement.next_power_of_two() / 2
    };
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_statement).collect();
        let (table, values) = values_table(chunk, types);
        // The WHERE also keeps SQLite from reading `ON CONFLICT` as a join's `ON`.
        inserted += sql.exec(
            &format!(
                "{head} SELECT * FROM (VALUES {table}) AS q WHERE q.column1 IS NOT NULL {tail}"
            ),
            &values,
        )?;
    }
    Ok(inserted)
}

/// Rewrites `?` placeholders to `$1, $2, …`, leaving quoted text alone.
pub fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut in_quote = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                in_quote = !in_quote;
                out.push(c);
            }
            '?' if !in_quote => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered_placeholders("a = ? AND b = '?' AND c = ?"),
            "a = $1 AND b = '?' AND c = $2"
        );
    }
}
