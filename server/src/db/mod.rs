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

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(v.into())
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::Int(v as i64)
    }
}
impl From<u16> for Value {
    fn from(v: u16) -> Self {
        Value::Int(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Int(v.timestamp_millis())
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Text(v.to_string())
    }
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
