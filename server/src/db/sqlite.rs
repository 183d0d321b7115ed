//! The embedded backend: one SQLite file, one writer connection (SQLite has one writer anyway),
//! WAL so readers of the file (backups, sqlite3 shell) do not block it.

use std::sync::Mutex;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};

use super::migrate::{migrate, RebuildDerived};
use super::{DbError, DbResult, Row, Sql, Value};

pub struct SqliteDb {
    conn: Mutex<Connection>,
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Value::Int(v) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

struct Tx<'a>(&'a rusqlite::Transaction<'a>);

impl Sql for Tx<'_> {
    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64> {
        let mut stmt = self.0.prepare_cached(sql)?;
        if stmt.readonly() || sql.contains("RETURNING") {
            let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
            let mut n = 0;
            while rows.next()?.is_some() {
                n += 1;
            }
            return Ok(n);
        }
        Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Text(String::from_utf8_lossy(b).into_owned()),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

impl SqliteDb {
    pub fn open(path: &str, rebuild_derived: RebuildDerived) -> DbResult<SqliteDb> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // FULL: a commit that returned survives a power loss (with NORMAL in WAL mode the last
        // commits before it can vanish, though the phones were told their records are stored).
        conn.execute_batch("PRAGMA synchronous = FULL;")?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        // Deleted and overwritten content (an erased household's name, a blanked note) is
        // overwritten with zeros in the file, not left readable in free space.
        conn.execute_batch("PRAGMA secure_delete = ON;")?;
        conn.set_prepared_statement_cache_capacity(128);
        {
            // IMMEDIATE: the write lock first, so a process opening the same file meanwhile
            // waits and then finds the schema this one made.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let has_schema_meta: bool = tx.query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'schema_meta'",
                [],
                |r| r.get(0),
            )?;
            migrate(&mut Tx(&tx), has_schema_meta, rebuild_derived)?;
            tx.commit()?;
        }
        Ok(SqliteDb {
            conn: Mutex::new(conn),
        })
    }

    /// Whether a transaction holds the connection now (for the metrics).
    pub fn in_use(&self) -> bool {
        matches!(
            self.conn.try_lock(),
            Err(std::sync::TryLockError::WouldBlock)
        )
    }

    pub fn tx<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| E::from(e.into()))?;
        let out = f(&mut Tx(&tx))?;
        tx.commit().map_err(|e| E::from(e.into()))?;
        Ok(out)
    }
}
