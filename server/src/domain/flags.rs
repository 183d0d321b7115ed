//! Data-quality flags: why one was raised, kept as data — the flag's code (`flags.kind`) and its
//! parameters (`flags.params`, JSON) — and worded in the reader's language by the web layer
//! (`web::notes`), never stored as a sentence.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::quality::DossierProblem;
use super::tagged::Tagged;
use crate::db::{DbResult, Sql};
use crate::params;

/// Why a record was flagged, with what a coordinator needs to judge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum FlagNote {
    /// Same commune, head of household and address as another household.
    ProbableDuplicate {},
    /// The phone's clock read a time before the app existed.
    ClockUnset { recorded: DateTime<Utc> },
    /// The phone's clock was more than an hour ahead of the server's.
    ClockAhead {
        recorded: DateTime<Utc>,
        received: DateTime<Utc>,
    },
    /// Two visits to different households by one volunteer started closer than `seconds`.
    RapidVisits {
        seconds: i64,
        started_at: DateTime<Utc>,
    },
    /// The household's area is outside the team's current areas.
    OutsideTeamArea { area: String },
    /// A dossier code that does not look like the portal's.
    DossierCodeSuspect {
        code: String,
        problem: DossierProblem,
    },
}

impl Tagged for FlagNote {
    const TAG: &'static str = "code";
}

/// A flag about one record to raise (once: the same flag about the same records is not raised
/// twice).
pub struct NewFlag<'a> {
    pub record_kind: &'a str,
    pub record_id: Uuid,
    pub other_id: Option<Uuid>,
    pub team_id: Uuid,
    pub note: FlagNote,
    pub now: DateTime<Utc>,
}

/// Raises a flag, in the caller's transaction.
pub fn raise(sql: &mut dyn Sql, f: &NewFlag) -> DbResult<()> {
    sql.exec(
        "INSERT INTO flags(id, kind, record_kind, record_id, other_id, team_id, detail, params, created_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)
         ON CONFLICT(kind, record_id, other_id) DO NOTHING",
        params![
            Uuid::now_v7(),
            f.note.code(),
            f.record_kind,
            f.record_id,
            f.other_id.map_or(String::new(), |o| o.to_string()),
            f.team_id,
            f.note.params_json(),
            f.now
        ],
    )?;
    Ok(())
}

/// Raises several flags with multi-row statements (what [`raise`] does for each, in a few round
/// trips): the visits of a push are flagged together.
pub fn raise_all(sql: &mut dyn Sql, flags: &[NewFlag]) -> DbResult<()> {
    let rows: Vec<Vec<crate::db::Value>> = flags
        .iter()
        .map(|f| {
            vec![
                Uuid::now_v7().into(),
                f.note.code().into(),
                f.record_kind.into(),
                f.record_id.into(),
                f.other_id.map_or(String::new(), |o| o.to_string()).into(),
                f.team_id.into(),
                "".into(),
                f.note.params_json().into(),
                f.now.into(),
            ]
        })
        .collect();
    crate::db::insert_rows(
        sql,
        "INSERT INTO flags(id, kind, record_kind, record_id, other_id, team_id, detail, params, created_at)",
        &[
            "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT",
        ],
        "ON CONFLICT(kind, record_id, other_id) DO NOTHING",
        rows,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_survives_storage_as_code_and_params() {
        let at = DateTime::parse_from_rfc3339("2026-11-20T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let notes = [
            FlagNote::ProbableDuplicate {},
            FlagNote::ClockUnset { recorded: at },
            FlagNote::ClockAhead {
                recorded: at,
                received: at,
            },
            FlagNote::RapidVisits {
                seconds: 60,
                started_at: at,
            },
            FlagNote::OutsideTeamArea {
                area: "00070".into(),
            },
            FlagNote::DossierCodeSuspect {
                code: "X-1".into(),
                problem: DossierProblem::MissingParts,
            },
        ];
        for note in notes {
            let back = FlagNote::from_stored(&note.code(), Some(&note.params_json()));
            assert_eq!(back.as_ref(), Some(&note), "{}", note.params_json());
        }
    }

    #[test]
    fn old_flags_and_unknown_codes_have_no_note() {
        assert_eq!(FlagNote::from_stored("rapid_visits", None), None);
        assert_eq!(FlagNote::from_stored("a_new_check", Some("{}")), None);
        assert_eq!(FlagNote::from_stored("clock_unset", Some("not json")), None);
    }
}
