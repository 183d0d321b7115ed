//! Creating, editing and erasing households.

use gocua_protocol::text::{tidy, tidy_opt};
use gocua_protocol::validation::validate_household;
use gocua_protocol::*;
use uuid::Uuid;

use crate::drafts::{clear_draft, DraftForm};
use crate::error::{Error, Result};
use crate::millis::millis;
use crate::outbox::enqueue;
use crate::records;
use crate::reference_cache::ReferenceCache;
use crate::store::{DeviceProfile, Store};

/// The person's consent as the volunteer records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDraft {
    pub given: bool,
    pub method: ConsentMethod,
}

/// What the volunteer types for a household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdDraft {
    pub commune_code: String,
    pub hamlet_code: Option<String>,
    pub address_line: String,
    pub head_name: String,
    pub phone: Option<String>,
    pub members: u16,
    pub consent: Option<ConsentDraft>,
    /// The key of this form's draft ([`DraftForm::Household`]), deleted in the transaction that
    /// stores the household; a refused save keeps it.
    pub draft_key: Option<String>,
}

impl Store {
    /// Validates against the downloaded reference data. `cache` is fetched before the write
    /// transaction starts (the connection lock is not re-entrant).
    fn validate_household_here(
        &self,
        h: &Household,
        profile: &DeviceProfile,
        cache: &ReferenceCache,
    ) -> Result<()> {
        let team = cache.team_of(profile)?;
        let catalogue = cache.catalogue();
        let ctx = cache.context(team, self.clock.now(), Some(&catalogue));
        Ok(validate_household(h, &ctx)?)
    }

    pub fn create_household(&self, draft: &HouseholdDraft) -> Result<Household> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let recorded = self.device_time();
        self.write(|tx| {
            let stamp = self.next_hlc(tx)?;
            let mut h = Household {
                id: Uuid::now_v7(),
                commune_code: draft.commune_code.trim().to_owned(),
                hamlet_code: tidy_opt(draft.hamlet_code.as_deref()),
                address_line: tidy(&draft.address_line),
                head_name: tidy(&draft.head_name),
                phone: tidy_opt(draft.phone.as_deref()),
                members: draft.members,
                consent: draft.consent.as_ref().map(|c| Consent {
                    given: c.given,
                    method: c.method.clone(),
                    recorded_at: recorded.utc,
                    recorded_by: profile.volunteer_id,
                }),
                erased: false,
                created_by: profile.volunteer_id,
                team_id: profile.team_id,
                created: recorded,
                clocks: HouseholdClocks::all(stamp),
            };
            self.validate_household_here(&h, &profile, &cache)?;
            if let Some(p) = &h.phone {
                h.phone = Some(text::phone_digits(p));
            }
            let flag = self.time_flag(tx, recorded.utc)?;
            records::insert_household(tx, &h, millis(recorded.utc), flag)?;
            enqueue(tx, &RecordKind::Household, h.id, recorded.utc)?;
            clear_draft(tx, DraftForm::Household, draft.draft_key.as_deref())?;
            Ok(h)
        })
    }

    /// Edits a household. Only fields that changed get a new clock stamp, so edits of different
    /// fields on two phones both survive the server's merge.
    pub fn update_household(&self, id: Uuid, draft: &HouseholdDraft) -> Result<Household> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let now = self.clock.now();
        self.write(|tx| {
            let old = records::load_household(tx, id)?;
            if old.erased {
                return Err(Error::Erased(id));
            }
            let stamp = self.next_hlc(tx)?;
            let mut h = old.clone();
            h.commune_code = draft.commune_code.trim().to_owned();
            h.hamlet_code = tidy_opt(draft.hamlet_code.as_deref());
            h.address_line = tidy(&draft.address_line);
            h.head_name = tidy(&draft.head_name);
            h.phone = tidy_opt(draft.phone.as_deref());
            h.members = draft.members;
            h.consent = match (&draft.consent, &old.consent) {
                (Some(d), Some(o)) if d.given == o.given && d.method == o.method => {
                    old.consent.clone()
                }
                (Some(d), _) => Some(Consent {
                    given: d.given,
                    method: d.method.clone(),
                    recorded_at: now,
                    recorded_by: profile.volunteer_id,
                }),
                (None, _) => None,
            };
            self.validate_household_here(&h, &profile, &cache)?;
            h.phone = h.phone.as_deref().map(text::phone_digits);
            let c = &mut h.clocks;
            if (&h.commune_code, &h.hamlet_code) != (&old.commune_code, &old.hamlet_code) {
                c.location = stamp;
            }
            if h.address_line != old.address_line {
                c.address_line = stamp;
            }
            if h.head_name != old.head_name {
                c.head_name = stamp;
            }
            if h.phone != old.phone {
                c.phone = stamp;
            }
            if h.members != old.members {
                c.members = stamp;
            }
            if h.consent != old.consent {
                c.consent = stamp;
            }
            clear_draft(tx, DraftForm::Household, draft.draft_key.as_deref())?;
            if h == old {
                return Ok(h); // nothing changed: nothing to upload
            }
            records::update_household(tx, &h, millis(now))?;
            enqueue(tx, &RecordKind::Household, h.id, now)?;
            Ok(h)
        })
    }

    pub fn household(&self, id: Uuid) -> Result<Household> {
        self.read(|c| records::load_household(c, id))
    }

    /// Erases a household's personal data on the person's request: name, address, phone and
    /// consent are blanked, and so are the notes and GPS fixes of its visits; the anonymous
    /// record (area, members, visit counts) stays so progress is not falsified. Drafts kept under
    /// the household's id (any form) are deleted. Queued as a change so the server erases its
    /// copy too.
    pub fn erase_household_personal_data(&self, id: Uuid) -> Result<()> {
        let now = self.clock.now();
        self.write(|tx| {
            let mut h = records::load_household(tx, id)?;
            let stamp = self.next_hlc(tx)?;
            h.blank_personal_data();
            h.erased = true;
            h.clocks = HouseholdClocks::all(stamp);
            records::update_household(tx, &h, millis(now))?;
            tx.execute(
                "UPDATE visits SET note = NULL, gps_lat = NULL, gps_lon = NULL, gps_accuracy_m = NULL WHERE household_id = ?1",
                [id.to_string()],
            )?;
            // Personal data must not linger in a half-filled form about this household either.
            tx.execute("DELETE FROM drafts WHERE key = ?1", [id.to_string()])?;
            enqueue(tx, &RecordKind::Household, id, now)?;
            Ok(())
        })
    }
}
