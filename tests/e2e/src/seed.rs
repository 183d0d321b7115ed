//! Reference data for the tests, written with the server's own `refdata` functions: the real area
//! list of Vĩnh Long (province 86, 2025-07 list) plus a few hamlets, the starter service
//! catalogue, the provincial Youth Union, two teams working in different communes, a campaign
//! running now and targets.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{Duration, Utc};
use gocua_protocol::import::{areas::parse_areas, services::parse_services};
use gocua_protocol::*;
use gocua_server::db::{Db, DbError, Sql};
use gocua_server::domain::refdata;
use uuid::Uuid;

pub const PROVINCE: &str = "86"; // Tỉnh Vĩnh Long
/// Team A's communes: Phường Bến Tre and Phường Phú Khương.
pub const COMMUNE_A1: &str = "28789";
pub const COMMUNE_A2: &str = "28756";
/// Team B's communes: Xã Long Hồ and Xã An Bình.
pub const COMMUNE_B1: &str = "29602";
pub const COMMUNE_B2: &str = "29584";
/// Hamlets (khu phố, ấp) the coordinators added under those communes.
pub const HAMLET_A1_KP1: &str = "28789-KP1";
pub const HAMLET_A1_KP2: &str = "28789-KP2";
pub const HAMLET_A2_KP3: &str = "28756-KP3";
pub const HAMLET_B1_AP1: &str = "29602-AP1";

/// The ids and records the seed wrote.
#[derive(Debug, Clone)]
pub struct Seed {
    pub org_unit: OrgUnit,
    pub team_a: Team,
    pub team_b: Team,
    pub campaign: Campaign,
    pub targets: Vec<Target>,
    pub areas: usize,
    pub services: usize,
}

/// A file of the repository's `data/`.
fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(name)
}

/// The province's areas from the official list, plus hamlets.
pub fn areas() -> &'static [Area] {
    static AREAS: OnceLock<Vec<Area>> = OnceLock::new();
    AREAS.get_or_init(|| {
        let path = data_file("vn-admin-units-2025-07.csv");
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let all = parse_areas(file).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let mut areas: Vec<Area> = all
            .into_iter()
            .filter(|a| a.code == PROVINCE || a.parent_code.as_deref() == Some(PROVINCE))
            .collect();
        assert!(
            areas.len() > 100,
            "Vĩnh Long has over a hundred communes in the 2025-07 list"
        );
        for code in [COMMUNE_A1, COMMUNE_A2, COMMUNE_B1, COMMUNE_B2] {
            assert!(
                areas.iter().any(|a| a.code == code),
                "commune {code} is in the list"
            );
        }
        let hamlet = |code: &str, name: &str, kind: &str, parent: &str| Area {
            code: code.into(),
            name: name.into(),
            level: AreaLevel::Hamlet,
            division_type: kind.into(),
            parent_code: Some(parent.into()),
        };
        areas.push(hamlet(HAMLET_A1_KP1, "Khu phố 1", "khu phố", COMMUNE_A1));
        areas.push(hamlet(HAMLET_A1_KP2, "Khu phố 2", "khu phố", COMMUNE_A1));
        areas.push(hamlet(HAMLET_A2_KP3, "Khu phố 3", "khu phố", COMMUNE_A2));
        areas.push(hamlet(HAMLET_B1_AP1, "Ấp Long Hoà", "ấp", COMMUNE_B1));
        areas
    })
}

/// The starter service catalogue.
pub fn services() -> &'static [Service] {
    static SERVICES: OnceLock<Vec<Service>> = OnceLock::new();
    SERVICES.get_or_init(|| {
        let path = data_file("services-starter.csv");
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        parse_services(file).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
    })
}

fn member(name: &str, role: MemberRole) -> TeamMember {
    TeamMember {
        id: Uuid::now_v7(),
        name: name.into(),
        role,
    }
}

/// A team of `unit` working in two communes; the first of `members` leads it.
fn team(name: &str, unit: &OrgUnit, communes: [&str; 2], members: &[&str]) -> Team {
    Team {
        id: Uuid::now_v7(),
        name: name.into(),
        org_unit_id: unit.id,
        area_codes: communes.iter().map(|&c| c.into()).collect(),
        members: members
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let role = if i == 0 {
                    MemberRole::Leader
                } else {
                    MemberRole::Member
                };
                member(name, role)
            })
            .collect(),
    }
}

/// Writes the reference data into `db` (one transaction, as a coordinator's import would).
pub fn seed(db: &Db) -> Seed {
    let today = gocua_protocol::Calendar::VIETNAM.day_of(Utc::now());
    let org_unit = OrgUnit {
        id: Uuid::now_v7(),
        name: "Tỉnh Đoàn Vĩnh Long".into(),
        kind: OrgUnitKind::ProvinceUnion,
        parent_id: None,
        area_code: Some(PROVINCE.into()),
    };
    let team_a = team(
        "Đội TNTN Phường Bến Tre",
        &org_unit,
        [COMMUNE_A1, COMMUNE_A2],
        &[
            "Lê Thị Hoa",
            "Trần Minh Khoa",
            "Phạm Thu Trang",
            "Võ Thanh Tâm",
        ],
    );
    let team_b = team(
        "Đội TNTN Xã Long Hồ",
        &org_unit,
        [COMMUNE_B1, COMMUNE_B2],
        &["Nguyễn Hoàng Nam", "Huỳnh Thị Mai"],
    );
    let campaign = Campaign {
        id: Uuid::now_v7(),
        name: "Ra quân hỗ trợ dịch vụ công trực tuyến".into(),
        legal_reference: "241-KH/TĐTN-TCKT".into(),
        starts_on: today - Duration::days(30),
        ends_on: today + Duration::days(60),
        peak_windows: vec![PeakWindow {
            name: "Đợt cao điểm".into(),
            starts_on: today - Duration::days(7),
            ends_on: today + Duration::days(7),
        }],
        report_deadline: today + Duration::days(65),
    };
    let target = |team: &Team, indicator: Indicator, value: u64| Target {
        id: Uuid::now_v7(),
        campaign_id: campaign.id,
        team_id: Some(team.id),
        org_unit_id: None,
        indicator,
        value,
        starts_on: campaign.starts_on,
        ends_on: campaign.ends_on,
    };
    let targets = vec![
        target(&team_a, Indicator::HouseholdsVisited, 200),
        target(&team_a, Indicator::ServicesSupported, 100),
        target(&team_a, Indicator::Sessions, 8),
        target(&team_b, Indicator::HouseholdsVisited, 150),
    ];
    let (areas, services) = (areas(), services());
    db.tx(|sql: &mut dyn Sql| {
        refdata::upsert_areas(sql, areas)?;
        refdata::upsert_services(sql, services)?;
        refdata::upsert_org_unit(sql, &org_unit)?;
        refdata::upsert_team(sql, &team_a)?;
        refdata::upsert_team(sql, &team_b)?;
        refdata::upsert_campaign(sql, &campaign)?;
        for t in &targets {
            refdata::upsert_target(sql, t)?;
        }
        Ok::<_, DbError>(())
    })
    .expect("seed reference data");
    Seed {
        org_unit,
        team_a,
        team_b,
        campaign,
        targets,
        areas: areas.len(),
        services: services.len(),
    }
}

/// Issues a one-time code for member `member` of `team`, valid for `valid_for` (negative: already
/// expired).
pub fn issue_code(db: &Db, team: &Team, member: usize, valid_for: Duration) -> String {
    let member_id = team.members[member].id;
    db.tx(|sql: &mut dyn Sql| {
        refdata::issue_enrol_code(sql, team.id, member_id, Utc::now(), valid_for)
    })
    .expect("issue enrolment code")
}

/// A coordinator changes a team's communes (e.g. moves a commune to the neighbouring team).
pub fn set_team_areas(db: &Db, team: &Team, area_codes: &[&str]) -> Team {
    let mut t = team.clone();
    t.area_codes = area_codes.iter().map(|c| (*c).to_owned()).collect();
    db.tx(|sql: &mut dyn Sql| refdata::upsert_team(sql, &t))
        .expect("update team");
    t
}

/// Two commune unions under the seeded province, with team A in the first and team B in the
/// second: for tests of what one commune's coordinator may see of the other.
pub fn split_units(db: &Db, seed: &Seed) -> (OrgUnit, OrgUnit) {
    let unit = |name: &str, area: &str| OrgUnit {
        id: Uuid::now_v7(),
        name: name.into(),
        kind: OrgUnitKind::CommuneUnion,
        parent_id: Some(seed.org_unit.id),
        area_code: Some(area.into()),
    };
    let a = unit("Đoàn phường Bến Tre", COMMUNE_A1);
    let b = unit("Đoàn xã Long Hồ", COMMUNE_B1);
    db.tx(|sql: &mut dyn Sql| {
        refdata::upsert_org_unit(sql, &a)?;
        refdata::upsert_org_unit(sql, &b)?;
        let mut ta = seed.team_a.clone();
        ta.org_unit_id = a.id;
        refdata::upsert_team(sql, &ta)?;
        let mut tb = seed.team_b.clone();
        tb.org_unit_id = b.id;
        refdata::upsert_team(sql, &tb)
    })
    .expect("units");
    (a, b)
}
