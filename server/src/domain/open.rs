//! The one way the server opens its database: the db layer's migrations, with the rollups (the
//! tables derived from the records) rebuilt when a migration leaves them stale. The db layer
//! cannot do that itself — it knows nothing above it — so the rebuild is handed in here.

use crate::db::{Db, DbResult};

/// Opens `target` (a SQLite file path, or a `postgres://` / `postgresql://` URL), creating the
/// schema or upgrading it; an upgrade that adds or changes rollup tables rebuilds them in the
/// same transaction.
pub fn open_database(target: &str) -> DbResult<Db> {
    let db = Db::open_with(target, super::rollup::rebuild_all)?;
    // A fresh database gets its generation now (docs/protocol.md, "Restores").
    db.tx(super::generation::current)?;
    Ok(db)
}
