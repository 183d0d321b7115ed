//! Reference data on the phone: stored as downloaded, read through an in-memory cache that is
//! rebuilt after each download.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gocua_protocol::*;
use rusqlite::{params, Connection};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::store::Store;

/// What validation and progress need, loaded once.
#[derive(Debug, Default)]
pub struct ReferenceCache {
    pub tree: AreaTree,
    pub services: Vec<Service>,
    pub teams: Vec<Team>,
    pub campaigns: Vec<Campaign>,
    pub targets: Vec<Target>,
    pub achievements: Vec<TargetAchievement>,
    /// The deployment's calendar, as the server last sent it (Vietnam's before the first sync).
    pub calendar: Calendar,
}

impl ReferenceCache {
    pub(crate) fn load(conn: &Connection) -> Result<Self> {
        let areas = load_areas(conn, None)?;
        Ok(ReferenceCache {
            tree: AreaTree::new(&areas),
            services: load_items(conn, "service")?,
            teams: load_items(conn, "team")?,
            campaigns: load_items(conn, "campaign")?,
            targets: load_items(conn, "target")?,
            achievements: load_items(conn, "achievement")?,
            calendar: load_items::<String>(conn, "time_zone")?
                .first()
                .and_then(|z| Calendar::from_zone_name(z).ok())
                .unwrap_or_default(),
        })
    }

    pub fn team(&self, id: Uuid) -> Option<&Team> {
        self.teams.iter().find(|t| t.id == id)
    }

    pub fn catalogue(&self) -> BTreeMap<&str, &Service> {
        catalogue_by_key(&self.services)
    }

    /// The campaign running on `day`, if any (the most recently started one).
    pub fn campaign_on(&self, day: NaiveDate) -> Option<&Campaign> {
        self.campaigns
            .iter()
            .filter(|c| c.starts_on <= day && day <= c.ends_on)
            .max_by_key(|c| c.starts_on)
    }
}

fn load_items<T: DeserializeOwned>(conn: &Connection, kind: &str) -> Result<Vec<T>> {
    let mut stmt =
        conn.prepare_cached("SELECT body FROM reference_items WHERE kind = ?1 ORDER BY id")?;
    let rows = stmt.query_map([kind], |r| r.get::<_, String>(0))?;
    rows.map(|body| Ok(serde_json::from_str(&body?)?)).collect()
}

fn load_areas(conn: &Connection, parent: Option<&str>) -> Result<Vec<Area>> {
    let sql = if parent.is_some() {
        "SELECT code, name, level, division_type, parent_code FROM areas WHERE parent_code = ?1 ORDER BY name"
    } else {
        "SELECT code, name, level, division_type, parent_code FROM areas WHERE ?1 IS NULL ORDER BY code"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([parent], |r| {
        Ok(Area {
            code: r.get(0)?,
            name: r.get(1)?,
            level: AreaLevel::parse(&r.get::<_, String>(2)?),
            division_type: r.get(3)?,
            parent_code: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Replaces (full) or updates (changes only) the reference data, in one transaction.
    pub fn apply_reference_data(&self, data: &ReferenceData, full: bool) -> Result<()> {
        self.write(|tx| {
            if full {
                tx.execute_batch("DELETE FROM areas; DELETE FROM reference_items;")?;
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
            Ok(())
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

impl Store {
    /// One area of the downloaded tree.
    pub fn area(&self, code: &str) -> Result<Option<Area>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT code, name, level, division_type, parent_code FROM areas WHERE code = ?1",
            )?;
            let mut rows = stmt.query_map([code], |r| {
                Ok(Area {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    level: AreaLevel::parse(&r.get::<_, String>(2)?),
                    division_type: r.get(3)?,
                    parent_code: r.get(4)?,
                })
            })?;
            Ok(rows.next().transpose()?)
        })
    }
}
