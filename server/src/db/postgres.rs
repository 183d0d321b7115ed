//! The scale-out backend: PostgreSQL through a small pool of blocking clients. Many `gocua serve`
//! processes can share one database behind a load balancer; nothing is kept in process memory
//! that another process would need.
//!
//! **The pool is bounded**: at most `pool_max_conns` connections (default
//! [`DEFAULT_MAX_CONNS`]) are open at once; a caller finding them all busy waits up to
//! `pool_wait_ms` (default [`DEFAULT_WAIT`]) for one to come back, then gets
//! [`DbError::PoolTimeout`] (the phone API answers `503 server_error` with `Retry-After`) instead
//! of opening another. Both are query parameters of the database URL, read and removed here.
//!
//! **TLS** follows the URL's `sslmode`, as libpq does: `disable` (plain), `prefer` (the default:
//! TLS when the server offers it), `require` (TLS or no connection), `verify-ca` (TLS and a
//! certificate chain to a trusted root), `verify-full` (and the certificate names the host).
//! Trusted roots are the file `sslrootcert` names, else the system's. As in libpq, `require`
//! with an `sslrootcert` also verifies the chain, and `prefer`/`require` without one encrypt
//! without checking who answers (they defeat eavesdropping, not impersonation): use
//! `verify-full` across networks you do not control.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use postgres::config::SslMode;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, Config, NoTls, Statement};
use postgres_openssl::MakeTlsConnector;

use super::migrate::{migrate, RebuildDerived};
use super::{numbered_placeholders, DbError, DbResult, Row, Sql, Value};

/// Connections one server process opens at most, unless the URL says `pool_max_conns=N`.
/// PostgreSQL's own default limit is 100 for all clients together; several `gocua serve`
/// processes with 16 each stay below it.
pub const DEFAULT_MAX_CONNS: usize = 16;
/// How long a caller waits for a busy pool, unless the URL says `pool_wait_ms=N`.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// The connections: those idle, and how many are open (idle or lent out).
struct Pool {
    idle: Vec<Conn>,
    open: usize,
}

/// How to connect: the driver's configuration and the TLS it needs.
struct Connector {
    config: Config,
    tls: Option<MakeTlsConnector>,
}

impl Connector {
    fn connect(&self) -> DbResult<Client> {
        Ok(match &self.tls {
            Some(tls) => self.config.connect(tls.clone())?,
            None => self.config.connect(NoTls)?,
        })
    }
}

pub struct PgDb {
    connector: Connector,
    max: usize,
    wait: Duration,
    pool: Mutex<Pool>,
    returned: Condvar,
    /// Callers that found every connection busy and waited (for the metrics).
    waits: AtomicU64,
    /// Callers refused after the whole wait (for the metrics).
    timeouts: AtomicU64,
}

/// What a database URL says beyond the driver's own options.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UrlOptions {
    /// The URL without the options read here.
    driver_url: String,
    ssl_mode: TlsMode,
    root_cert: Option<String>,
    max: usize,
    wait: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TlsMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits the URL's query into the driver's options and ours (`sslmode` is read by both: the
/// driver knows only disable/prefer/require).
fn url_options(url: &str) -> DbResult<UrlOptions> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let mut ssl_mode = TlsMode::Prefer;
    let mut root_cert = None;
    let mut max = DEFAULT_MAX_CONNS;
    let mut wait = DEFAULT_WAIT;
    let bad = |what: &str, value: &str| DbError::Config(format!("{what}={value} is not valid"));
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                let (mode, driver) = match value {
                    "disable" => (TlsMode::Disable, "disable"),
                    "prefer" => (TlsMode::Prefer, "prefer"),
                    "require" => (TlsMode::Require, "require"),
                    "verify-ca" => (TlsMode::VerifyCa, "require"),
                    "verify-full" => (TlsMode::VerifyFull, "require"),
                    _ => {
                        return Err(bad(
                            "sslmode (disable, prefer, require, verify-ca or verify-full)",
                            value,
                        ))
                    }
                };
                ssl_mode = mode;
                kept.push(format!("sslmode={driver}"));
            }
            "sslrootcert" => root_cert = Some(percent_decode(value)),
            "pool_max_conns" => {
                max = value
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| bad("pool_max_conns (at least 1)", value))?
            }
            "pool_wait_ms" => {
                wait = Duration::from_millis(
                    value
                        .parse()
                        .map_err(|_| bad("pool_wait_ms (milliseconds)", value))?,
                )
            }
            _ => kept.push(pair.to_owned()),
        }
    }
    let driver_url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok(UrlOptions {
        driver_url,
        ssl_mode,
        root_cert,
        max,
        wait,
    })
}

/// Turns PostgreSQL's JIT compilation off for our connections, unless the URL's `options` set
/// `jit` themselves. JIT pays off for long analytic queries; ours take milliseconds, yet a push's
/// lookups (a subquery per row of a 200-row VALUES table) are *estimated* costly enough to be
/// compiled with inlining and optimisation, which took 150–180 ms per batch of 200 visits — 90 %
/// of the ingest's time once a team had ~100,000 visits (bench: 1,070 visits/s with JIT).
fn without_jit(config: &mut Config) {
    let given = config.get_options().unwrap_or("").to_owned();
    if !given.contains("jit") {
        config.options(format!("{given} -c jit=off").trim());
    }
}

fn connector(options: &UrlOptions) -> DbResult<Connector> {
    let mut config = Config::from_str(&options.driver_url)?;
    without_jit(&mut config);
    if options.ssl_mode == TlsMode::Disable {
        return Ok(Connector { config, tls: None });
    }
    debug_assert_ne!(config.get_ssl_mode(), SslMode::Disable);
    let tls_error = |e: openssl::error::ErrorStack| DbError::Config(format!("TLS: {e}"));
    let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(tls_error)?;
    if let Some(file) = &options.root_cert {
        builder.set_ca_file(file).map_err(|e| {
            DbError::Config(format!(
                "sslrootcert {file} cannot be read as certificates: {e}"
            ))
        })?;
    }
    let verify_chain = matches!(options.ssl_mode, TlsMode::VerifyCa | TlsMode::VerifyFull)
        || options.root_cert.is_some();
    let verify_host = options.ssl_mode == TlsMode::VerifyFull;
    builder.set_verify(if verify_chain {
        SslVerifyMode::PEER
    } else {
        SslVerifyMode::NONE
    });
    let mut tls = MakeTlsConnector::new(builder.build());
    tls.set_callback(move |ssl, _host| {
        ssl.set_verify_hostname(verify_host);
        Ok(())
    });
    Ok(Connector {
        config,
        tls: Some(tls),
    })
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT2 => (*v as i16).to_sql(ty, out),
                Type::INT4 => (*v as i32).to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(v) => match *ty {
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn read_value(row: &postgres::Row, i: usize) -> DbResult<Value> {
    // Column `i` as a `T` (NULL: Value::Null), made a Value by `value`.
    fn cell<'r, T: postgres::types::FromSql<'r>>(
        row: &'r postgres::Row,
        i: usize,
        value: impl FnOnce(T) -> Value,
    ) -> DbResult<Value> {
        Ok(row.try_get::<_, Option<T>>(i)?.map_or(Value::Null, value))
    }
    let ty = row.columns()[i].type_().clone();
    match ty {
        Type::INT8 => cell(row, i, Value::Int),
        Type::INT4 => cell(row, i, |v: i32| Value::Int(v.into())),
        Type::INT2 => cell(row, i, |v: i16| Value::Int(v.into())),
        Type::BOOL => cell(row, i, |v: bool| Value::Int(v.into())),
        Type::FLOAT8 => cell(row, i, Value::Real),
        Type::FLOAT4 => cell(row, i, |v: f32| Value::Real(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => cell(row, i, Value::Text),
        other => Err(DbError::Corrupt(format!(
            "column type {other} is not used by gocua; cast it in the query"
        ))),
    }
}

struct Tx<'a> {
    tx: postgres::Transaction<'a>,
    statements: &'a mut HashMap<String, Statement>,
    /// A statement failed with an error that running the whole transaction again can cure
    /// (see [`is_transient`]).
    transient: bool,
}

/// How many times [`PgDb::tx_retrying`] runs a transaction at most.
const MAX_ATTEMPTS: u32 = 8;

/// A deadlock or a serialization failure: PostgreSQL cancelled this transaction so that another
/// could go on; the same transaction run again normally succeeds.
fn is_transient(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    e.code().is_some_and(|c| {
        *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
    })
}

impl Tx<'_> {
    /// Passes a result on, noting a transient error.
    fn note<T>(&mut self, r: Result<T, postgres::Error>) -> DbResult<T> {
        r.map_err(|e| {
            self.transient |= is_transient(&e);
            e.into()
        })
    }

    fn statement(&mut self, sql: &str) -> DbResult<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.tx.prepare(&numbered_placeholders(sql));
        let prepared = self.note(prepared)?;
        self.statements.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for Tx<'_> {
    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64> {
        let stmt = self.statement(sql)?;
        if sql.contains("RETURNING") {
            let rows = self.tx.query(&stmt, &refs(params));
            return Ok(self.note(rows)?.len() as u64);
        }
        let n = self.tx.execute(&stmt, &refs(params));
        self.note(n)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>> {
        let stmt = self.statement(sql)?;
        let rows = self.tx.query(&stmt, &refs(params));
        let rows = self.note(rows)?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| read_value(r, i))
                    .collect::<DbResult<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }
}

impl PgDb {
    pub fn open(url: &str, rebuild_derived: RebuildDerived) -> DbResult<PgDb> {
        let options = url_options(url)?;
        let db = PgDb {
            connector: connector(&options)?,
            max: options.max,
            wait: options.wait,
            pool: Mutex::new(Pool {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
            waits: AtomicU64::new(0),
            timeouts: AtomicU64::new(0),
        };
        let mut conn = db.take()?;
        {
            let tx = conn.client.transaction()?;
            let mut wrapped = Tx {
                tx,
                statements: &mut conn.statements,
                transient: false,
            };
            // Serialise migrations between processes starting at once.
            wrapped
                .tx
                .execute("SELECT pg_advisory_xact_lock(7240001)", &[])?;
            let has_schema_meta: bool = wrapped
                .tx
                .query_one(
                    "SELECT count(*) > 0 FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_name = 'schema_meta'",
                    &[],
                )?
                .get(0);
            migrate(&mut wrapped, has_schema_meta, rebuild_derived)?;
            wrapped.tx.commit()?;
        }
        db.release(conn);
        Ok(db)
    }

    /// The most connections this pool opens.
    pub fn max_connections(&self) -> usize {
        self.max
    }

    /// The pool now: connections lent out and idle, waits and timeouts so far (read-only).
    pub fn pool_stats(&self) -> super::PoolStats {
        let pool = self.lock();
        super::PoolStats {
            max: self.max,
            in_use: pool.open.saturating_sub(pool.idle.len()),
            idle: pool.idle.len(),
            waits: self.waits.load(Ordering::Relaxed),
            timeouts: self.timeouts.load(Ordering::Relaxed),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An idle connection, or a new one while fewer than `max` are open, or the first one given
    /// back within the wait; never more than `max` open.
    fn take(&self) -> DbResult<Conn> {
        let started = Instant::now();
        let mut pool = self.lock();
        let mut waited_once = false;
        loop {
            while let Some(conn) = pool.idle.pop() {
                if !conn.client.is_closed() {
                    return Ok(conn);
                }
                pool.open -= 1;
            }
            if pool.open < self.max {
                pool.open += 1;
                drop(pool);
                return match self.connector.connect() {
                    Ok(client) => Ok(Conn {
                        client,
                        statements: HashMap::new(),
                    }),
                    Err(e) => {
                        self.forget();
                        Err(e)
                    }
                };
            }
            let waited = started.elapsed();
            if waited >= self.wait {
                self.timeouts.fetch_add(1, Ordering::Relaxed);
                return Err(DbError::PoolTimeout {
                    max: self.max,
                    waited_ms: waited.as_millis() as u64,
                });
            }
            if !waited_once {
                waited_once = true;
                self.waits.fetch_add(1, Ordering::Relaxed);
            }
            pool = self
                .returned
                .wait_timeout(pool, self.wait - waited)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// A connection that was lent out is closed or dropped: its place is free.
    fn forget(&self) {
        let mut pool = self.lock();
        pool.open = pool.open.saturating_sub(1);
        drop(pool);
        self.returned.notify_one();
    }

    fn release(&self, conn: Conn) {
        if conn.client.is_closed() {
            return self.forget();
        }
        self.lock().idle.push(conn);
        self.returned.notify_one();
    }

    pub fn tx<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        self.attempt(f).0
    }

    /// Like [`PgDb::tx`], but a transaction that PostgreSQL cancelled as a deadlock victim or
    /// for a serialization failure is run again (up to [`MAX_ATTEMPTS`] times, after a short
    /// growing pause), so the caller sees such an error only when it keeps happening.
    pub fn tx_retrying<T, E: From<DbError>>(
        &self,
        mut f: impl FnMut(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut attempt = 1;
        loop {
            match self.attempt(&mut f) {
                (Err(_), true) if attempt < MAX_ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(2 << attempt));
                    attempt += 1;
                }
                (result, _) => return result,
            }
        }
    }

    /// One run of `f` in a transaction, and whether it failed with a transient error.
    fn attempt<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> (Result<T, E>, bool) {
        let conn = match self.take() {
            Ok(conn) => conn,
            Err(e) => return (Err(E::from(e)), false),
        };
        let mut conn = Lease {
            db: self,
            conn: Some(conn),
        };
        let conn = conn.conn.as_mut().expect("leased");
        let tx = match conn.client.transaction() {
            Ok(tx) => tx,
            Err(e) => return (Err(E::from(e.into())), false),
        };
        let mut wrapped = Tx {
            tx,
            statements: &mut conn.statements,
            transient: false,
        };
        match f(&mut wrapped) {
            Ok(v) => match wrapped.tx.commit() {
                Ok(()) => (Ok(v), false),
                Err(e) => {
                    let transient = is_transient(&e);
                    (Err(E::from(e.into())), transient)
                }
            },
            // Dropping the transaction rolls it back.
            Err(e) => (Err(e), wrapped.transient),
        }
    }
}

/// A connection lent out of the pool; given back when dropped, also when the caller panicked
/// (then closed rather than reused: its state is unknown).
struct Lease<'a> {
    db: &'a PgDb,
    conn: Option<Conn>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if std::thread::panicking() {
                drop(conn);
                self.db.forget();
            } else {
                self.db.release(conn);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_s_own_options_are_read_and_removed() {
        let o = url_options("postgres://u@h:5432/db").unwrap();
        assert_eq!(o.driver_url, "postgres://u@h:5432/db");
        assert_eq!(
            (o.ssl_mode, o.max, o.wait, o.root_cert),
            (TlsMode::Prefer, DEFAULT_MAX_CONNS, DEFAULT_WAIT, None)
        );
        let o = url_options(
            "postgres://u@h/db?sslmode=verify-full&pool_max_conns=3&application_name=gocua&pool_wait_ms=250&sslrootcert=%2Fetc%2Fca.pem",
        )
        .unwrap();
        assert_eq!(
            o.driver_url,
            "postgres://u@h/db?sslmode=require&application_name=gocua"
        );
        assert_eq!(o.ssl_mode, TlsMode::VerifyFull);
        assert_eq!(o.max, 3);
        assert_eq!(o.wait, Duration::from_millis(250));
        assert_eq!(o.root_cert.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(
            url_options("postgres://h/db?sslmode=disable")
                .unwrap()
                .ssl_mode,
            TlsMode::Disable
        );
        for bad in [
            "postgres://h/db?sslmode=allow-anything",
            "postgres://h/db?pool_max_conns=0",
            "postgres://h/db?pool_max_conns=many",
            "postgres://h/db?pool_wait_ms=-1",
        ] {
            assert!(matches!(url_options(bad), Err(DbError::Config(_))), "{bad}");
        }
    }
}
