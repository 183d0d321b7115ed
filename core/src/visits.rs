//! Recording and correcting visits. A visit and its assists are written atomically with their
//! queue entry; a correction is a new revision that supersedes the old one, which is kept.

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::text::tidy_opt;
use gocua_protocol::validation::{validate_household, validate_visit};
use gocua_protocol::*;
use rusqlite::{params, Transaction};
use uuid::Uuid;

use crate::drafts::{clear_draft, DraftForm};
use crate::error::{Error, Result};
use crate::households::ConsentDraft;
use crate::millis::millis;
use crate::outbox::enqueue;
use crate::records;
use crate::reference_cache::ReferenceCache;
use crate::store::{DeviceProfile, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistDraft {
    pub service_key: String,
    /// Left empty, the catalogue's level for the service is used.
    pub level_43: Option<Level43>,
    pub level_42: Option<Level42>,
    pub result: AssistResult,
    pub dossier_code: Option<String>,
    pub not_finished_reason: Option<NotFinishedReason>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VisitDraft {
    pub household_id: Uuid,
    /// Left empty, the campaign running today is used.
    pub campaign_id: Option<Uuid>,
    /// Left empty, "now".
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub outcome: VisitOutcome,
    pub people_reached: u16,
    pub gps: Option<GeoPoint>,
    pub note: Option<String>,
    pub follow_up_on: Option<NaiveDate>,
    pub assists: Vec<AssistDraft>,
    /// The household's consent to keep contact details, as asked at this visit; `None` when it
    /// was not asked. When the answer differs from what the household has, the household's
    /// consent is changed in the same transaction as the visit (and its phone number dropped
    /// when consent is withdrawn); the same answer keeps the earlier record (its method and
    /// time).
    pub consent: Option<ConsentDraft>,
    /// The key of this form's draft ([`crate::DraftForm::Visit`]), deleted in the transaction
    /// that stores the visit (or its correction); a refused save keeps it.
    pub draft_key: Option<String>,
}

/// The household as it is after the consent asked at a visit, or `None` when nothing changes.
/// `stamp` is taken only when something does change.
fn consent_at_visit(
    household: &Household,
    asked: Option<&ConsentDraft>,
    at: DateTime<Utc>,
    volunteer_id: Uuid,
    stamp: impl FnOnce() -> Result<Hlc>,
) -> Result<Option<Household>> {
    let Some(asked) = asked else {
        return Ok(None);
    };
    if household.erased {
        // Nothing personal is kept any more: a refusal changes nothing, a new consent cannot be
        // attached to an erased household.
        return if asked.given {
            Err(Error::Erased(household.id))
        } else {
            Ok(None)
        };
    }
    if household.consent.as_ref().map(|c| c.given) == Some(asked.given) {
        return Ok(None);
    }
    let stamp = stamp()?;
    let mut h = household.clone();
    h.consent = Some(Consent {
        given: asked.given,
        method: asked.method.clone(),
        recorded_at: at,
        recorded_by: volunteer_id,
    });
    h.clocks.consent = stamp;
    if !asked.given && h.phone.is_some() {
        // A phone number is kept only with consent.
        h.phone = None;
        h.clocks.phone = stamp;
    }
    Ok(Some(h))
}

impl Store {
    /// Builds and validates a visit inside the write transaction `tx`; `profile` and `cache`
    /// are read before it starts (the connection lock is not re-entrant).
    fn build_visit(
        &self,
        draft: &VisitDraft,
        revision: u32,
        supersedes: Option<Uuid>,
        tx: &Transaction<'_>,
        profile: &DeviceProfile,
        cache: &ReferenceCache,
    ) -> Result<(Visit, Option<Household>)> {
        let team = cache.team_of(profile)?;
        let catalogue = cache.catalogue();
        let recorded = self.device_time();
        let started_at = draft.started_at.unwrap_or(recorded.utc);
        let local_day = cache.calendar.day_of(started_at);
        let visit = Visit {
            id: Uuid::now_v7(),
            household_id: draft.household_id,
            volunteer_id: profile.volunteer_id,
            team_id: profile.team_id,
            campaign_id: draft
                .campaign_id
                .or_else(|| cache.campaign_on(local_day).map(|c| c.id)),
            revision,
            supersedes,
            started_at,
            ended_at: draft.ended_at,
            outcome: draft.outcome.clone(),
            people_reached: draft.people_reached,
            gps: draft.gps,
            note: tidy_opt(draft.note.as_deref()),
            follow_up_on: draft.follow_up_on,
            assists: draft
                .assists
                .iter()
                .map(|a| {
                    let service = catalogue.get(a.service_key.as_str());
                    Assist {
                        id: Uuid::now_v7(),
                        service_key: a.service_key.trim().to_owned(),
                        level_43: a
                            .level_43
                            .clone()
                            .or_else(|| service.and_then(|s| s.level_43.clone())),
                        level_42: a
                            .level_42
                            .clone()
                            .or_else(|| service.and_then(|s| s.level_42.clone())),
                        result: a.result.clone(),
                        dossier_code: tidy_opt(a.dossier_code.as_deref()),
                        not_finished_reason: a.not_finished_reason.clone(),
                    }
                })
                .collect(),
            recorded,
            hlc: self.next_hlc(tx)?,
        };
        let ctx = cache.context(team, recorded.utc, Some(&catalogue));
        // Problems of the visit and of the consent change are reported together.
        let mut problems = validate_visit(&visit, &ctx)
            .err()
            .map(|e| e.0)
            .unwrap_or_default();
        // The household must exist on this phone (it is created, or was created, first).
        let household = match records::load_household(tx, visit.household_id) {
            Ok(h) => h,
            Err(Error::NotFound { .. }) if !problems.is_empty() => {
                return Err(ValidationErrors(problems).into())
            }
            Err(e) => return Err(e),
        };
        let changed = consent_at_visit(
            &household,
            draft.consent.as_ref(),
            recorded.utc,
            profile.volunteer_id,
            || self.next_hlc(tx),
        )?;
        if let Some(h) = &changed {
            if let Err(e) = validate_household(h, &ctx) {
                problems.extend(e.0);
            }
        }
        if !problems.is_empty() {
            return Err(ValidationErrors(problems).into());
        }
        Ok((visit, changed))
    }

    /// Writes the household changed by the consent asked at a visit, and queues it, in the
    /// visit's transaction.
    fn save_consent_change(
        &self,
        tx: &Transaction<'_>,
        household: Option<&Household>,
    ) -> Result<()> {
        if let Some(h) = household {
            let now = self.clock.now();
            records::update_household(tx, h, millis(now))?;
            enqueue(tx, &RecordKind::Household, h.id, now)?;
        }
        Ok(())
    }

    /// Records a visit with its assists, atomically, and queues it for upload. A consent asked at
    /// the visit ([`VisitDraft::consent`]) that changes the household's is saved and queued in the
    /// same transaction: if the visit or the consent change is refused, nothing is written.
    pub fn record_visit(&self, draft: &VisitDraft) -> Result<Visit> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        self.write(|tx| {
            let (visit, household) = self.build_visit(draft, 1, None, tx, &profile, &cache)?;
            self.save_consent_change(tx, household.as_ref())?;
            let flag = self.time_flag(tx, visit.recorded.utc)?;
            records::insert_visit(tx, &visit, flag)?;
            enqueue(tx, &RecordKind::Visit, visit.id, visit.recorded.utc)?;
            clear_draft(tx, DraftForm::Visit, draft.draft_key.as_deref())?;
            Ok(visit)
        })
    }

    /// Corrects a visit: records a new revision superseding `visit_id`, keeping the old one as
    /// history. Only the newest revision can be corrected.
    pub fn correct_visit(&self, visit_id: Uuid, draft: &VisitDraft) -> Result<Visit> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        self.write(|tx| {
            let old = records::load_visit(tx, visit_id)?;
            let superseded_by: Option<String> = tx.query_row(
                "SELECT superseded_by FROM visits WHERE id = ?1",
                [visit_id.to_string()],
                |r| r.get(0),
            )?;
            if let Some(by) = superseded_by {
                let by = Uuid::parse_str(&by).map_err(|e| Error::Corrupt(e.to_string()))?;
                return Err(Error::AlreadyCorrected { id: visit_id, by });
            }
            let mut draft = draft.clone();
            draft.household_id = old.household_id;
            draft.campaign_id = draft.campaign_id.or(old.campaign_id);
            let (visit, household) =
                self.build_visit(&draft, old.revision + 1, Some(old.id), tx, &profile, &cache)?;
            self.save_consent_change(tx, household.as_ref())?;
            let flag = self.time_flag(tx, visit.recorded.utc)?;
            records::insert_visit(tx, &visit, flag)?;
            tx.execute(
                "UPDATE visits SET superseded_by = ?2 WHERE id = ?1",
                params![old.id.to_string(), visit.id.to_string()],
            )?;
            enqueue(tx, &RecordKind::Visit, visit.id, visit.recorded.utc)?;
            clear_draft(tx, DraftForm::Visit, draft.draft_key.as_deref())?;
            Ok(visit)
        })
    }

    pub fn visit(&self, id: Uuid) -> Result<Visit> {
        self.read(|c| records::load_visit(c, id))
    }

    /// Every revision of the visit `id` belongs to, oldest first.
    pub fn visit_revisions(&self, id: Uuid) -> Result<Vec<Visit>> {
        self.read(|c| {
            let mut chain = vec![records::load_visit(c, id)?];
            while let Some(prev) = chain[0].supersedes {
                chain.insert(0, records::load_visit(c, prev)?);
            }
            loop {
                let last = chain.last().map(|v| v.id.to_string()).unwrap_or_default();
                match records::load_visits(c, "supersedes = ?1", &[&last])?.pop() {
                    Some(next) => chain.push(next),
                    None => break,
                }
            }
            Ok(chain)
        })
    }

    /// The household's visits (current revisions), newest first.
    pub fn household_visits(&self, household_id: Uuid) -> Result<Vec<Visit>> {
        let id = household_id.to_string();
        self.read(|c| {
            records::load_visits(
                c,
                "household_id = ?1 AND superseded_by IS NULL ORDER BY started_at DESC",
                &[&id],
            )
        })
    }
}
