//! Half-filled forms, kept on the phone so they survive the app being killed. A draft is an
//! opaque body the app writes (its form's fields as typed, e.g. JSON), keyed by the form and a
//! key the app chooses. Drafts are never validated, never queued and never leave the phone; the
//! record call that stores a form deletes its draft in the same transaction.

use chrono::{DateTime, Utc};
use gocua_protocol::RecordKind;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::millis::{from_millis, millis};
use crate::store::Store;

/// Which form a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftForm {
    Household,
    Visit,
    Session,
    Feedback,
}

impl DraftForm {
    fn as_str(self) -> &'static str {
        match self {
            DraftForm::Household => "household",
            DraftForm::Visit => "visit",
            DraftForm::Session => "session",
            DraftForm::Feedback => "feedback",
        }
    }

    /// The kind of record the form makes, for naming a draft with that kind's label.
    pub fn record_kind(self) -> RecordKind {
        match self {
            DraftForm::Household => RecordKind::Household,
            DraftForm::Visit => RecordKind::Visit,
            DraftForm::Session => RecordKind::OutreachSession,
            DraftForm::Feedback => RecordKind::Feedback,
        }
    }
}

/// A saved draft: the body as the app wrote it, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

/// Deletes the draft `(form, key)`, if any; called inside the transaction that stores the
/// record, so a failed save keeps the draft.
pub(crate) fn clear_draft(conn: &Connection, form: DraftForm, key: Option<&str>) -> Result<()> {
    if let Some(key) = key {
        conn.prepare_cached("DELETE FROM drafts WHERE form = ?1 AND key = ?2")?
            .execute(params![form.as_str(), key])?;
    }
    Ok(())
}

impl Store {
    /// Saves (or replaces) the draft of `form` under `key`. The body is stored as given.
    pub fn save_draft(&self, form: DraftForm, key: &str, body: &str) -> Result<()> {
        let now = millis(self.clock.now());
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO drafts(form, key, body, updated_utc) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(form, key) DO UPDATE SET body = excluded.body, updated_utc = excluded.updated_utc",
            )?
            .execute(params![form.as_str(), key, body, now])?;
            Ok(())
        })
    }

    /// The draft of `form` under `key`, if one is kept.
    pub fn draft(&self, form: DraftForm, key: &str) -> Result<Option<Draft>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT body, updated_utc FROM drafts WHERE form = ?1 AND key = ?2",
            )?
            .query_row(params![form.as_str(), key], |r| {
                Ok(Draft {
                    body: r.get(0)?,
                    updated_at: from_millis(r.get(1)?),
                })
            })
            .optional()?)
        })
    }

    /// The keys of the drafts kept for `form`, newest first, with when each was last saved.
    pub fn drafts(&self, form: DraftForm) -> Result<Vec<(String, DateTime<Utc>)>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT key, updated_utc FROM drafts WHERE form = ?1 ORDER BY updated_utc DESC, key",
            )?;
            let rows = stmt.query_map([form.as_str()], |r| {
                Ok((r.get::<_, String>(0)?, from_millis(r.get(1)?)))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Deletes the draft of `form` under `key` (nothing happens when there is none).
    pub fn discard_draft(&self, form: DraftForm, key: &str) -> Result<()> {
        self.write(|tx| clear_draft(tx, form, Some(key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_names_the_kind_of_record_it_makes() {
        let kinds: Vec<RecordKind> = [
            DraftForm::Household,
            DraftForm::Visit,
            DraftForm::Session,
            DraftForm::Feedback,
        ]
        .into_iter()
        .map(DraftForm::record_kind)
        .collect();
        assert_eq!(
            kinds,
            vec![
                RecordKind::Household,
                RecordKind::Visit,
                RecordKind::OutreachSession,
                RecordKind::Feedback
            ]
        );
    }
}
