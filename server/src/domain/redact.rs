//! Database errors as they may be logged. PostgreSQL's error text carries its DETAIL line
//! ("Key (phone)=(0912…) already exists") and messages that quote the value refused; a log line
//! keeps only what locates the problem: the SQLSTATE code, the constraint, table and column
//! names. SQLite's messages name columns, never values, and are kept as they are.

use crate::db::DbError;

/// `e` without the values of any row: what `tracing` may record of a database error.
pub fn loggable(e: &DbError) -> String {
    match e {
        DbError::Postgres(pg) => match pg.as_db_error() {
            Some(db) => {
                let mut out = format!("postgres: {} {}", db.severity(), db.code().code());
                for (name, value) in [
                    ("table", db.table()),
                    ("column", db.column()),
                    ("constraint", db.constraint()),
                ] {
                    if let Some(v) = value {
                        out.push_str(&format!(" {name}={v}"));
                    }
                }
                out
            }
            // Connection and protocol errors quote no rows.
            None => e.to_string(),
        },
        // "stored data could not be read" quotes the stored text: only its kind is kept.
        DbError::Corrupt(_) => "stored data could not be read".to_owned(),
        other => other.to_string(),
    }
}
