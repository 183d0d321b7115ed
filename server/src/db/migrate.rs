//! The server schema as numbered migrations, `migrations/NNN_name.sql`, applied in order when a
//! database is opened: all that are pending in one transaction (with the version bump), or none.
//! The version is the row `('version', N)` of `schema_meta`; a database written by a newer gocua
//! is refused.
//!
//! Each file is SQL that both backends run: statements end with `;`, comments are `--` lines or
//! line ends (never inside a string), and there is no `?` outside quotes (PostgreSQL's statements
//! go through the placeholder rewriting).
//!
//! Tables derived from others (the rollups) are rebuilt by code above this layer: a migration
//! marked `stales_derived` makes the opener's [`RebuildDerived`] run once after the pending
//! migrations, in the same transaction. It does not run when the database is created, as there
//! is nothing yet to derive from.

use super::{DbError, DbResult, Sql, Value};

/// One step of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The schema version this step leads to: 1, 2, … (the file's number).
    pub version: i64,
    /// The file's name after the number, without `.sql`.
    pub name: &'static str,
    pub sql: &'static str,
    /// Leaves tables derived from others out of date (e.g. adds the rollup tables empty).
    pub stales_derived: bool,
}

/// One entry of [`MIGRATIONS`]: the file `migrations/{number}_{name}.sql`.
macro_rules! migration {
    ($version:literal, $number:literal, $name:literal, stales_derived: $stales:literal) => {
        Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("migrations/", $number, "_", $name, ".sql")),
            stales_derived: $stales,
        }
    };
}

/// Every migration, in order. To add one: a new file `migrations/NNN_name.sql` with the next
/// number, an entry here, and its frozen files in `tests/fixtures/` (see docs/architecture.md).
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "001", "base", stales_derived: false),
    migration!(2, "002", "dashboard", stales_derived: true),
    migration!(3, "003", "notes_as_data", stales_derived: false),
    migration!(4, "004", "rollup_increments", stales_derived: true),
    migration!(5, "005", "shared_state", stales_derived: false),
    migration!(6, "006", "administration", stales_derived: false),
    migration!(7, "007", "service_guides", stales_derived: false),
    migration!(8, "008", "assignments", stales_derived: false),
    migration!(9, "009", "coverage", stales_derived: false),
];

/// The schema version this build creates and understands: the last migration's.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Rebuilds the tables derived from others (supplied by the layer above, which knows how).
pub type RebuildDerived = fn(&mut dyn Sql) -> DbResult<()>;

/// A migration file's statements, comments removed.
fn statements(text: &str) -> Vec<String> {
    let without_comments: String = text
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    without_comments
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The version recorded in `schema_meta`, or 0 when the database has no `schema_meta` table.
fn found_version(sql: &mut dyn Sql, has_schema_meta: bool) -> DbResult<i64> {
    if !has_schema_meta {
        return Ok(0);
    }
    let row = sql.query_one("SELECT value FROM schema_meta WHERE key = 'version'", &[])?;
    match row.as_ref().and_then(|r| r.opt_int(0)) {
        Some(v) if v >= 1 => Ok(v),
        _ => Err(DbError::Corrupt(format!(
            "schema_meta has no usable version ({:?})",
            row.map(|r| r.text(0))
        ))),
    }
}

/// Brings the schema to [`SCHEMA_VERSION`] inside the caller's transaction (which the caller
/// holds as the only writer: an IMMEDIATE transaction or an advisory lock). `has_schema_meta`
/// says whether the database already has the `schema_meta` table, read under that lock.
pub(crate) fn migrate(
    sql: &mut dyn Sql,
    has_schema_meta: bool,
    rebuild_derived: RebuildDerived,
) -> DbResult<()> {
    let found = found_version(sql, has_schema_meta)?;
    if found > SCHEMA_VERSION {
        return Err(DbError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let mut stale = false;
    for migration in MIGRATIONS.iter().filter(|m| m.version > found) {
        for statement in statements(migration.sql) {
            sql.exec(&statement, &[])?;
        }
        stale |= migration.stales_derived;
    }
    if found == 0 {
        sql.exec(
            "INSERT INTO schema_meta(key, value) VALUES ('version', ?)",
            &[Value::Text(SCHEMA_VERSION.to_string())],
        )?;
    } else {
        sql.exec(
            "UPDATE schema_meta SET value = ? WHERE key = 'version'",
            &[Value::Text(SCHEMA_VERSION.to_string())],
        )?;
        // After every step, so the rebuild (today's code) sees today's schema.
        if stale {
            rebuild_derived(sql)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_migration_splits_into_create_statements() {
        let statements = statements(MIGRATIONS[0].sql);
        assert!(statements.len() > 20);
        assert!(
            statements.iter().all(|s| s.starts_with("CREATE")),
            "{statements:?}"
        );
    }

    #[test]
    fn migrations_are_numbered_from_1_without_gaps() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.name);
            assert!(!statements(m.sql).is_empty(), "{} is empty", m.name);
        }
    }

    /// Every file in `migrations/` is listed, under its own number and name, and nothing else.
    #[test]
    fn every_migration_file_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db/migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{:03}_{}.sql", m.version, m.name))
            .collect();
        assert_eq!(files, listed);
        for (m, file) in MIGRATIONS.iter().zip(&files) {
            assert_eq!(m.sql, std::fs::read_to_string(dir.join(file)).unwrap());
        }
    }

    #[test]
    fn no_placeholder_outside_quotes() {
        for m in MIGRATIONS {
            for s in statements(m.sql) {
                assert_eq!(
                    super::super::numbered_placeholders(&s),
                    s,
                    "{}: a '?' would become a PostgreSQL parameter",
                    m.name
                );
            }
        }
    }
}
