//! Service guides on the phone: stored with the reference data (kind `guide`, one per service
//! key) and read offline when the visit form opens one. The Markdown is parsed here, by the
//! protocol's one reader, so the apps only draw blocks.

use gocua_protocol::guide::ServiceGuide;
use rusqlite::{params, OptionalExtension};

use crate::error::Result;
use crate::store::Store;

const KIND: &str = "guide";

/// Stores a download's guides (inside `apply_reference_data`'s transaction; a full download has
/// already removed the old ones, so a deleted guide disappears).
pub(crate) fn store_guides(tx: &rusqlite::Connection, guides: &[ServiceGuide]) -> Result<()> {
    for g in guides {
        tx.execute(
            "INSERT INTO reference_items(kind, id, body) VALUES (?1, ?2, ?3)
             ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body",
            params![KIND, g.service_key, serde_json::to_string(g)?],
        )?;
    }
    Ok(())
}

impl Store {
    /// The guide of service `key`, as last downloaded.
    pub fn service_guide(&self, key: &str) -> Result<Option<ServiceGuide>> {
        let body: Option<String> = self.read(|c| {
            Ok(c.query_row(
                "SELECT body FROM reference_items WHERE kind = ?1 AND id = ?2",
                params![KIND, key],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
    }

    /// The keys of the services that have a guide, sorted: the visit form shows "Hướng dẫn" on
    /// these.
    pub fn guide_keys(&self) -> Result<Vec<String>> {
        self.read(|c| {
            let mut stmt =
                c.prepare_cached("SELECT id FROM reference_items WHERE kind = ?1 ORDER BY id")?;
            let keys = stmt
                .query_map([KIND], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(keys)
        })
    }
}
