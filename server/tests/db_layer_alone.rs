//! The db layer (`src/db/`) compiles on its own, as a module of this test crate, where nothing
//! else of gocua-server exists: a `crate::…` path to the rest of the server (the rollups, the
//! reference data, …) would not compile here. What the layer needs from above comes in as
//! arguments, like the rollup rebuild of `Db::open_with`.

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../src/db/mod.rs"]
mod db;

#[test]
fn the_db_layer_opens_a_database_without_the_rest_of_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alone.db");
    let db = db::Db::open_with(path.to_str().unwrap(), |_| Ok(())).unwrap();
    let version = db
        .tx(|sql| sql.query_one("SELECT value FROM schema_meta WHERE key = 'version'", &[]))
        .unwrap()
        .unwrap()
        .int(0);
    assert_eq!(version, db::SCHEMA_VERSION);
}
