//! The visits of a push stored together. A push is mostly visits, and on PostgreSQL every
//! statement is a network round trip, so a run of consecutive visits is taken with a fixed number
//! of statements whatever its length: what the database holds about them (coordinator deletions,
//! ids already stored, corrections naming them, their households, assist ids) is read with one
//! query each for the whole run, the visits and assists are written with multi-row `INSERT`s, and
//! the "visits too close together" check is one query over a `VALUES` table.
//!
//! The verdicts and rows are exactly those of taking the visits one by one ([`Ingest::visit`]):
//! the checks run in the same order, and what an earlier visit of the run stored is seen by the
//! later ones (kept in memory until written). Visits whose storing touches other visits — a
//! correction, a visit a stored correction already names, a visit to an erased household (its
//! feedback is blanked) — take the one-by-one path, after everything before them is written;
//! the lookups are then read again for the rest of the run.

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use gocua_protocol::validation::{self, ValidationContext};
use gocua_protocol::*;
use uuid::Uuid;

use super::{
    conflict, deleted_refusal, from_validation, hash, json, not_your_team, refusal, result,
    validation_now, Ingest, PushDelta,
};
use crate::db::{chunked, insert_many, query_in, typed_rows, DbResult, Row, Sql, Value};
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
struct Lookups {
    deleted: HashSet<Uuid>,
    /// Content hash by id.
    stored: HashMap<Uuid, String>,
    /// Ids that a stored visit's `supersedes` names.
    named: HashSet<Uuid>,
    households: HashMap<Uuid, HouseholdRow>,
    assists: HashSet<Uuid>,
}

fn uuids(rows: &[Row]) -> DbResult<HashSet<Uuid>> {
    rows.iter().map(|r| r.uuid(0)).collect()
}

impl Lookups {
    fn load(sql: &mut dyn Sql, visits: &[Visit]) -> DbResult<Lookups> {
        let ids: Vec<Value> = visits.iter().map(|v| v.id.into()).collect();
        let deleted = uuids(&query_in(
            sql,
            "SELECT id FROM deleted_records WHERE kind = 'visit' AND id",
            "",
            &[],
            &ids,
        )?)?;
        let stored = query_in(
            sql,
            "SELECT id, content_hash FROM visits WHERE id",
            "",
            &[],
            &ids,
        )?
        .iter()
        .map(|r| Ok((r.uuid(0)?, r.text(1))))
        .collect::<DbResult<_>>()?;
        let named = uuids(&query_in(
            sql,
            "SELECT supersedes FROM visits WHERE supersedes",
            "",
            &[],
            &ids,
        )?)?;
        let mut household_ids: Vec<Uuid> = visits.iter().map(|v| v.household_id).collect();
        household_ids.sort();
        household_ids.dedup();
        let household_ids: Vec<Value> = household_ids.into_iter().map(Into::into).collect();
        let households = query_in(
            sql,
            "SELECT id, team_id, erased, commune_code, hamlet_code FROM households WHERE id",
            "",
            &[],
            &household_ids,
        )?
        .iter()
        .map(|r| {
            Ok((
                r.uuid(0)?,
                HouseholdRow {
                    team_id: r.uuid(1)?,
                    erased: r.int(2) != 0,
                    area: r.opt_text(4).unwrap_or_else(|| r.text(3)),
                    hamlet_code: r.opt_text(4),
                },
            ))
        })
        .collect::<DbResult<_>>()?;
        let assist_ids: Vec<Value> = visits
            .iter()
            .flat_map(|v| v.assists.iter().map(|a| a.id.into()))
            .collect();
        let assists = uuids(&query_in(
            sql,
            "SELECT id FROM assists WHERE id",
            "",
            &[],
            &assist_ids,
        )?)?;
        Ok(Lookups {
            deleted,
            stored,
            named,
            households,
            assists,
        })
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
        let team_areas: &[String] = self
            .data
            .team_areas
            .get(&self.device.team_id)
            .map_or(&[], Vec::as_slice);
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
            let ctx = ValidationContext {
                now: validation_now(v.recorded.utc, self.now),
                services: Some(&catalogue),
                areas: Some(&self.data.tree),
                team: Some((self.device.team_id, team_areas)),
                calendar: crate::domain::calendar::get(),
            };
            if let Err(e) = validation::validate_visit(v, &ctx) {
                results.push(from_validation(v.id, kind.clone(), &e));
                continue;
            }
            let content = hash(v)?;
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
                body: json(v)?,
                area: household.area.clone(),
                hamlet_code: household.hamlet_code.clone(),
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
        ready: Vec<Ready>,
        delta: &mut PushDelta<'_>,
    ) -> DbResult<()> {
        if ready.is_empty() {
            return Ok(());
        }
        // Looked up before they are written, as one by one each sees only those before it.
        let rapid = self.rapid_visits(sql, run, &ready)?;
        let visit_rows: Vec<Vec<Value>> = ready
            .iter()
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
                    r.content.as_str().into(),
                    r.body.as_str().into(),
                ]
            })
            .collect();
        insert_many(
            sql,
            "INSERT INTO visits(id, household_id, team_id, volunteer_id, campaign_id, revision, supersedes, superseded_by,
                started_at, outcome, people_reached, recorded_at, received_at, device_id, content_hash, body)",
            16,
            "",
            &visit_rows,
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
        insert_many(
            sql,
            "INSERT INTO assists(id, visit_id, service_key, level_43, level_42, result, dossier_code, not_finished_reason)",
            8,
            "",
            &assist_rows,
        )?;
        for (r, rapid) in ready.into_iter().zip(rapid) {
            let v = &run[r.at];
            self.clock_flag(sql, &RecordKind::Visit, v.id, v.recorded.utc)?;
            self.raise_visit_flags(sql, v, rapid, Some(r.area))?;
            if v.team_id == self.device.team_id {
                delta.visit(v, r.hamlet_code.as_deref());
            }
        }
        Ok(())
    }

    /// For each ready visit, another current visit of the same volunteer to another household
    /// started less than [`MIN_SECONDS_BETWEEN_VISITS`] apart, if any: among the stored ones
    /// (one query for all) or the ready ones before it.
    fn rapid_visits(
        &self,
        sql: &mut dyn Sql,
        run: &[Visit],
        ready: &[Ready],
    ) -> DbResult<Vec<Option<Uuid>>> {
        let window = Duration::seconds(MIN_SECONDS_BETWEEN_VISITS);
        let mut found: HashMap<Uuid, Uuid> = HashMap::new();
        for chunk in chunked(ready) {
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
            for r in chunk {
                let v = &run[r.at];
                values.extend([
                    v.id.into(),
                    v.volunteer_id.into(),
                    v.household_id.into(),
                    (v.started_at - window).into(),
                    (v.started_at + window).into(),
                ]);
            }
            let rows = sql.query(
                &format!(
                    "SELECT q.column1, (SELECT v.id FROM visits v WHERE v.volunteer_id = q.column2 AND v.household_id <> q.column3
                       AND v.id <> q.column1 AND v.superseded_by IS NULL AND v.started_at > q.column4 AND v.started_at < q.column5 LIMIT 1)
                     FROM (VALUES {}) AS q",
                    typed_rows(chunk.len(), &["TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT"])
                ),
                &values,
            )?;
            for row in rows {
                if let Some(other) = row.opt_uuid(1)? {
                    found.insert(row.uuid(0)?, other);
                }
            }
        }
        Ok(ready
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let v = &run[r.at];
                found.get(&v.id).copied().or_else(|| {
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
            .collect())
    }
}
