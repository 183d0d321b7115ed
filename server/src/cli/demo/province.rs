//! The demo's province: the provincial union of Vĩnh Long (which since July 2025 includes the
//! former Bến Tre province of letter 2094-CV/TĐTN-TCKT) with commune unions, teams, hamlets and
//! members in real communes of the former Bến Tre, a campaign modelled on plan 241-KH/TĐTN-TCKT
//! with targets for every indicator, dashboard accounts, and one enrolment code per simulated
//! phone. Fixed ids: a second run on the same database updates rather than duplicates.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use gocua_protocol::*;
use gocua_sim::names::PHONE_MODELS;
use gocua_sim::{PhonePlan, Place};
use uuid::Uuid;

use super::data::AREAS_FILE;
use super::DemoOptions;
use crate::db::Sql;
use crate::domain::coordination::{self, AdminError, NewCampaign, NewTarget, NewTeam, NewUnit};
use crate::params;

/// Vĩnh Long; since 1 July 2025 it includes the former provinces of Bến Tre and Trà Vinh.
pub const PROVINCE_CODE: &str = "86";
pub const LEGAL_REFERENCE: &str = "241-KH/TĐTN-TCKT";

/// Namespace of the demo's fixed ids: running the demo again on the same database updates the
/// same units, teams and members instead of adding copies.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x6f63_7561_2d64_656d_6f00_0000_0000_0001);

fn demo_id(kind: &str, name: &str) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, format!("{kind}:{name}").as_bytes())
}

// ---------------------------------------------------------------------------------------------
// The organisation of the demo: real communes of the former Bến Tre province, now in Vĩnh Long.

struct TeamSpec {
    unit: &'static str,
    team: &'static str,
    /// Commune names as in the official list, each with the hamlets the coordinator creates. A
    /// team works within its unit's area (`coordination::create_team`): its commune's hamlets.
    communes: &'static [(&'static str, &'static [&'static str])],
    /// The first is the team leader.
    members: [&'static str; 3],
}

const TEAMS: &[TeamSpec] = &[
    TeamSpec {
        unit: "Đoàn phường Bến Tre",
        team: "Đội TNTN phường Bến Tre",
        communes: &[(
            "Phường Bến Tre",
            &[
                "Khu phố 1",
                "Khu phố 2",
                "Khu phố 5",
                "Khu phố Phú Hưng",
                "Khu phố 3",
            ],
        )],
        members: ["Nguyễn Thị Ngọc Hân", "Trần Minh Khoa", "Lê Thị Hoa"],
    },
    TeamSpec {
        unit: "Đoàn xã Mỏ Cày",
        team: "Đội TNXK xã Mỏ Cày",
        communes: &[(
            "Xã Mỏ Cày",
            &[
                "Ấp 1",
                "Ấp Tân Hưng",
                "Ấp Phước Khánh",
                "Ấp Phú Hòa",
                "Ấp 4",
            ],
        )],
        members: ["Võ Văn Tài", "Huỳnh Thị Mỹ Duyên", "Phan Quốc Bảo"],
    },
    TeamSpec {
        unit: "Đoàn xã Giồng Trôm",
        team: "Đội TNTN xã Giồng Trôm",
        communes: &[(
            "Xã Giồng Trôm",
            &["Ấp Phú Hưng", "Ấp 3", "Ấp An Bình", "Ấp 2", "Ấp Thới Lai"],
        )],
        members: ["Đặng Thanh Tú", "Bùi Thị Kim Ngân", "Lý Hoàng Phúc"],
    },
    TeamSpec {
        unit: "Đoàn xã Thạnh Phú",
        team: "Tổ công nghệ số xã Thạnh Phú",
        communes: &[(
            "Xã Thạnh Phú",
            &["Ấp Giồng Chùa", "Ấp 7", "Ấp Thạnh Hòa", "Ấp 5"],
        )],
        members: ["Trương Thị Yến Nhi", "Dương Văn Lợi", "Ngô Gia Huy"],
    },
];

/// What [`setup`] made: the campaign, one plan per simulated phone, and the dashboard accounts.
pub(super) struct Setup {
    pub campaign: Campaign,
    pub devices: Vec<PhonePlan>,
    pub teams: usize,
    pub accounts: Vec<DemoAccount>,
}

/// A dashboard account the demo made, with its password (shown once, on the terminal).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub role: crate::domain::accounts::Role,
    pub unit_name: String,
}

fn demo_account(
    sql: &mut dyn Sql,
    username: &str,
    display_name: &str,
    role: crate::domain::accounts::Role,
    unit: &OrgUnit,
) -> Result<DemoAccount, AdminError> {
    let password = crate::domain::auth::new_device_token()[..16].to_owned();
    crate::domain::accounts::create_account(
        sql,
        &crate::domain::accounts::NewAccount {
            username: username.into(),
            display_name: display_name.into(),
            role,
            org_unit_id: unit.id,
            password: password.clone(),
        },
        Utc::now(),
    )?;
    Ok(DemoAccount {
        username: username.into(),
        password,
        role,
        unit_name: unit.name.clone(),
    })
}

/// The campaign's dates around `today` (Vietnam's calendar): from the letter's date (18 Feb) —
/// or a week ago if earlier in the year — through 30 June (or a month ahead), with Youth Month
/// as its peak. The quick report is due 31 March; once March has passed, at the campaign's end.
pub fn campaign_dates(today: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate, PeakWindow) {
    let year = today.year();
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
    let starts_on = d(2, 18).min(today - Duration::days(7));
    let ends_on = d(6, 30).max(today + Duration::days(30));
    let march_end = d(3, 31);
    let deadline = if today <= march_end {
        march_end
    } else {
        ends_on
    };
    let peak = PeakWindow {
        name: format!("Tháng Thanh niên {year}"),
        starts_on: d(3, 1),
        ends_on: march_end,
    };
    (starts_on, ends_on, deadline, peak)
}

fn commune_code(sql: &mut dyn Sql, name: &str) -> Result<(String, bool), AdminError> {
    let row = sql.query_one(
        "SELECT code, division_type FROM areas WHERE parent_code = ? AND name = ? AND level = 'commune'",
        params![PROVINCE_CODE, name],
    )?;
    row.map(|r| (r.text(0), r.text(1) == "phường")).ok_or_else(|| {
        AdminError::not_found(
            format!("Không tìm thấy \"{name}\" thuộc tỉnh mã {PROVINCE_CODE} trong danh mục {AREAS_FILE}."),
            format!("\"{name}\" (province {PROVINCE_CODE}) is not in {AREAS_FILE}."),
        )
    })
}

/// Builds the organisation, campaign, targets and enrolment codes, in one transaction.
pub(super) fn setup(
    sql: &mut dyn Sql,
    areas_csv: &[u8],
    services_csv: &[u8],
    opts: &DemoOptions,
    seed: u64,
) -> Result<Setup, AdminError> {
    coordination::import_areas(sql, areas_csv, false)?;
    coordination::import_services(sql, services_csv, false)?;
    let now = Utc::now();
    coordination::guides::load_starter_guides(sql, now)?;
    let today = crate::domain::calendar::day_of(now);
    let (starts_on, ends_on, report_deadline, peak) = campaign_dates(today);
    let year = today.year();
    let campaign_name = format!(
        "Đi từng ngõ, gõ từng nhà – hỗ trợ người dân sử dụng dịch vụ công trực tuyến năm {year}"
    );
    let campaign = coordination::create_campaign(
        sql,
        &NewCampaign {
            id: Some(demo_id("campaign", &campaign_name)),
            name: campaign_name.clone(),
            legal_reference: LEGAL_REFERENCE.into(),
            starts_on,
            ends_on,
            report_deadline,
            peak_windows: vec![peak],
        },
    )?;
    let province = coordination::create_unit(
        sql,
        &NewUnit {
            id: Some(demo_id("unit", "Tỉnh Đoàn Vĩnh Long")),
            name: "Tỉnh Đoàn Vĩnh Long".into(),
            kind: OrgUnitKind::ProvinceUnion,
            parent_id: None,
            area_code: Some(PROVINCE_CODE.into()),
        },
    )?;

    let mut accounts = vec![demo_account(
        sql,
        "tinhdoan",
        "Nguyễn Thị Thu Hà",
        crate::domain::accounts::Role::Admin,
        &province,
    )?];

    let devices_total = opts.devices.max(4);
    let teams_used = TEAMS.len().min(devices_total);
    let per_device = opts.visits.div_ceil(devices_total).max(1);
    let mut devices = Vec::new();
    for (t, spec) in TEAMS.iter().enumerate().take(teams_used) {
        let mut communes = Vec::new();
        let mut hamlets = Vec::new();
        let mut hamlet_csv = String::from("code,name,division_type,commune_code\n");
        for (name, hamlet_names) in spec.communes {
            let (code, ward) = commune_code(sql, name)?;
            for (i, h) in hamlet_names.iter().enumerate() {
                let hamlet_code = format!("{code}-{:02}", i + 1);
                let kind = if h.starts_with("Khu phố") {
                    "khu phố"
                } else {
                    "ấp"
                };
                hamlet_csv.push_str(&format!("{hamlet_code},{h},{kind},{code}\n"));
                hamlets.push(Place {
                    code: hamlet_code,
                    name: (*h).into(),
                    commune_code: code.clone(),
                    ward,
                });
            }
            communes.push(Place {
                code: code.clone(),
                name: (*name).into(),
                commune_code: code,
                ward,
            });
        }
        coordination::import_hamlets(sql, hamlet_csv.as_bytes(), false)?;
        let unit = coordination::create_unit(
            sql,
            &NewUnit {
                id: Some(demo_id("unit", spec.unit)),
                name: spec.unit.into(),
                kind: OrgUnitKind::CommuneUnion,
                parent_id: Some(province.id),
                area_code: Some(communes[0].code.clone()),
            },
        )?;
        if t == 0 {
            accounts.push(demo_account(
                sql,
                "xadoan",
                "Trần Văn Minh",
                crate::domain::accounts::Role::Coordinator,
                &unit,
            )?);
        }
        let team = coordination::create_team(
            sql,
            &NewTeam {
                id: Some(demo_id("team", spec.team)),
                name: spec.team.into(),
                org_unit_id: unit.id,
                area_codes: communes.iter().map(|c| c.code.clone()).collect(),
            },
        )?;
        let mut members = Vec::new();
        for (i, name) in spec.members.iter().enumerate() {
            let id = demo_id("member", &format!("{}/{name}", spec.team));
            members.push(coordination::add_member(
                sql,
                team.id,
                Some(id),
                name,
                i == 0,
            )?);
        }
        // This team's phones: devices are dealt to the teams in turn.
        let team_devices: Vec<usize> = (0..devices_total).filter(|d| d % teams_used == t).collect();
        // Targets a little under twice what the simulated days achieve: the campaign is under way.
        let households = (per_device * team_devices.len()) as u64 * 3 / 2;
        let round = |v: u64| v.div_ceil(10).max(1) * 10;
        let sessions = 4 * team_devices.len() as u64 + 2;
        let services = round(households / 3);
        let targets = [
            (Indicator::HouseholdsVisited, round(households)),
            (
                Indicator::PeopleReached,
                round(households * 2 + sessions * 30),
            ),
            (Indicator::Sessions, sessions),
            (Indicator::ServicesSupported, services),
            (Indicator::ServicesToanTrinh, round(services / 2)),
            (Indicator::ServicesLevel4, round(services / 2)),
            (Indicator::VneidActivations, round(households / 4)),
            (Indicator::HamletsCovered, hamlets.len() as u64),
        ];
        for (indicator, value) in targets {
            coordination::set_target(
                sql,
                &NewTarget {
                    campaign_id: campaign.id,
                    team_id: team.id,
                    indicator,
                    value,
                    starts_on: None,
                    ends_on: None,
                },
            )?;
        }
        for (k, d) in team_devices.iter().enumerate() {
            let member = &members[k % members.len()];
            let code = coordination::issue_enrol_code(sql, team.id, member.id, 2, now)?;
            let model = PHONE_MODELS[d % PHONE_MODELS.len()];
            devices.push(PhonePlan {
                index: *d + 1,
                label: format!("{model} – {}", member.name),
                code: code.code,
                team: team.name.clone(),
                communes: communes.clone(),
                hamlets: hamlets.clone(),
                visits: per_device,
                seed: seed.wrapping_add(*d as u64 * 7919),
            });
        }
    }
    devices.sort_by_key(|d| d.index);
    Ok(Setup {
        campaign,
        devices,
        teams: teams_used,
        accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_contains_today_all_year() {
        let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while day.year() == 2026 {
            let (from, to, deadline, peak) = campaign_dates(day);
            assert!(from <= day - Duration::days(4) && day <= to, "{day}");
            assert!(peak.starts_on >= from && peak.ends_on <= to, "{day}");
            assert!(deadline >= from, "{day}");
            if day.month() <= 3 {
                assert_eq!(deadline, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
            }
            day += Duration::days(1);
        }
    }
}
