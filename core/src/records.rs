//! Reading and writing protocol records as rows. The record types are the protocol's; this file
//! is the only place that knows their columns.

use chrono::NaiveDate;
use gocua_protocol::*;
use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::millis::{from_millis, millis};

/// A text column that does not parse as what it holds (an id, a state, a date, JSON).
pub(crate) fn conversion_error(
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

pub(crate) fn uuid(s: String) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(&s).map_err(conversion_error)
}

fn opt_uuid(s: Option<String>) -> rusqlite::Result<Option<Uuid>> {
    s.map(uuid).transpose()
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(conversion_error)
}

fn date(s: String) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(conversion_error)
}

/// A time as the device recorded it: UTC milliseconds at column `first`, the device's offset
/// in minutes at the next.
fn device_time(r: &Row<'_>, first: usize) -> rusqlite::Result<DeviceTime> {
    Ok(DeviceTime {
        utc: from_millis(r.get(first)?),
        offset_minutes: r.get(first + 1)?,
    })
}

fn hlc(s: String) -> rusqlite::Result<Hlc> {
    s.parse().map_err(conversion_error)
}

pub(crate) const HOUSEHOLD_COLUMNS: &str = "id, commune_code, hamlet_code, address_line, head_name, phone, members, consent, erased, created_by, team_id, created_utc, created_offset, clocks";

/// A record kept in one table: its columns, and how a row of them reads back.
pub(crate) trait Stored: Sized {
    const TABLE: &'static str;
    const COLUMNS: &'static str;
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self>;
}

/// The records of `T`'s table matching `where_sql` (the loaders' one query shape).
pub(crate) fn load<T: Stored>(
    conn: &Connection,
    where_sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<T>> {
    let (columns, table) = (T::COLUMNS, T::TABLE);
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {columns} FROM {table} WHERE {where_sql}"))?;
    let rows = stmt.query_map(args, T::from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn household_from_row(r: &Row<'_>) -> rusqlite::Result<Household> {
    let consent: Option<String> = r.get(7)?;
    Ok(Household {
        id: uuid(r.get(0)?)?,
        commune_code: r.get(1)?,
        hamlet_code: r.get(2)?,
        address_line: r.get(3)?,
        head_name: r.get(4)?,
        phone: r.get(5)?,
        members: r.get(6)?,
        consent: consent.as_deref().map(json).transpose()?,
        erased: r.get(8)?,
        created_by: uuid(r.get(9)?)?,
        team_id: uuid(r.get(10)?)?,
        created: device_time(r, 11)?,
        clocks: json(&r.get::<_, String>(13)?)?,
    })
}

/// The folded text the household search index holds: name, address and phone digits. Also the
/// sort key of lists and searches; the folded head name alone (`search_name`) is what search
/// ranks first.
pub(crate) fn household_search_text(h: &Household) -> String {
    let mut text = text::fold(&format!("{} {}", h.head_name, h.address_line));
    if let Some(phone) = &h.phone {
        let digits = text::phone_digits(phone);
        text.push(' ');
        text.push_str(&digits);
        // Let "912…" find "0912…" too.
        if let Some(rest) = digits.strip_prefix('0') {
            text.push(' ');
            text.push_str(rest);
        }
    }
    text
}

pub(crate) fn insert_household(
    conn: &Connection,
    h: &Household,
    now_ms: i64,
    flag: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO households(id, commune_code, hamlet_code, address_line, head_name, phone, members, consent,
            erased, created_by, team_id, created_utc, created_offset, clocks, search_text, updated_utc, time_flag,
            search_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)")?
    .execute(params![
            h.id.to_string(),
            h.commune_code,
            h.hamlet_code,
            h.address_line,
            h.head_name,
            h.phone,
            h.members,
            h.consent.as_ref().map(serde_json::to_string).transpose()?,
            h.erased,
            h.created_by.to_string(),
            h.team_id.to_string(),
            millis(h.created.utc),
            h.created.offset_minutes,
            serde_json::to_string(&h.clocks)?,
            household_search_text(h),
            now_ms,
            flag,
            text::fold(&h.head_name),
        ],
    )?;
    Ok(())
}

pub(crate) fn update_household(conn: &Connection, h: &Household, now_ms: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE households SET commune_code = ?2, hamlet_code = ?3, address_line = ?4, head_name = ?5, phone = ?6,
            members = ?7, consent = ?8, erased = ?9, clocks = ?10, search_text = ?11, updated_utc = ?12,
            search_name = ?13
         WHERE id = ?1")?
    .execute(params![
            h.id.to_string(),
            h.commune_code,
            h.hamlet_code,
            h.address_line,
            h.head_name,
            h.phone,
            h.members,
            h.consent.as_ref().map(serde_json::to_string).transpose()?,
            h.erased,
            serde_json::to_string(&h.clocks)?,
            household_search_text(h),
            now_ms,
            text::fold(&h.head_name),
        ],
    )?;
    Ok(())
}

pub(crate) fn load_household(conn: &Connection, id: Uuid) -> Result<Household> {
    conn.query_row(
        &format!("SELECT {HOUSEHOLD_COLUMNS} FROM households WHERE id = ?1"),
        [id.to_string()],
        household_from_row,
    )
    .optional()?
    .ok_or(Error::NotFound {
        kind: "household",
        id,
    })
}

const VISIT_COLUMNS: &str = "id, household_id, volunteer_id, team_id, campaign_id, revision, supersedes, started_at, ended_at, outcome, people_reached, gps_lat, gps_lon, gps_accuracy_m, note, follow_up_on, recorded_utc, recorded_offset, hlc";

impl Stored for Visit {
    const TABLE: &'static str = "visits";
    const COLUMNS: &'static str = VISIT_COLUMNS;
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
        let lat: Option<f64> = r.get(11)?;
        let lon: Option<f64> = r.get(12)?;
        let acc: Option<f64> = r.get(13)?;
        Ok(Visit {
            id: uuid(r.get(0)?)?,
            household_id: uuid(r.get(1)?)?,
            volunteer_id: uuid(r.get(2)?)?,
            team_id: uuid(r.get(3)?)?,
            campaign_id: opt_uuid(r.get(4)?)?,
            revision: r.get(5)?,
            supersedes: opt_uuid(r.get(6)?)?,
            started_at: from_millis(r.get(7)?),
            ended_at: r.get::<_, Option<i64>>(8)?.map(from_millis),
            outcome: VisitOutcome::parse(&r.get::<_, String>(9)?),
            people_reached: r.get(10)?,
            gps: match (lat, lon, acc) {
                (Some(lat), Some(lon), Some(acc)) => Some(GeoPoint {
                    lat,
                    lon,
                    accuracy_m: acc as f32,
                }),
                _ => None,
            },
            note: r.get(14)?,
            follow_up_on: r.get::<_, Option<String>>(15)?.map(date).transpose()?,
            assists: Vec::new(),
            recorded: device_time(r, 16)?,
            hlc: hlc(r.get(18)?)?,
        })
    }
}

fn load_assists(conn: &Connection, visit_id: Uuid) -> Result<Vec<Assist>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, service_key, level_43, level_42, result, dossier_code, not_finished_reason
         FROM assists WHERE visit_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([visit_id.to_string()], |r| {
        Ok(Assist {
            id: uuid(r.get(0)?)?,
            service_key: r.get(1)?,
            level_43: r.get::<_, Option<String>>(2)?.map(|s| Level43::parse(&s)),
            level_42: r.get::<_, Option<String>>(3)?.map(|s| Level42::parse(&s)),
            result: AssistResult::parse(&r.get::<_, String>(4)?),
            dossier_code: r.get(5)?,
            not_finished_reason: r
                .get::<_, Option<String>>(6)?
                .map(|s| NotFinishedReason::parse(&s)),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Loads visits matching `where_sql` (over the `visits` table), with their assists.
pub(crate) fn load_visits(
    conn: &Connection,
    where_sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Visit>> {
    load::<Visit>(conn, where_sql, args)?
        .into_iter()
        .map(|mut v| {
            v.assists = load_assists(conn, v.id)?;
            Ok(v)
        })
        .collect()
}

pub(crate) fn load_visit(conn: &Connection, id: Uuid) -> Result<Visit> {
    let id_text = id.to_string();
    load_visits(conn, "id = ?1", &[&id_text])?
        .pop()
        .ok_or(Error::NotFound { kind: "visit", id })
}

pub(crate) fn insert_visit(conn: &Connection, v: &Visit, flag: Option<&str>) -> Result<()> {
    conn.prepare_cached(
        &format!("INSERT INTO visits({VISIT_COLUMNS}, time_flag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"))?
    .execute(params![
            v.id.to_string(),
            v.household_id.to_string(),
            v.volunteer_id.to_string(),
            v.team_id.to_string(),
            v.campaign_id.map(|c| c.to_string()),
            v.revision,
            v.supersedes.map(|s| s.to_string()),
            millis(v.started_at),
            v.ended_at.map(millis),
            v.outcome.as_str(),
            v.people_reached,
            v.gps.map(|g| g.lat),
            v.gps.map(|g| g.lon),
            v.gps.map(|g| f64::from(g.accuracy_m)),
            v.note,
            v.follow_up_on.map(|d| d.to_string()),
            millis(v.recorded.utc),
            v.recorded.offset_minutes,
            v.hlc.to_string(),
            flag,
        ],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO assists(id, visit_id, position, service_key, level_43, level_42, result, dossier_code, not_finished_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, a) in v.assists.iter().enumerate() {
        stmt.execute(params![
            a.id.to_string(),
            v.id.to_string(),
            i as i64,
            a.service_key,
            a.level_43.as_ref().map(|l| l.as_str().to_owned()),
            a.level_42.as_ref().map(|l| l.as_str().to_owned()),
            a.result.as_str(),
            a.dossier_code,
            a.not_finished_reason
                .as_ref()
                .map(|r| r.as_str().to_owned()),
        ])?;
    }
    Ok(())
}

const SESSION_COLUMNS: &str = "id, team_id, volunteer_id, campaign_id, kind, area_code, place, held_on, attendees, materials, note, recorded_utc, recorded_offset, hlc";

impl Stored for OutreachSession {
    const TABLE: &'static str = "sessions";
    const COLUMNS: &'static str = SESSION_COLUMNS;
    fn from_row(r: &Row<'_>) -> rusqlite::Result<OutreachSession> {
        Ok(OutreachSession {
            id: uuid(r.get(0)?)?,
            team_id: uuid(r.get(1)?)?,
            volunteer_id: uuid(r.get(2)?)?,
            campaign_id: opt_uuid(r.get(3)?)?,
            kind: SessionKind::parse(&r.get::<_, String>(4)?),
            area_code: r.get(5)?,
            place: r.get(6)?,
            held_on: date(r.get(7)?)?,
            attendees: r.get(8)?,
            materials: json(&r.get::<_, String>(9)?)?,
            note: r.get(10)?,
            recorded: device_time(r, 11)?,
            hlc: hlc(r.get(13)?)?,
        })
    }
}

/// The outreach session `id`.
pub(crate) fn load_session(conn: &Connection, id: Uuid) -> Result<OutreachSession> {
    load::<OutreachSession>(conn, "id = ?1", &[&id.to_string()])?
        .pop()
        .ok_or(Error::NotFound {
            kind: "outreach session",
            id,
        })
}

pub(crate) fn insert_session(
    conn: &Connection,
    s: &OutreachSession,
    flag: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        &format!("INSERT INTO sessions({SESSION_COLUMNS}, time_flag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"))?
    .execute(params![
            s.id.to_string(),
            s.team_id.to_string(),
            s.volunteer_id.to_string(),
            s.campaign_id.map(|c| c.to_string()),
            s.kind.as_str(),
            s.area_code,
            s.place,
            s.held_on.to_string(),
            s.attendees,
            serde_json::to_string(&s.materials)?,
            s.note,
            millis(s.recorded.utc),
            s.recorded.offset_minutes,
            s.hlc.to_string(),
            flag,
        ],
    )?;
    Ok(())
}

const FEEDBACK_COLUMNS: &str = "id, team_id, volunteer_id, source_type, source_id, category, text, area_code, recorded_utc, recorded_offset, hlc";

impl Stored for Feedback {
    const TABLE: &'static str = "feedback";
    const COLUMNS: &'static str = FEEDBACK_COLUMNS;
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Feedback> {
        let source_type: String = r.get(3)?;
        let source_id = opt_uuid(r.get(4)?)?;
        let source = match (source_type.as_str(), source_id) {
            ("visit", Some(id)) => FeedbackSource::Visit(id),
            ("session", Some(id)) => FeedbackSource::Session(id),
            _ => FeedbackSource::General,
        };
        Ok(Feedback {
            id: uuid(r.get(0)?)?,
            team_id: uuid(r.get(1)?)?,
            volunteer_id: uuid(r.get(2)?)?,
            source,
            category: FeedbackCategory::parse(&r.get::<_, String>(5)?),
            text: r.get(6)?,
            area_code: r.get(7)?,
            recorded: device_time(r, 8)?,
            hlc: hlc(r.get(10)?)?,
        })
    }
}

pub(crate) fn insert_feedback(conn: &Connection, f: &Feedback, flag: Option<&str>) -> Result<()> {
    let (source_type, source_id) = match f.source {
        FeedbackSource::Visit(id) => ("visit", Some(id)),
        FeedbackSource::Session(id) => ("session", Some(id)),
        FeedbackSource::General => ("general", None),
    };
    conn.prepare_cached(
        &format!("INSERT INTO feedback({FEEDBACK_COLUMNS}, time_flag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"))?
    .execute(params![
            f.id.to_string(),
            f.team_id.to_string(),
            f.volunteer_id.to_string(),
            source_type,
            source_id.map(|s| s.to_string()),
            f.category.as_str(),
            f.text,
            f.area_code,
            millis(f.recorded.utc),
            f.recorded.offset_minutes,
            f.hlc.to_string(),
            flag,
        ],
    )?;
    Ok(())
}

/// The current content of a queued record, as it will be uploaded.
pub(crate) fn load_change(conn: &Connection, kind: &RecordKind, id: Uuid) -> Result<Change> {
    let id_text = id.to_string();
    Ok(match kind {
        RecordKind::Household => Change::Household(load_household(conn, id)?),
        RecordKind::Visit => Change::Visit(load_visit(conn, id)?),
        RecordKind::OutreachSession => Change::OutreachSession(load_session(conn, id)?),
        RecordKind::Feedback => Change::Feedback(
            load::<Feedback>(conn, "id = ?1", &[&id_text])?
                .pop()
                .ok_or(Error::NotFound {
                    kind: "feedback",
                    id,
                })?,
        ),
        RecordKind::Assignment => crate::assignment_rows::load_change(conn, id)?,
        RecordKind::Unknown(other) => {
            return Err(Error::Corrupt(format!(
                "unknown record kind {other} in queue"
            )))
        }
    })
}
