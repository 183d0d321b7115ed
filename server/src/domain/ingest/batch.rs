//! The visits of a push stored together. A push is mostly visits, and on PostgreSQL every
//! statement is a network round trip, so a run of consecutive visits is taken with a fixed number
//! of statements whatever its length: what the database holds about them (coordinator deletions,
//! ids already stored, corrections naming them, their households, assist ids, other visits of the
//! volunteer too close in time) is read with one query for the whole run, and the visits, their
//! assists and their flags are written with one multi-row `INSERT` each.
//!
//! The verdicts and rows are exactly those of taking the visits one by one ([`Ingest::visit`]):
//! the checks run in the same order, and what an earlier visit of the run stored is seen by the
//! later ones (kept in memory until written). Visits whose storing touches other visits — a
//! correction, a visit a stored correction already names, a visit to an erased household (its
//! feedback is blanked) — take the one-by-one path, after everything before them is written;
//! the lookups are then read again for the rest of the run.

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use gocua_protocol::validation;
use gocua_protocol::*;
use uuid::Uuid;

use super::{
    conflict, deleted_refusal, from_validation, json, not_your_team, refusal, result, Ingest,
    PushDelta,
};
use crate::db::{insert_rows, values_table, DbResult, Sql, Value};
use crate::domain::auth::sha256_hex;
use crate::domain::flags::{self, NewFlag};
use crate::domain::quality::MIN_SECONDS_BETWEEN_VISITS;

/// A visit's household as the checks and the counts need it.
struct HouseholdRow {
    team_id: Uuid,
    erased: bool,
    /// The household's hamlet, else its commune (where the visit took place).
    area: String,
    hamlet_code: Option<String>,
}

/// What the database holds about the visits of a run (read before any of them is written).
#[derive(Default)]
struct Lookups {
    deleted: HashSet<Uuid>,
    /// Content hash by id.
    stored: HashMap<Uuid, String>,
    /// Ids that a stored visit's `supersedes` names.
    named: HashSet<Uuid>,
    households: HashMap<Uuid, HouseholdRow>,
    assists: HashSet<Uuid>,
    /// For a visit, a stored current visit of its volunteer to another household started less
    /// than [`MIN_SECONDS_BETWEEN_VISITS`] apart.
    rapid: HashMap<Uuid, Uuid>,
}

/// Visits whose lookups are read by one query (its parameters stay far below the backends'
/// limits, assists included).
const LOOKUP_CHUNK: usize = 256;

impl Lookups {
    fn load(sql: &mut dyn Sql, visits: &[Visit]) -> DbResult<Lookups> {
        let mut out = Lookups::default();
        for chunk in visits.chunks(LOOKUP_CHUNK) {
            out.load_chunk(sql, chunk)?;
        }
        Ok(out)
    }

    /// One query, one round trip: a `UNION ALL` of the lookups, each row tagged with its kind.
    fn load_chunk(&mut self, sql: &mut dyn Sql, visits: &[Visit]) -> DbResult<()> {
        let mut household_ids: Vec<Uuid> = visits.iter().map(|v| v.household_id).collect();
        household_ids.sort();
        household_ids.dedup();
        let household_ids: Vec<Value> = household_ids.into_iter().map(Into::into).collect();
        let assist_ids: Vec<Value> = visits
            .iter()
            .flat_map(|v| v.assists.iter().map(|a| a.id.into()))
            .collect();
        let window = Duration::seconds(MIN_SECONDS_BETWEEN_VISITS);
        let near: Vec<Vec<Value>> = visits
            .iter()
            .map(|v| {
                vec![
                    v.id.into(),
                    v.volunteer_id.into(),
                    v.household_id.into(),
                    (v.started_at - window).into(),
                    (v.started_at + window).into(),
                ]
            })
            .collect();
        let one =
            |keys: Vec<Value>| -> Vec<Vec<Value>> { keys.into_iter().map(|k| vec![k]).collect() };
        let (near_table, mut params) =
            values_table(near, &["TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT"]);
        let (assist_table, assist_values) = values_table(one(assist_ids), &["TEXT"]);
        let (household_table, household_values) = values_table(one(household_ids), &["TEXT"]);
        params.extend(assist_values);
        params.extend(household_values);
        // Every lookup is a probe of an index per key (a subquery per row of a VALUES table), not
        // an `IN (…)` list: with a large list and statistics not yet gathered (a table just
        // filled), PostgreSQL would scan whole tables instead. The rapid-visit probe is ordered
        // like its index, so that it stops at the first match even when many visits match.
        let query = format!(
            "SELECT 'visit', q.column1,
                 (SELECT v.content_hash FROM visits v WHERE v.id = q.column1),
                 (SELECT CAST(count(*) AS TEXT) FROM deleted_records d WHERE d.kind = 'visit' AND d.id = q.column1),
                 (SELECT CAST(count(*) AS TEXT) FROM visits v WHERE v.supersedes = q.column1),
                 (SELECT v.id FROM visits v WHERE v.volunteer_id = q.column2 AND v.household_id <> q.column3 AND v.id <> q.column1
                     AND v.superseded_by IS NULL AND v.started_at > q.column4 AND v.started_at < q.column5
                     ORDER BY v.started_at LIMIT 1)
               FROM (VALUES {near_table}) AS q WHERE q.column1 IS NOT NULL
             UNION ALL SELECT 'assist', q.column1,
                 (SELECT CAST(count(*) AS TEXT) FROM assists a WHERE a.id = q.column1), NULL, NULL, NULL
               FROM (VALUES {assist_table}) AS q WHERE q.column1 IS NOT NULL
             UNION ALL SELECT 'household', h.id, h.team_id, CAST(h.erased AS TEXT), h.commune_code, h.hamlet_code
               FROM (VALUES {household_table}) AS q JOIN households h ON h.id = q.column1"
        );
        for r in sql.query(&query, &params)? {
            let id = r.uuid(1)?;
            match r.text(0).as_str() {
                "visit" => {
                    if let Some(content) = r.opt_text(2) {
                        self.stored.insert(id, content);
                    }
                    if r.int(3) > 0 {
                        self.deleted.insert(id);
                    }
                    if r.int(4) > 0 {
                        self.named.insert(id);
                    }
                    if let Some(other) = r.opt_uuid(5)? {
                        self.rapid.insert(id, other);
                    }
                }
                "assist" => {
                    if r.int(2) > 0 {
                        self.assists.insert(id);
                    }
                }
                _ => {
                    self.households.insert(
                        id,
                        HouseholdRow {
                            team_id: r.uuid(2)?,
                            erased: r.int(3) != 0,
                            area: r.opt_text(5).unwrap_or_else(|| r.text(4)),
                            hamlet_code: r.opt_text(5),
                        },
                    );
                }
            }
        }
        Ok(())
    }
}

/// An accepted visit of the run, not yet written.
struct Ready {
    /// Its place in the run.
    at: usize,
    content: String,
    body: String,
    area: String,
    hamlet_code: Option<String>,
    /// A stored visit too close in time (from the lookups).
    rapid: Option<Uuid>,
}

impl Ingest<'_> {
    /// Takes a run of consecutive visits of the push, appending one verdict per visit to
    /// `results` and what counts to `delta`.
    pub(super) fn visits(
        &self,
        sql: &mut dyn Sql,
        run: Vec<Visit>,
        results: &mut Vec<RecordResult>,
        delta: &mut PushDelta<'_>,
    ) -> DbResult<()> {
        let kind = RecordKind::Visit;
        let catalogue = catalogue_by_key(&self.data.services);
        let mut lookups: Option<Lookups> = None;
        let mut ready: Vec<Ready> = Vec::new();
        // What this run stored, which the lookups (read before) do not show.
        let mut stored_here: HashMap<Uuid, String> = HashMap::new();
        let mut assists_here: HashSet<Uuid> = HashSet::new();
        for (at, v) in run.iter().enumerate() {
            let known = match &mut lookups {
                Some(known) => known,
                empty => empty.insert(Lookups::load(sql, &run[at..])?),
            };
            if known.deleted.contains(&v.id) {
                results.push(deleted_refusal(v.id, kind.clone()));
                continue;
            }
            let ctx = self.validation_context(v.recorded.utc, Some(&catalogue));
            if let Err(e) = validation::validate_visit(v, &ctx) {
                results.push(from_validation(v.id, kind.clone(), &e));
                continue;
            }
            // The body as stored, and its hash (the bytes `hash` would serialise).
            let body = json(v)?;
            let content = sha256_hex(body.as_bytes());
            if let Some(stored) = known.stored.get(&v.id).or(stored_here.get(&v.id)) {
                results.push(if *stored == content {
                    result(v.id, kind.clone(), RecordStatus::Duplicate)
                } else {
                    conflict(v.id, kind.clone())
                });
                continue;
            }
            let Some(household) = known.households.get(&v.household_id) else {
                results.push(refusal(
                    v.id,
                    kind.clone(),
                    RecordStatus::Rejected,
                    "unknown_household",
                    "Máy chủ chưa có hộ của lượt đến này (hộ chưa gửi được hoặc bị từ chối). Hãy sửa hộ rồi gửi lại.",
                    "The server does not have this visit's household yet (not sent or rejected). Fix the household and send again.",
                    Some("household_id"),
                ));
                continue;
            };
            if household.team_id != self.device.team_id {
                results.push(not_your_team(v.id, kind.clone(), "household_id"));
                continue;
            }
            if v.assists
                .iter()
                .any(|a| known.assists.contains(&a.id) || assists_here.contains(&a.id))
            {
                results.push(conflict(v.id, kind.clone()));
                continue;
            }
            if v.supersedes.is_some() || known.named.contains(&v.id) || household.erased {
                // Stored one by one, on top of what the run wrote so far; the lookups are stale
                // after it.
                self.write_ready(sql, &run, std::mem::take(&mut ready), delta)?;
                lookups = None;
                let verdict = self.visit(sql, v.clone(), delta)?;
                if verdict.status == RecordStatus::Accepted {
                    stored_here.insert(v.id, content);
                    assists_here.extend(v.assists.iter().map(|a| a.id));
                }
                results.push(verdict);
                continue;
            }
            stored_here.insert(v.id, content.clone());
            assists_here.extend(v.assists.iter().map(|a| a.id));
            ready.push(Ready {
                at,
                content,
                body,
                area: household.area.clone(),
                hamlet_code: household.hamlet_code.clone(),
                rapid: known.rapid.get(&v.id).copied(),
            });
            results.push(result(v.id, kind.clone(), RecordStatus::Accepted));
        }
        self.write_ready(sql, &run, ready, delta)
    }

    /// Writes the accepted visits of a run (none of them superseded: no stored correction names
    /// them), raises their flags and adds them to the counts.
    fn write_ready(
        &self,
        sql: &mut dyn Sql,
        run: &[Visit],
        mut ready: Vec<Ready>,
        delta: &mut PushDelta<'_>,
    ) -> DbResult<()> {
        if ready.is_empty() {
            return Ok(());
        }
        let rapid = rapid_visits(run, &ready);
        let visit_rows: Vec<Vec<Value>> = ready
            .iter_mut()
            .map(|r| {
                let v = &run[r.at];
                vec![
                    v.id.into(),
                    v.household_id.into(),
                    v.team_id.into(),
                    v.volunteer_id.into(),
                    v.campaign_id.into(),
                    v.revision.into(),
                    v.supersedes.into(),
                    Value::Null,
                    v.started_at.into(),
                    v.outcome.as_str().into(),
                    v.people_reached.into(),
                    v.recorded.utc.into(),
                    self.now.into(),
                    self.device.device_id.into(),
                    std::mem::take(&mut r.content).into(),
                    std::mem::take(&mut r.body).into(),
                ]
            })
            .collect();
        insert_rows(
            sql,
            "INSERT INTO visits(id, household_id, team_id, volunteer_id, campaign_id, revision, supersedes, superseded_by,
                started_at, outcome, people_reached, recorded_at, received_at, device_id, content_hash, body)",
            &[
                "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT", "TEXT", "BIGINT", "TEXT",
                "BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "TEXT",
            ],
            "",
            visit_rows,
        )?;
        let assist_rows: Vec<Vec<Value>> = ready
            .iter()
            .flat_map(|r| {
                let v = &run[r.at];
                v.assists.iter().map(move |a| {
                    vec![
                        a.id.into(),
                        v.id.into(),
                        a.service_key.as_str().into(),
                        a.level_43.as_ref().map(|l| l.as_str().to_owned()).into(),
                        a.level_42.as_ref().map(|l| l.as_str().to_owned()).into(),
                        a.result.as_str().into(),
                        a.dossier_code.clone().into(),
                        a.not_finished_reason
                            .as_ref()
                            .map(|r| r.as_str().to_owned())
                            .into(),
                    ]
                })
            })
            .collect();
        insert_rows(
            sql,
            "INSERT INTO assists(id, visit_id, service_key, level_43, level_42, result, dossier_code, not_finished_reason)",
            &["TEXT"; 8],
            "",
            assist_rows,
        )?;
        let kind = RecordKind::Visit;
        let mut raised = Vec::new();
        for (r, rapid) in ready.into_iter().zip(rapid) {
            let v = &run[r.at];
            let notes = self.clock_note(v.recorded.utc).map(|n| (None, n));
            for (other_id, note) in
                notes
                    .into_iter()
                    .chain(self.visit_notes(v, rapid, Some(r.area)))
            {
                raised.push(NewFlag {
                    record_kind: kind.as_str(),
                    record_id: v.id,
                    other_id,
                    team_id: self.device.team_id,
                    note,
                    now: self.now,
                });
            }
            if v.team_id == self.device.team_id {
                delta.visit(v, r.hamlet_code.as_deref());
            }
        }
        flags::raise_all(sql, &raised)
    }
}

/// For each ready visit, another current visit of the same volunteer to another household
/// started less than [`MIN_SECONDS_BETWEEN_VISITS`] apart, if any: a stored one (the lookups), or
/// a ready one before it — as taking the visits one by one, each seeing those before it.
fn rapid_visits(run: &[Visit], ready: &[Ready]) -> Vec<Option<Uuid>> {
    let window = Duration::seconds(MIN_SECONDS_BETWEEN_VISITS);
    ready
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let v = &run[r.at];
            r.rapid.or_else(|| {
                ready[..i].iter().map(|e| &run[e.at]).find_map(|e| {
                    (e.volunteer_id == v.volunteer_id
                        && e.household_id != v.household_id
                        && e.id != v.id
                        && e.started_at > v.started_at - window
                        && e.started_at < v.started_at + window)
                        .then_some(e.id)
                })
            })
        })
        .collect()
}
