//! Outreach sessions and feedback.

use chrono::NaiveDate;
use gocua_protocol::text::{tidy, tidy_opt};
use gocua_protocol::validation::{validate_feedback, validate_session};
use gocua_protocol::*;
use rusqlite::OptionalExtension;
use uuid::Uuid;

use crate::drafts::{clear_draft, DraftForm};
use crate::error::{Error, Result};
use crate::outbox::enqueue;
use crate::records;
use crate::reference_cache::ReferenceCache;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDraft {
    pub campaign_id: Option<Uuid>,
    pub kind: SessionKind,
    pub area_code: String,
    pub place: String,
    pub held_on: NaiveDate,
    pub attendees: u32,
    pub materials: Vec<String>,
    pub note: Option<String>,
    /// The key of this form's draft ([`crate::DraftForm::Session`]), deleted when it is stored.
    pub draft_key: Option<String>,
}

impl SessionDraft {
    /// The session this draft describes, under the given identity (id, team, author), time
    /// recorded and clock: its fields as typed (trimmed; blank materials and note dropped), in
    /// the campaign of its day when none was chosen.
    fn session(
        &self,
        cache: &ReferenceCache,
        (id, team_id, volunteer_id): (Uuid, Uuid, Uuid),
        recorded: DeviceTime,
        hlc: Hlc,
    ) -> OutreachSession {
        OutreachSession {
            id,
            team_id,
            volunteer_id,
            campaign_id: self
                .campaign_id
                .or_else(|| cache.campaign_on(self.held_on).map(|c| c.id)),
            kind: self.kind.clone(),
            area_code: self.area_code.trim().to_owned(),
            place: tidy(&self.place),
            held_on: self.held_on,
            attendees: self.attendees,
            materials: self
                .materials
                .iter()
                .filter_map(|m| tidy_opt(Some(m)))
                .collect(),
            note: tidy_opt(self.note.as_deref()),
            recorded,
            hlc,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackDraft {
    pub source: FeedbackSource,
    pub category: FeedbackCategory,
    pub text: String,
    pub area_code: Option<String>,
    /// The key of this form's draft ([`crate::DraftForm::Feedback`]), deleted when it is stored.
    pub draft_key: Option<String>,
}

impl Store {
    pub fn record_session(&self, draft: &SessionDraft) -> Result<OutreachSession> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let team = cache.team_of(&profile)?;
        let recorded = self.device_time();
        self.write(|tx| {
            let session = draft.session(
                &cache,
                (Uuid::now_v7(), profile.team_id, profile.volunteer_id),
                recorded,
                self.next_hlc(tx)?,
            );
            let ctx = cache.context(team, recorded.utc, None);
            validate_session(&session, &ctx)?;
            let flag = self.time_flag(tx, recorded.utc)?;
            records::insert_session(tx, &session, flag)?;
            enqueue(tx, &RecordKind::OutreachSession, session.id, recorded.utc)?;
            clear_draft(tx, DraftForm::Session, draft.draft_key.as_deref())?;
            Ok(session)
        })
    }

    /// The outreach session `id`.
    pub fn session(&self, id: Uuid) -> Result<OutreachSession> {
        self.read(|c| records::load_session(c, id))
    }

    /// Corrects an outreach session the server has not taken — one it refused, fixed from the
    /// queue, or one still waiting: the same record (id, author, time recorded) with the fields
    /// as corrected and a new clock, validated again and queued again. Sessions are immutable on
    /// the server, so one it accepted is refused here (`AlreadyOnServer`).
    pub fn correct_session(&self, id: Uuid, draft: &SessionDraft) -> Result<OutreachSession> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let team = cache.team_of(&profile)?;
        let now = self.clock.now();
        self.write(|tx| {
            let old = records::load_session(tx, id)?;
            let state: Option<String> = tx
                .query_row(
                    "SELECT state FROM outbox WHERE kind = ?1 AND record_id = ?2",
                    rusqlite::params![RecordKind::OutreachSession.as_str(), id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if matches!(
                state.as_deref(),
                None | Some("accepted") | Some("in_flight")
            ) {
                return Err(Error::AlreadyOnServer(id));
            }
            let session = draft.session(
                &cache,
                (old.id, old.team_id, old.volunteer_id),
                old.recorded,
                self.next_hlc(tx)?,
            );
            let ctx = cache.context(team, session.recorded.utc, None);
            validate_session(&session, &ctx)?;
            let flag = self.time_flag(tx, session.recorded.utc)?;
            tx.execute("DELETE FROM sessions WHERE id = ?1", [id.to_string()])?;
            records::insert_session(tx, &session, flag)?;
            enqueue(tx, &RecordKind::OutreachSession, id, now)?;
            clear_draft(tx, DraftForm::Session, draft.draft_key.as_deref())?;
            Ok(session)
        })
    }

    pub fn record_feedback(&self, draft: &FeedbackDraft) -> Result<Feedback> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let team = cache.team_of(&profile)?;
        let recorded = self.device_time();
        self.write(|tx| {
            match draft.source {
                FeedbackSource::Visit(id) => drop(records::load_visit(tx, id)?),
                FeedbackSource::Session(id) => drop(records::load_session(tx, id)?),
                FeedbackSource::General => {}
            }
            let feedback = Feedback {
                id: Uuid::now_v7(),
                team_id: profile.team_id,
                volunteer_id: profile.volunteer_id,
                source: draft.source,
                category: draft.category.clone(),
                text: tidy(&draft.text),
                area_code: draft
                    .area_code
                    .as_deref()
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
                recorded,
                hlc: self.next_hlc(tx)?,
            };
            let ctx = cache.context(team, recorded.utc, None);
            validate_feedback(&feedback, &ctx)?;
            let flag = self.time_flag(tx, recorded.utc)?;
            records::insert_feedback(tx, &feedback, flag)?;
            enqueue(tx, &RecordKind::Feedback, feedback.id, recorded.utc)?;
            clear_draft(tx, DraftForm::Feedback, draft.draft_key.as_deref())?;
            Ok(feedback)
        })
    }

    /// Sessions held between two days (inclusive), newest first.
    pub fn sessions_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<OutreachSession>> {
        let (from, to) = (from.to_string(), to.to_string());
        self.read(|c| {
            records::load::<OutreachSession>(
                c,
                "held_on BETWEEN ?1 AND ?2 ORDER BY held_on DESC, id DESC",
                &[&from, &to],
            )
        })
    }

    /// All feedback recorded on this phone, newest first.
    pub fn feedback_list(&self) -> Result<Vec<Feedback>> {
        self.read(|c| records::load::<Feedback>(c, "1 ORDER BY recorded_utc DESC, id DESC", &[]))
    }
}
