//! What several server tests set up the same way, on a database opened as the server opens it:
//! Phường An Hội (Vĩnh Long) with one khu phố, the birth-registration service, the ward's union
//! with one team and one member, a campaign over November 2026 — and records received as a push
//! receives them (ingest, then the team's rollup refreshed).

#![allow(dead_code)] // each test file uses its part

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::*;
use gocua_server::db::{Db, DbResult, Sql};
use gocua_server::domain::coordination::{self, AdminError, NewCampaign, NewTeam, NewUnit};
use gocua_server::domain::ingest::{DeviceContext, Incoming, Ingest};
use gocua_server::domain::refdata::ValidationCache;
use gocua_server::domain::rollup;
use uuid::Uuid;

pub const AREAS: &str = "code,name,level,division_type,parent_code
86,Tỉnh Vĩnh Long,province,tỉnh,
29000,Phường An Hội,commune,phường,86
";

pub const HAMLETS: &str = "code,name,division_type,commune_code
29000-KP1,Khu phố 1,khu phố,29000
";

pub const SERVICES: &str = "key,code,name_vi,name_en,authority,code_confidence
birth_registration,1.001193,Thủ tục đăng ký khai sinh,Birth registration,UBND cấp xã,two public sources
";

pub const COMMUNE: &str = "29000";
pub const HAMLET: &str = "29000-KP1";

/// A new SQLite database in `dir`, opened (schema created) as the server opens it.
pub fn sqlite_in(dir: &std::path::Path) -> Db {
    let path = dir.join("server.db");
    gocua_server::domain::open::open_database(path.to_str().unwrap()).unwrap()
}

/// Asserts that opening `target` is refused because its schema (version 99) is newer than this
/// build's.
pub fn assert_newer_schema_refused(target: &str) {
    match gocua_server::domain::open::open_database(target) {
        Err(gocua_server::db::DbError::NewerSchema {
            found: 99,
            supported,
        }) => assert_eq!(supported, gocua_server::db::SCHEMA_VERSION),
        other => panic!(
            "expected NewerSchema, got {other:?}",
            other = other.map(|_| ())
        ),
    }
}

/// A day of November 2026.
pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

pub fn hlc(at: DateTime<Utc>) -> Hlc {
    Hlc {
        wall_ms: at.timestamp_millis(),
        ..Default::default()
    }
}

/// Recorded by a phone in Vietnam at `at`.
pub fn recorded(at: DateTime<Utc>) -> DeviceTime {
    DeviceTime {
        utc: at,
        offset_minutes: 420,
    }
}

/// A database opened as the server opens it, in a temporary directory, with [`seed`]'s team.
pub struct Fixture {
    pub db: Db,
    pub team: Uuid,
    pub member: Uuid,
    pub campaign: Uuid,
    _dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new(hamlets: bool) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        let db = gocua_server::domain::open::open_database(path.to_str().unwrap()).unwrap();
        let Team {
            team,
            member,
            campaign,
        } = seed(&db, hamlets);
        Fixture {
            db,
            team,
            member,
            campaign,
            _dir: dir,
        }
    }

    pub fn team(&self) -> Team {
        Team {
            team: self.team,
            member: self.member,
            campaign: self.campaign,
        }
    }

    /// [`Team::receive`] into this database.
    pub fn receive(&self, now: DateTime<Utc>, changes: Vec<Change>) {
        self.team().receive(&self.db, now, changes);
    }

    pub fn household(&self, at: DateTime<Utc>, name: &str, hamlet: Option<&str>) -> Household {
        self.team().household(at, name, hamlet)
    }

    /// A visit that met the household and helped with nothing.
    pub fn visit(&self, household: &Household, at: DateTime<Utc>) -> Visit {
        self.team().visit(household, at, Vec::new())
    }
}

/// The team that does the work in a test.
#[derive(Debug, Clone, Copy)]
pub struct Team {
    pub team: Uuid,
    pub member: Uuid,
    pub campaign: Uuid,
}

/// The reference data (with the khu phố when `hamlets`), the union, its team, a member and the
/// campaign.
pub fn seed(db: &Db, hamlets: bool) -> Team {
    db.tx(|sql: &mut dyn Sql| {
        coordination::import_areas(sql, AREAS.as_bytes(), false)?;
        if hamlets {
            coordination::import_hamlets(sql, HAMLETS.as_bytes(), false)?;
        }
        coordination::import_services(sql, SERVICES.as_bytes(), false)?;
        let unit = coordination::create_unit(
            sql,
            &NewUnit {
                id: None,
                name: "Đoàn phường An Hội".into(),
                kind: OrgUnitKind::CommuneUnion,
                parent_id: None,
                area_code: Some(COMMUNE.into()),
            },
        )?;
        let team = coordination::create_team(
            sql,
            &NewTeam {
                id: None,
                name: "Đội An Hội".into(),
                org_unit_id: unit.id,
                area_codes: vec![COMMUNE.into()],
            },
        )?;
        let member = coordination::add_member(sql, team.id, None, "Trần Thị Bích", false)?;
        let campaign = coordination::create_campaign(
            sql,
            &NewCampaign {
                id: None,
                name: "Đi từng ngõ, gõ từng nhà".into(),
                legal_reference: "241-KH/TĐTN-TCKT".into(),
                starts_on: day(1),
                ends_on: day(30),
                report_deadline: day(30),
                peak_windows: Vec::new(),
            },
        )?;
        Ok::<_, AdminError>(Team {
            team: team.id,
            member: member.id,
            campaign: campaign.id,
        })
    })
    .unwrap()
}

impl Team {
    /// Ingests `changes` from a phone of the team as the push handler does at `now`
    /// (`Ingest::apply`, which keeps the rollup by increments), in `sql`'s transaction: their
    /// verdicts.
    pub fn ingest(
        &self,
        sql: &mut dyn Sql,
        now: DateTime<Utc>,
        changes: Vec<Change>,
    ) -> DbResult<Vec<RecordResult>> {
        let data = ValidationCache::default().get(sql)?;
        let ingest = Ingest {
            data: &data,
            device: DeviceContext {
                device_id: Uuid::from_u128(7),
                team_id: self.team,
                member_id: self.member,
            },
            now,
        };
        let incoming = changes
            .into_iter()
            .map(|c| Incoming::Parsed(Box::new(c)))
            .collect();
        ingest.apply(sql, incoming)
    }

    /// Uploads `changes` from a phone of the team as the server would receive them at `now`
    /// (each must be accepted), then recounts the team's rollup.
    pub fn receive(&self, db: &Db, now: DateTime<Utc>, changes: Vec<Change>) {
        db.tx(|sql: &mut dyn Sql| {
            for r in self.ingest(sql, now, changes)? {
                assert_eq!(r.status, RecordStatus::Accepted, "{r:?}");
            }
            let inputs = rollup::RollupInputs::load(sql)?;
            rollup::refresh_team(
                sql,
                self.team,
                &inputs.campaigns,
                &inputs.services,
                &inputs.tree,
            )
        })
        .unwrap();
    }

    /// A household of the ward (in `hamlet` when given) made by the team's member at `at`.
    pub fn household(&self, at: DateTime<Utc>, name: &str, hamlet: Option<&str>) -> Household {
        Household {
            id: Uuid::now_v7(),
            commune_code: COMMUNE.into(),
            hamlet_code: hamlet.map(Into::into),
            address_line: "12 Nguyễn Huệ".into(),
            head_name: name.into(),
            phone: None,
            members: 4,
            consent: None,
            erased: false,
            created_by: self.member,
            team_id: self.team,
            created: recorded(at),
            clocks: HouseholdClocks::all(hlc(at)),
        }
    }

    /// A visit that met the household at `at`, reached 2 people and helped with `assists`.
    pub fn visit(&self, household: &Household, at: DateTime<Utc>, assists: Vec<Assist>) -> Visit {
        Visit {
            id: Uuid::now_v7(),
            household_id: household.id,
            volunteer_id: self.member,
            team_id: self.team,
            campaign_id: Some(self.campaign),
            revision: 1,
            supersedes: None,
            started_at: at,
            ended_at: None,
            outcome: VisitOutcome::Met,
            people_reached: 2,
            gps: None,
            note: None,
            follow_up_on: None,
            assists,
            recorded: recorded(at),
            hlc: hlc(at),
        }
    }
}
