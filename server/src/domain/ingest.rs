//! Taking a push: every record is validated and scope-checked on its own, then stored with exactly-
//! once effect — the same id with the same content is a duplicate, never a second row; visits,
//! sessions and feedback are immutable (a different content under the same id is a conflict);
//! households merge per field by their hybrid clocks. One bad record never stops the others.
//!
//! A push runs with its team's row locked (`rollup::lock_team`), so pushes of one team's phones
//! queue instead of deadlocking, and ends by bringing the team's rollup up to date
//! (`rollup::apply_push`). Consecutive visits, the bulk of every push, are stored together
//! (`visits`): their lookups one query each for the whole run, their rows multi-row `INSERT`s.

use chrono::{DateTime, Duration, Utc};
pub use gocua_protocol::body::Incoming;
use gocua_protocol::hlc;
use gocua_protocol::text::household_duplicate_key;
use gocua_protocol::validation::{
    self, earliest_plausible, validation_now, ValidationContext, ValidationErrors,
};
use gocua_protocol::*;
use serde::Serialize;
use uuid::Uuid;

use crate::db::{DbError, DbResult, Sql};
use crate::domain::auth::sha256_hex;
use crate::domain::erasure;
use crate::domain::flags::{self, FlagNote, NewFlag};
use crate::domain::refdata::ValidationData;
use crate::domain::rollup::{self, PushDelta};
use crate::params;

mod assignment;
mod batch;

/// The device a push comes from, as its token says.
#[derive(Debug, Clone, Copy)]
pub struct DeviceContext {
    pub device_id: Uuid,
    pub team_id: Uuid,
    pub member_id: Uuid,
}

fn result(id: Uuid, kind: RecordKind, status: RecordStatus) -> RecordResult {
    RecordResult::plain(id, kind, status)
}

fn refusal(
    id: Uuid,
    kind: RecordKind,
    status: RecordStatus,
    code: &str,
    vi: impl Into<String>,
    en: impl Into<String>,
    field: Option<&str>,
) -> RecordResult {
    RecordResult {
        id,
        kind,
        status,
        code: Some(code.to_owned()),
        message_vi: Some(vi.into()),
        message_en: Some(en.into()),
        field: field.map(str::to_owned),
    }
}

fn from_validation(id: Uuid, kind: RecordKind, errors: &ValidationErrors) -> RecordResult {
    let first = errors.first();
    refusal(
        id,
        kind,
        RecordStatus::Rejected,
        first.code.as_str(),
        first.message_vi.clone(),
        first.message_en.clone(),
        Some(&first.field),
    )
}

fn hash<T: Serialize>(record: &T) -> DbResult<String> {
    let bytes = serde_json::to_vec(record).map_err(|e| DbError::Corrupt(e.to_string()))?;
    Ok(sha256_hex(&bytes))
}

fn json<T: Serialize>(record: &T) -> DbResult<String> {
    serde_json::to_string(record).map_err(|e| DbError::Corrupt(e.to_string()))
}

pub struct Ingest<'a> {
    pub data: &'a ValidationData,
    pub device: DeviceContext,
    pub now: DateTime<Utc>,
}

impl Ingest<'_> {
    fn ctx(
        &self,
        recorded: DateTime<Utc>,
    ) -> (
        ValidationContext<'_>,
        std::collections::BTreeMap<&str, &Service>,
    ) {
        (
            self.validation_context(recorded, None),
            catalogue_by_key(&self.data.services),
        )
    }

    /// What a record made at `recorded` is checked against: the area tree, the device's team
    /// and its areas, the calendar, and the catalogue when given.
    pub(super) fn validation_context<'a>(
        &'a self,
        recorded: DateTime<Utc>,
        services: Option<&'a std::collections::BTreeMap<&'a str, &'a Service>>,
    ) -> ValidationContext<'a> {
        let team_areas: &[String] = self
            .data
            .team_areas
            .get(&self.device.team_id)
            .map_or(&[], Vec::as_slice);
        ValidationContext {
            now: validation_now(recorded, self.now),
            services,
            areas: Some(&self.data.tree),
            team: Some((self.device.team_id, team_areas)),
            calendar: crate::domain::calendar::get(),
        }
    }

    /// Stores a push's changes, each with its own verdict, and brings the team's rollup up to
    /// date, in the caller's transaction.
    pub fn apply(&self, sql: &mut dyn Sql, incoming: Vec<Incoming>) -> DbResult<Vec<RecordResult>> {
        rollup::lock_team(sql, self.device.team_id)?;
        let mut delta = PushDelta::new(&self.data.services);
        let mut results = Vec::with_capacity(incoming.len());
        let mut run: Vec<Visit> = Vec::new();
        for item in incoming {
            // Consecutive visits gather into a run, stored together before the next other record.
            let item = match item {
                Incoming::Parsed(change) => match *change {
                    Change::Visit(v) => {
                        run.push(v);
                        continue;
                    }
                    other => Incoming::Parsed(Box::new(other)),
                },
                unparsable => unparsable,
            };
            if !run.is_empty() {
                self.visits(sql, std::mem::take(&mut run), &mut results, &mut delta)?;
            }
            results.push(match item {
                Incoming::Unparsable { id, kind, message } => refusal(
                    id,
                    kind,
                    RecordStatus::Rejected,
                    "invalid_record",
                    format!("Bản ghi không đúng định dạng: {message}"),
                    format!("The record is not in the expected format: {message}"),
                    None,
                ),
                Incoming::Parsed(change) => {
                    if let Some(deleted) = self.deleted(sql, &change)? {
                        deleted
                    } else {
                        match *change {
                            Change::Household(h) => self.household(sql, h, &mut delta)?,
                            Change::Visit(v) => self.visit(sql, v, &mut delta)?,
                            Change::OutreachSession(s) => self.session(sql, s, &mut delta)?,
                            Change::Feedback(f) => self.feedback(sql, f)?,
                            Change::Assignment(a) => self.assignment(sql, a)?,
                        }
                    }
                }
            });
        }
        if !run.is_empty() {
            self.visits(sql, run, &mut results, &mut delta)?;
        }
        sql.exec(
            "UPDATE devices SET last_push_at = ?, last_seen_at = ? WHERE id = ?",
            params![self.now, self.now, self.device.device_id],
        )?;
        rollup::apply_push(
            sql,
            self.device.team_id,
            self.now,
            delta,
            self.data.seq,
            &self.data.services,
            &self.data.tree,
        )?;
        Ok(results)
    }

    fn deleted(&self, sql: &mut dyn Sql, change: &Change) -> DbResult<Option<RecordResult>> {
        let hit = sql.query_one(
            "SELECT 1 FROM deleted_records WHERE kind = ? AND id = ?",
            params![change.kind().as_str(), change.id()],
        )?;
        Ok(hit.map(|_| deleted_refusal(change.id(), change.kind())))
    }

    fn flag(
        &self,
        sql: &mut dyn Sql,
        record_kind: &RecordKind,
        record_id: Uuid,
        other_id: Option<Uuid>,
        note: FlagNote,
    ) -> DbResult<()> {
        flags::raise(
            sql,
            &NewFlag {
                record_kind: record_kind.as_str(),
                record_id,
                other_id,
                team_id: self.device.team_id,
                note,
                now: self.now,
            },
        )
    }

    /// Device clocks far off are flagged for coordinators (the record is still taken).
    fn clock_flag(
        &self,
        sql: &mut dyn Sql,
        kind: &RecordKind,
        id: Uuid,
        recorded: DateTime<Utc>,
    ) -> DbResult<()> {
        if let Some(note) = self.clock_note(recorded) {
            self.flag(sql, kind, id, None, note)?;
        }
        Ok(())
    }

    /// What [`Ingest::clock_flag`] raises for a record made at `recorded`, if anything.
    fn clock_note(&self, recorded: DateTime<Utc>) -> Option<FlagNote> {
        if recorded < earliest_plausible() {
            Some(FlagNote::ClockUnset { recorded })
        } else if recorded > self.now + Duration::milliseconds(hlc::MAX_STAMP_AHEAD_MS) {
            Some(FlagNote::ClockAhead {
                recorded,
                received: self.now,
            })
        } else {
            None
        }
    }

    /// `h` with every field stamp too far ahead of the server's clock ordered at the time the
    /// server first received that stamp (this upload, or an earlier one that carried the same
    /// stamp for the same field: a resend changes nothing). Also says whether a stamp arrived
    /// that the server had not seen before, to flag the device's clock.
    fn stamps_at_receipt(&self, sql: &mut dyn Sql, h: &Household) -> DbResult<(Household, bool)> {
        let now_ms = self.now.timestamp_millis();
        let mut out = h.clone();
        if !out
            .clocks
            .groups_mut()
            .iter()
            .any(|(_, stamp)| stamp.too_far_ahead(now_ms))
        {
            return Ok((out, false));
        }
        // The uploads received before, as sent (`household_versions` keeps each one's stamps).
        let earlier: Vec<(i64, HouseholdClocks)> = sql
            .query(
                "SELECT received_at, body FROM household_versions WHERE household_id = ? ORDER BY received_at",
                params![h.id],
            )?
            .iter()
            .filter_map(|row| {
                let v: Household = row.json(1).ok()?;
                Some((row.int(0), v.clocks))
            })
            .collect();
        let mut new_stamp = false;
        for (group, stamp) in out.clocks.groups_mut() {
            if !stamp.too_far_ahead(now_ms) {
                continue;
            }
            let first = earlier
                .iter()
                .find(|(_, clocks)| clocks.group(group) == Some(*stamp))
                .map(|(at, _)| *at);
            new_stamp |= first.is_none();
            *stamp = stamp.at_receipt(first.unwrap_or(now_ms));
        }
        Ok((out, new_stamp))
    }

    fn household(
        &self,
        sql: &mut dyn Sql,
        sent: Household,
        delta: &mut PushDelta<'_>,
    ) -> DbResult<RecordResult> {
        let kind = RecordKind::Household;
        let (ctx, _) = self.ctx(sent.created.utc);
        // An erased household is checked for its (anonymous) area only.
        if let Err(e) = validation::validate_household(&sent, &ctx) {
            return Ok(from_validation(sent.id, kind, &e));
        }
        // A phone whose clock is far ahead still syncs its data, but its stamps do not win over
        // later edits: they count from the moment they reached the server, and the household is
        // flagged for coordinators.
        let (h, clock_far_ahead) = self.stamps_at_receipt(sql, &sent)?;
        let dup_key_of = |h: &Household| {
            if h.erased || h.head_name.trim().is_empty() {
                String::new()
            } else {
                household_duplicate_key(&h.commune_code, &h.head_name, &h.address_line)
            }
        };
        let mut fresh = h.clone();
        if fresh.erased {
            fresh.blank_personal_data();
        }
        // Insert-if-absent first: two phones sending a new household at the same moment must not
        // both try to insert it.
        let fresh_key = dup_key_of(&fresh);
        let inserted = sql.exec(
            "INSERT INTO households(id, team_id, commune_code, hamlet_code, dup_key, erased, body, first_received_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
            params![h.id, self.device.team_id, fresh.commune_code.as_str(), fresh.hamlet_code.clone(), fresh_key.as_str(), fresh.erased, json(&fresh)?, self.now, self.now],
        )?;
        let (merged, dup_key, body) = if inserted == 1 {
            self.clock_flag(sql, &kind, h.id, h.created.utc)?;
            let body = json(&fresh)?;
            (fresh, fresh_key, body)
        } else {
            // Read the stored household with a row lock (a no-op UPDATE … RETURNING locks on
            // PostgreSQL; SQLite has one writer anyway), so concurrent merges of the same
            // household serialise instead of overwriting each other.
            let row = sql
                .query_one(
                    "UPDATE households SET id = id WHERE id = ? RETURNING team_id, body",
                    params![h.id],
                )?
                .ok_or_else(|| DbError::Corrupt(format!("household {} vanished", h.id)))?;
            if row.uuid(0)? != self.device.team_id {
                return Ok(not_your_team(h.id, kind, "id"));
            }
            let stored: Household = row.json(1)?;
            let merged = stored.merge(&h);
            if merged == stored {
                return Ok(result(h.id, kind, RecordStatus::Duplicate));
            }
            if merged.hamlet_code != stored.hamlet_code {
                // Its visits now count in another hamlet.
                delta.recount();
            }
            let dup_key = dup_key_of(&merged);
            let body = json(&merged)?;
            sql.exec(
                "UPDATE households SET commune_code = ?, hamlet_code = ?, dup_key = ?, erased = ?, body = ?, updated_at = ? WHERE id = ?",
                params![merged.commune_code.as_str(), merged.hamlet_code.clone(), dup_key.as_str(), merged.erased, body.as_str(), self.now, h.id],
            )?;
            (merged, dup_key, body)
        };
        // Kept as sent, stamps included: a later upload carrying the same stamp far ahead is
        // ordered at this receipt (`stamps_at_receipt`).
        let version_body = if merged.erased {
            body.clone()
        } else {
            json(&sent)?
        };
        sql.exec(
            "INSERT INTO household_versions(id, household_id, device_id, received_at, body) VALUES (?, ?, ?, ?, ?)",
            params![Uuid::now_v7(), h.id, self.device.device_id, self.now, version_body],
        )?;
        if merged.erased {
            erasure::erase_everywhere(sql, &merged, self.now)?;
        } else if !dup_key.is_empty() {
            let others = sql.query(
                "SELECT id FROM households WHERE dup_key = ? AND id <> ? AND erased = 0",
                params![dup_key.as_str(), h.id],
            )?;
            for other in others {
                let other = other.uuid(0)?;
                let (a, b) = if h.id < other {
                    (h.id, other)
                } else {
                    (other, h.id)
                };
                self.flag(sql, &kind, a, Some(b), FlagNote::ProbableDuplicate {})?;
            }
        }
        if clock_far_ahead {
            let ahead = sent.clocks.max().wall_ms;
            let recorded =
                DateTime::<Utc>::from_timestamp_millis(ahead).unwrap_or(DateTime::<Utc>::MAX_UTC);
            self.flag(
                sql,
                &kind,
                h.id,
                None,
                FlagNote::ClockAhead {
                    recorded,
                    received: self.now,
                },
            )?;
        }
        Ok(result(h.id, kind, RecordStatus::Accepted))
    }

    /// One visit on its own: the path of the visits [`Ingest::visits`] leaves out (corrections,
    /// visits a correction names, visits to erased households).
    fn visit(
        &self,
        sql: &mut dyn Sql,
        mut v: Visit,
        delta: &mut PushDelta<'_>,
    ) -> DbResult<RecordResult> {
        let kind = RecordKind::Visit;
        let (mut ctx, catalogue) = self.ctx(v.recorded.utc);
        ctx.services = Some(&catalogue);
        if let Err(e) = validation::validate_visit(&v, &ctx) {
            return Ok(from_validation(v.id, kind, &e));
        }
        let content = hash(&v)?;
        if let Some(verdict) = already_stored(sql, "visits", v.id, &kind, &content)? {
            return Ok(verdict);
        }
        let Some(household) = sql.query_one(
            "SELECT team_id, erased, hamlet_code FROM households WHERE id = ?",
            params![v.household_id],
        )?
        else {
            return Ok(refusal(
                v.id,
                kind,
                RecordStatus::Rejected,
                "unknown_household",
                "Máy chủ chưa có hộ của lượt đến này (hộ chưa gửi được hoặc bị từ chối). Hãy sửa hộ rồi gửi lại.",
                "The server does not have this visit's household yet (not sent or rejected). Fix the household and send again.",
                Some("household_id"),
            ));
        };
        if household.uuid(0)? != self.device.team_id {
            return Ok(not_your_team(v.id, kind, "household_id"));
        }
        for a in &v.assists {
            // Assist ids are made on the phone too; one already stored under another visit means
            // this content differs from what the server has.
            if sql
                .query_one("SELECT 1 FROM assists WHERE id = ?", params![a.id])?
                .is_some()
            {
                return Ok(conflict(v.id, kind));
            }
        }
        if let Some(old_id) = v.supersedes {
            // Another correction of the same visit already arrived (perhaps before the visit
            // itself): only one revision may follow another. Only a correction of this team and
            // household counts: another team naming the id cannot block this team's correction.
            if sql
                .query_one(
                    "SELECT 1 FROM visits WHERE supersedes = ? AND id <> ? AND team_id = ? AND household_id = ?",
                    params![old_id, v.id, self.device.team_id, v.household_id],
                )?
                .is_some()
            {
                return Ok(refusal(
                    v.id,
                    kind,
                    RecordStatus::Conflict,
                    "already_corrected",
                    "Lượt đến hộ này đã được sửa bởi một bản khác.",
                    "This visit was already corrected by another revision.",
                    Some("supersedes"),
                ));
            }
            if let Some(old) = sql.query_one(
                "SELECT household_id, team_id, superseded_by FROM visits WHERE id = ?",
                params![old_id],
            )? {
                if old.uuid(1)? != self.device.team_id || old.uuid(0)? != v.household_id {
                    return Ok(not_your_team(v.id, kind, "supersedes"));
                }
                if let Some(by) = old.opt_uuid(2)? {
                    if by != v.id {
                        return Ok(refusal(
                            v.id,
                            kind,
                            RecordStatus::Conflict,
                            "already_corrected",
                            "Lượt đến hộ này đã được sửa bởi một bản khác.",
                            "This visit was already corrected by another revision.",
                            Some("supersedes"),
                        ));
                    }
                }
                sql.exec(
                    "UPDATE visits SET superseded_by = ? WHERE id = ?",
                    params![v.id, old_id],
                )?;
                // A visit already counted leaves the counts: a recount, not an increment.
                delta.recount();
            }
        }
        if household.int(1) != 0 {
            erasure::blank_arriving_visit(sql, &mut v)?;
        }
        // A correction that arrived before the visit it corrects takes effect only within the
        // same team and household, as when it arrives after. A correction of another team or
        // household naming this id links to nothing: its link is voided (its body keeps what
        // was sent), so it neither hides this visit nor ties the two when a coordinator deletes
        // one of them.
        sql.exec(
            "UPDATE visits SET supersedes = NULL WHERE supersedes = ? AND (team_id <> ? OR household_id <> ?)",
            params![v.id, self.device.team_id, v.household_id],
        )?;
        let later = sql.query_one(
            "SELECT id FROM visits WHERE supersedes = ? AND team_id = ? AND household_id = ?",
            params![v.id, self.device.team_id, v.household_id],
        )?;
        let superseded_by = later.map(|r| r.uuid(0)).transpose()?;
        sql.exec(
            "INSERT INTO visits(id, household_id, team_id, volunteer_id, campaign_id, revision, supersedes, superseded_by,
                started_at, outcome, people_reached, recorded_at, received_at, device_id, content_hash, body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                v.id, v.household_id, v.team_id, v.volunteer_id, v.campaign_id, v.revision, v.supersedes, superseded_by,
                v.started_at, v.outcome.as_str(), v.people_reached, v.recorded.utc, self.now, self.device.device_id,
                content, json(&v)?
            ],
        )?;
        for a in &v.assists {
            sql.exec(
                "INSERT INTO assists(id, visit_id, service_key, level_43, level_42, result, dossier_code, not_finished_reason)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                params![
                    a.id, v.id, a.service_key.as_str(), a.level_43.as_ref().map(|l| l.as_str().to_owned()),
                    a.level_42.as_ref().map(|l| l.as_str().to_owned()), a.result.as_str(), a.dossier_code.clone(),
                    a.not_finished_reason.as_ref().map(|r| r.as_str().to_owned())
                ],
            )?;
        }
        self.clock_flag(sql, &kind, v.id, v.recorded.utc)?;
        self.visit_flags(sql, &v)?;
        if superseded_by.is_none() && v.team_id == self.device.team_id {
            delta.visit(&v, household.opt_text(2).as_deref());
        }
        Ok(result(v.id, kind, RecordStatus::Accepted))
    }

    /// Doubtful but accepted: visits too close together, households outside the team's areas,
    /// dossier codes that do not look like the portal's.
    fn visit_flags(&self, sql: &mut dyn Sql, v: &Visit) -> DbResult<()> {
        let window = Duration::seconds(crate::domain::quality::MIN_SECONDS_BETWEEN_VISITS);
        let rapid = sql
            .query_one(
                "SELECT id FROM visits WHERE volunteer_id = ? AND household_id <> ? AND id <> ? AND superseded_by IS NULL
                   AND started_at > ? AND started_at < ? LIMIT 1",
                params![v.volunteer_id, v.household_id, v.id, v.started_at - window, v.started_at + window],
            )?
            .map(|r| r.uuid(0))
            .transpose()?;
        let area = sql
            .query_one(
                "SELECT commune_code, hamlet_code FROM households WHERE id = ?",
                params![v.household_id],
            )?
            .map(|h| h.opt_text(1).unwrap_or_else(|| h.text(0)));
        self.raise_visit_flags(sql, v, rapid, area)
    }

    /// [`Ingest::visit_flags`] once its lookups are made: `rapid`, another visit of the volunteer
    /// too close in time; `area`, the household's hamlet or else commune.
    fn raise_visit_flags(
        &self,
        sql: &mut dyn Sql,
        v: &Visit,
        rapid: Option<Uuid>,
        area: Option<String>,
    ) -> DbResult<()> {
        for (other, note) in self.visit_notes(v, rapid, area) {
            self.flag(sql, &RecordKind::Visit, v.id, other, note)?;
        }
        Ok(())
    }

    /// The flags [`Ingest::raise_visit_flags`] raises, as (other id, note), in order.
    fn visit_notes(
        &self,
        v: &Visit,
        rapid: Option<Uuid>,
        area: Option<String>,
    ) -> Vec<(Option<Uuid>, FlagNote)> {
        let mut notes = Vec::new();
        if let Some(other) = rapid {
            notes.push((
                Some(other),
                FlagNote::RapidVisits {
                    seconds: crate::domain::quality::MIN_SECONDS_BETWEEN_VISITS,
                    started_at: v.started_at,
                },
            ));
        }
        if let Some(area) = area {
            let team_areas = self
                .data
                .team_areas
                .get(&self.device.team_id)
                .map_or(&[][..], Vec::as_slice);
            if !self.data.tree.is_within_any(&area, team_areas) {
                notes.push((None, FlagNote::OutsideTeamArea { area }));
            }
        }
        let visit_day = crate::domain::calendar::day_of(v.started_at);
        for a in &v.assists {
            if let Some(code) = &a.dossier_code {
                if let Some(problem) = crate::domain::quality::dossier_code_problem(code, visit_day)
                {
                    notes.push((
                        Some(a.id),
                        FlagNote::DossierCodeSuspect {
                            code: code.clone(),
                            problem,
                        },
                    ));
                }
            }
        }
        notes
    }

    fn session(
        &self,
        sql: &mut dyn Sql,
        s: OutreachSession,
        delta: &mut PushDelta<'_>,
    ) -> DbResult<RecordResult> {
        let kind = RecordKind::OutreachSession;
        let (ctx, _) = self.ctx(s.recorded.utc);
        if let Err(e) = validation::validate_session(&s, &ctx) {
            return Ok(from_validation(s.id, kind, &e));
        }
        let content = hash(&s)?;
        if let Some(verdict) = already_stored(sql, "sessions", s.id, &kind, &content)? {
            return Ok(verdict);
        }
        sql.exec(
            "INSERT INTO sessions(id, team_id, volunteer_id, campaign_id, kind, area_code, held_on, attendees, received_at, device_id, content_hash, body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                s.id, s.team_id, s.volunteer_id, s.campaign_id, s.kind.as_str(), s.area_code.as_str(), s.held_on, s.attendees,
                self.now, self.device.device_id, content, json(&s)?
            ],
        )?;
        self.clock_flag(sql, &kind, s.id, s.recorded.utc)?;
        if s.team_id == self.device.team_id {
            delta.session(&s, &self.data.tree);
        }
        Ok(result(s.id, kind, RecordStatus::Accepted))
    }

    fn feedback(&self, sql: &mut dyn Sql, mut f: Feedback) -> DbResult<RecordResult> {
        let kind = RecordKind::Feedback;
        let (ctx, _) = self.ctx(f.recorded.utc);
        if let Err(e) = validation::validate_feedback(&f, &ctx) {
            return Ok(from_validation(f.id, kind, &e));
        }
        let content = hash(&f)?;
        if let Some(verdict) = already_stored(sql, "feedback", f.id, &kind, &content)? {
            return Ok(verdict);
        }
        erasure::blank_incoming_feedback(sql, &mut f)?;
        sql.exec(
            "INSERT INTO feedback(id, team_id, volunteer_id, category, area_code, received_at, device_id, content_hash, body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![f.id, f.team_id, f.volunteer_id, f.category.as_str(), f.area_code.clone(), self.now, self.device.device_id, content, json(&f)?],
        )?;
        Ok(result(f.id, kind, RecordStatus::Accepted))
    }
}

/// For immutable records (visits, sessions, feedback): the verdict when the id is already stored —
/// `duplicate` for the same content, `conflict` for different content.
fn already_stored(
    sql: &mut dyn Sql,
    table: &'static str,
    id: Uuid,
    kind: &RecordKind,
    content: &str,
) -> DbResult<Option<RecordResult>> {
    let row = sql.query_one(
        &format!("SELECT content_hash FROM {table} WHERE id = ?"),
        params![id],
    )?;
    Ok(row.map(|row| {
        if row.text(0) == content {
            result(id, kind.clone(), RecordStatus::Duplicate)
        } else {
            conflict(id, kind.clone())
        }
    }))
}

fn deleted_refusal(id: Uuid, kind: RecordKind) -> RecordResult {
    refusal(
        id,
        kind,
        RecordStatus::Deleted,
        "deleted",
        "Bản ghi này đã bị cán bộ điều phối xoá trên máy chủ.",
        "A coordinator deleted this record on the server.",
        None,
    )
}

fn not_your_team(id: Uuid, kind: RecordKind, field: &str) -> RecordResult {
    refusal(
        id,
        kind,
        RecordStatus::Rejected,
        "not_your_team",
        "Bản ghi này thuộc một đội khác; thiết bị của bạn không được ghi vào đó.",
        "This record belongs to another team; your device may not write to it.",
        Some(field),
    )
}

fn conflict(id: Uuid, kind: RecordKind) -> RecordResult {
    refusal(
        id,
        kind,
        RecordStatus::Conflict,
        "conflict_different_content",
        "Máy chủ đã có bản ghi này với nội dung khác. Muốn sửa, hãy dùng chức năng \"Sửa lượt đến\".",
        "The server already has this record with different content. To change it, record a correction.",
        None,
    )
}
