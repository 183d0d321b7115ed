//! Throwaway PostgreSQL databases, one per test or benchmark run, on the cluster that
//! `GOCUA_TEST_PG_URL` names (`scripts/start-postgres.sh` starts one and prints it). Used by the
//! server's migration tests, the end-to-end tests and the benchmarks.

/// The variable naming the test cluster's admin URL.
pub const PG_URL_VAR: &str = "GOCUA_TEST_PG_URL";

/// The admin URL of the test cluster; panics with instructions when it is not set, so the
/// PostgreSQL half of a suite fails instead of being skipped.
pub fn pg_admin_url() -> String {
    match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
        _ => panic!(
            "{PG_URL_VAR} is not set, so the PostgreSQL half of these tests cannot run (they fail \
             instead of being skipped). Run the tests with `bash scripts/test.sh`, which starts a \
             throwaway PostgreSQL and sets it; or start one yourself with \
             `eval \"$(bash scripts/start-postgres.sh)\"; export {PG_URL_VAR}` and stop it later with \
             `bash scripts/start-postgres.sh stop \"$GOCUA_TEST_PG_DIR\"`."
        ),
    }
}

/// `url` with its database name replaced by `name` (query parameters are kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/{}{}", &base[..host_end], name, query)
}

/// A new, empty database `<prefix>_<random>` beside the one `admin` names; dropped when this is
/// dropped, unless the thread is panicking (a failed test's database is kept to inspect).
pub struct PgScratch {
    admin: String,
    name: String,
    /// The new database's URL.
    pub url: String,
}

impl PgScratch {
    pub fn new(admin: &str, prefix: &str) -> Result<PgScratch, postgres::Error> {
        let name = format!("{prefix}_{:016x}", rand::random::<u64>());
        let mut client = postgres::Client::connect(admin, postgres::NoTls)?;
        client.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(PgScratch {
            admin: admin.to_owned(),
            url: with_database(admin, &name),
            name,
        })
    }

    /// On the test cluster ([`pg_admin_url`]); panics when it cannot be reached.
    pub fn on_test_cluster(prefix: &str) -> PgScratch {
        let admin = pg_admin_url();
        PgScratch::new(&admin, prefix)
            .unwrap_or_else(|e| panic!("cannot create a database on {PG_URL_VAR}={admin}: {e}"))
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for PgScratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "keeping PostgreSQL database {} of the failed test",
                self.name
            );
            return;
        }
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
