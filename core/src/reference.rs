//! Reference data on the phone: stored as downloaded (this file), read through an in-memory cache
//! (`reference_cache.rs`) that is rebuilt after each download.

use gocua_protocol::*;
use rusqlite::params;

use crate::error::{Error, Result};
use crate::reference_cache::{area_from_row, load_areas};
use crate::store::{get_meta, set_meta, DeviceProfile, Store};

impl Store {
    /// Replaces (full) or updates (changes only) the reference data, in one transaction.
    pub fn apply_reference_data(&self, data: &ReferenceData, full: bool) -> Result<()> {
        self.write(|tx| {
            if full {
                tx.execute_batch("DELETE FROM areas;")?;
                // A leader's assignments not yet on the server stay (assignments.rs).
                tx.execute_batch(crate::assignment_rows::KEEP_QUEUED)?;
            }
            {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO areas(code, name, level, division_type, parent_code) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level,
                       division_type = excluded.division_type, parent_code = excluded.parent_code",
                )?;
                for a in &data.areas {
                    stmt.execute(params![a.code, a.name, a.level.as_str(), a.division_type, a.parent_code])?;
                }
            }
            let put = |kind: &str, id: String, body: String| -> Result<()> {
                tx.execute(
                    "INSERT INTO reference_items(kind, id, body) VALUES (?1, ?2, ?3)
                     ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body",
                    params![kind, id, body],
                )?;
                Ok(())
            };
            for s in &data.services {
                put("service", s.key.clone(), serde_json::to_string(s)?)?;
            }
            for u in &data.org_units {
                put("org_unit", u.id.to_string(), serde_json::to_string(u)?)?;
            }
            for t in &data.teams {
                put("team", t.id.to_string(), serde_json::to_string(t)?)?;
            }
            for c in &data.campaigns {
                put("campaign", c.id.to_string(), serde_json::to_string(c)?)?;
            }
            for t in &data.targets {
                put("target", t.id.to_string(), serde_json::to_string(t)?)?;
            }
            for a in &data.achievements {
                put("achievement", a.target_id.to_string(), serde_json::to_string(a)?)?;
            }
            if let Some(zone) = &data.time_zone {
                put("time_zone", "deployment".into(), serde_json::to_string(zone)?)?;
            }
            crate::assignment_rows::apply(tx, &data.assignments)?;
            crate::guides::store_guides(tx, &data.guides)?;
            follow_volunteer(tx, &data.teams)
        })?;
        self.invalidate_reference_cache();
        Ok(())
    }

    /// The service catalogue, active entries first by Vietnamese name.
    pub fn services(&self) -> Result<Vec<Service>> {
        let mut s = self.reference_cache()?.services.clone();
        s.sort_by(|a, b| (!a.active, &a.name_vi).cmp(&(!b.active, &b.name_vi)));
        Ok(s)
    }

    /// Areas directly under `parent_code` (e.g. the hamlets of a commune), by name.
    pub fn child_areas(&self, parent_code: &str) -> Result<Vec<Area>> {
        self.read(|c| load_areas(c, Some(parent_code)))
    }

    /// The enrolled team as last downloaded.
    pub fn my_team(&self) -> Result<Team> {
        let profile = self.require_profile()?;
        self.reference_cache()?
            .team(profile.team_id)
            .cloned()
            .ok_or(Error::NotEnrolled)
    }

    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        Ok(self.reference_cache()?.campaigns.clone())
    }
}

/// Keeps the profile as the server's team says: a coordinator may move the volunteer to another
/// team (the server then sends that team) or rename them or their team. A download without the
/// volunteer in it changes nothing.
fn follow_volunteer(tx: &rusqlite::Connection, teams: &[Team]) -> Result<()> {
    let Some(json) = get_meta(tx, "profile")? else {
        return Ok(());
    };
    let mut profile: DeviceProfile = serde_json::from_str(&json)?;
    let found = teams.iter().find_map(|t| {
        t.members
            .iter()
            .find(|m| m.id == profile.volunteer_id)
            .map(|m| (t, m))
    });
    let Some((team, member)) = found else {
        return Ok(());
    };
    if team.id != profile.team_id || member.name != profile.volunteer_name {
        profile.team_id = team.id;
        profile.volunteer_name = member.name.clone();
        set_meta(tx, "profile", &serde_json::to_string(&profile)?)?;
    }
    if get_meta(tx, "team_name")?.as_deref() != Some(team.name.as_str()) {
        set_meta(tx, "team_name", &team.name)?;
    }
    Ok(())
}

impl Store {
    /// One area of the downloaded tree.
    pub fn area(&self, code: &str) -> Result<Option<Area>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT code, name, level, division_type, parent_code FROM areas WHERE code = ?1",
            )?;
            let mut rows = stmt.query_map([code], area_from_row)?;
            Ok(rows.next().transpose()?)
        })
    }
}
