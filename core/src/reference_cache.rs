//! The reference data as validation and progress read it: loaded once from the store into memory,
//! and rebuilt by the store after each download.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gocua_protocol::*;
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::Result;

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
    /// What a record of `team`, made at `now`, is checked against: the area tree, the team's
    /// areas, the deployment's calendar and, for records that name services, `services`.
    pub(crate) fn context<'a>(
        &'a self,
        team: &'a Team,
        now: chrono::DateTime<chrono::Utc>,
        services: Option<&'a BTreeMap<&'a str, &'a Service>>,
    ) -> ValidationContext<'a> {
        ValidationContext {
            now,
            services,
            areas: Some(&self.tree),
            team: Some((team.id, &team.area_codes)),
            calendar: self.calendar,
        }
    }

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

    /// The team of the enrolled volunteer; `NotEnrolled` when the reference data lacks it.
    pub(crate) fn team_of(&self, profile: &crate::DeviceProfile) -> Result<&Team> {
        self.team(profile.team_id)
            .ok_or(crate::error::Error::NotEnrolled)
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

pub(crate) fn load_areas(conn: &Connection, parent: Option<&str>) -> Result<Vec<Area>> {
    let sql = if parent.is_some() {
        "SELECT code, name, level, division_type, parent_code FROM areas WHERE parent_code = ?1 ORDER BY name"
    } else {
        "SELECT code, name, level, division_type, parent_code FROM areas WHERE ?1 IS NULL ORDER BY code"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([parent], area_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An area from a row of `SELECT code, name, level, division_type, parent_code FROM areas`.
pub(crate) fn area_from_row(r: &rusqlite::Row) -> rusqlite::Result<Area> {
    Ok(Area {
        code: r.get(0)?,
        name: r.get(1)?,
        level: AreaLevel::parse(&r.get::<_, String>(2)?),
        division_type: r.get(3)?,
        parent_code: r.get(4)?,
    })
}
