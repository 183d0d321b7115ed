//! Throwaway PostgreSQL databases for the benchmarks, beside the one a URL names. Shared by both
//! bench binaries (`#[path]`-included by `bin/dashboard.rs`).

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Creates `<prefix>_<uuid>` on the server of `url`: (its URL, its name for [`pg_drop`]).
pub fn pg_scratch(url: &str, prefix: &str) -> Res<(String, String)> {
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut admin = postgres::Client::connect(url, postgres::NoTls)?;
    admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    Ok((gocua_pg_scratch::with_database(url, &name), name))
}

/// Drops a scratch database, closing connections still open to it.
pub fn pg_drop(url: &str, name: &str) -> Res<()> {
    let mut admin = postgres::Client::connect(url, postgres::NoTls)?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    Ok(())
}
