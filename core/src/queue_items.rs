//! The queue as the Queue screen shows it: for each record waiting or refused, what a volunteer
//! recognises it by — its kind, a title (the household's head for a household or a visit, the
//! place of a session, the category of feedback) and the names of a visit's services — read in
//! one go, so the apps never look records up one by one or show a raw key.

use chrono::{DateTime, Utc};
use gocua_protocol::{fields, FeedbackCategory, RecordKind};
use rusqlite::Connection;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::millis::from_millis;
use crate::outbox::{EntryState, RejectReason};
use crate::reference_cache::ReferenceCache;
use crate::store::Store;

/// Which entries of the queue to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueFilter {
    /// Waiting to be sent, or being sent.
    Waiting,
    /// Refused by the server.
    Rejected,
    /// Not on the server: waiting, being sent or refused.
    Unsent,
    /// Everything, also what the server accepted or deleted.
    All,
}

impl QueueFilter {
    fn where_sql(self) -> &'static str {
        match self {
            QueueFilter::Waiting => "o.state IN ('pending', 'in_flight')",
            QueueFilter::Rejected => "o.state = 'rejected'",
            QueueFilter::Unsent => "o.state IN ('pending', 'in_flight', 'rejected')",
            QueueFilter::All => "1",
        }
    }
}

/// A service of a visit, by its catalogue name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceName {
    /// The catalogue key, for the app's logic only (never shown).
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
}

/// One queued record with what the Queue screen shows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub state: EntryState,
    pub attempts: u32,
    pub queued_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The server's reason, for a refused record.
    pub reason: Option<RejectReason>,
    /// The label of the field the reason names (`reason.field`), e.g. "Mã hồ sơ (dịch vụ 1)".
    pub reason_field_label_vi: Option<String>,
    pub reason_field_label_en: Option<String>,
    /// What the record is recognised by: the household's head (for a household or a visit), the
    /// place of a session, the category of feedback. Empty when the record is gone.
    pub title_vi: String,
    pub title_en: String,
    /// The services of a visit, in the visit's order; empty for other kinds.
    pub services: Vec<ServiceName>,
}

impl QueueItem {
    /// The kind's label ("Lượt đến hộ").
    pub fn kind_label_vi(&self) -> &str {
        self.kind.label_vi()
    }

    /// The kind's label ("Visit").
    pub fn kind_label_en(&self) -> &str {
        self.kind.label_en()
    }
}

const ERASED_VI: &str = "Hộ đã xoá thông tin cá nhân";
const ERASED_EN: &str = "Household with personal data erased";
const UNKNOWN_SERVICE_VI: &str = "Dịch vụ không có trong danh mục";
const UNKNOWN_SERVICE_EN: &str = "Service not in the catalogue";

fn service_names(
    conn: &Connection,
    visit_id: &str,
    cache: &ReferenceCache,
) -> Result<Vec<ServiceName>> {
    let mut stmt = conn
        .prepare_cached("SELECT service_key FROM assists WHERE visit_id = ?1 ORDER BY position")?;
    let keys = stmt
        .query_map([visit_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys
        .into_iter()
        .map(|key| {
            let service = cache.services.iter().find(|s| s.key == key);
            ServiceName {
                name_vi: service.map_or(UNKNOWN_SERVICE_VI.to_owned(), |s| s.name_vi.clone()),
                name_en: service.map_or(UNKNOWN_SERVICE_EN.to_owned(), |s| s.name_en.clone()),
                key,
            }
        })
        .collect())
}

/// One row of the queue with the facts its title is made of.
struct Row {
    kind: String,
    record_id: String,
    state: String,
    attempts: u32,
    queued_at: i64,
    last_attempt_at: Option<i64>,
    reason: Option<RejectReason>,
    /// Head name (household, visit) or place (session).
    title: Option<String>,
    erased: bool,
    category: Option<String>,
}

fn load_rows(conn: &Connection, filter: QueueFilter) -> Result<Vec<Row>> {
    let sql = format!(
        "SELECT o.kind, o.record_id, o.state, o.attempts, o.queued_at, o.last_attempt_at,
                o.reason_code, o.reason_message_vi, o.reason_message_en, o.reason_field,
                CASE o.kind
                  WHEN 'household' THEN (SELECT h.head_name FROM households h WHERE h.id = o.record_id)
                  WHEN 'visit' THEN (SELECT h.head_name FROM visits v JOIN households h ON h.id = v.household_id
                                     WHERE v.id = o.record_id)
                  WHEN 'outreach_session' THEN (SELECT s.place FROM sessions s WHERE s.id = o.record_id)
                END,
                CASE o.kind
                  WHEN 'household' THEN (SELECT h.erased FROM households h WHERE h.id = o.record_id)
                  WHEN 'visit' THEN (SELECT h.erased FROM visits v JOIN households h ON h.id = v.household_id
                                     WHERE v.id = o.record_id)
                END,
                CASE o.kind WHEN 'feedback' THEN (SELECT f.category FROM feedback f WHERE f.id = o.record_id) END
         FROM outbox o WHERE {}
         ORDER BY o.queued_at, o.record_id",
        filter.where_sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(Row {
            kind: r.get(0)?,
            record_id: r.get(1)?,
            state: r.get(2)?,
            attempts: r.get(3)?,
            queued_at: r.get(4)?,
            last_attempt_at: r.get(5)?,
            reason: RejectReason::from_columns(r, 6)?,
            title: r.get(10)?,
            erased: r.get::<_, Option<bool>>(11)?.unwrap_or(false),
            category: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// The queue's records in `filter`, oldest first, each with its title, a visit's service
    /// names and the label of the field a refusal names — everything the Queue screen shows,
    /// in one read.
    pub fn queue_items(&self, filter: QueueFilter) -> Result<Vec<QueueItem>> {
        let cache = self.reference_cache()?;
        self.read(|c| {
            load_rows(c, filter)?
                .into_iter()
                .map(|row| {
                    let kind = RecordKind::parse(&row.kind);
                    let (title_vi, title_en) = match (&kind, row.erased) {
                        (RecordKind::Household | RecordKind::Visit, true) => {
                            (ERASED_VI.to_owned(), ERASED_EN.to_owned())
                        }
                        (RecordKind::Feedback, _) => match row.category.as_deref() {
                            Some(c) => {
                                let c = FeedbackCategory::parse(c);
                                (c.label_vi().to_owned(), c.label_en().to_owned())
                            }
                            None => Default::default(),
                        },
                        _ => {
                            let t = row.title.unwrap_or_default();
                            (t.clone(), t)
                        }
                    };
                    let services = if kind == RecordKind::Visit {
                        service_names(c, &row.record_id, &cache)?
                    } else {
                        Vec::new()
                    };
                    let field_label = row
                        .reason
                        .as_ref()
                        .and_then(|r| r.field.as_deref())
                        .map(fields::label);
                    Ok(QueueItem {
                        record_id: Uuid::parse_str(&row.record_id)
                            .map_err(|e| Error::Corrupt(e.to_string()))?,
                        state: EntryState::parse(&row.state)?,
                        attempts: row.attempts,
                        queued_at: from_millis(row.queued_at),
                        last_attempt_at: row.last_attempt_at.map(from_millis),
                        reason: row.reason,
                        reason_field_label_vi: field_label.as_ref().map(|l| l.0.clone()),
                        reason_field_label_en: field_label.map(|l| l.1),
                        title_vi,
                        title_en,
                        services,
                        kind,
                    })
                })
                .collect()
        })
    }
}
