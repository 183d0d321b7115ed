//! Checking and editing campaigns on a fresh database: each broken rule has its code and leaves
//! nothing written; targets set for the whole campaign follow new dates, others are refused.

use chrono::NaiveDate;
use gocua_protocol::*;
use uuid::Uuid;

use super::*;
use crate::db::Db;
use crate::domain::coordination::{create_team, create_unit, NewTeam, NewUnit};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn campaign() -> NewCampaign {
    NewCampaign {
        id: None,
        name: "Ra quân  dịch vụ công ".into(),
        legal_reference: "241-KH/TĐTN-TCKT".into(),
        starts_on: d(2026, 3, 1),
        ends_on: d(2026, 6, 30),
        report_deadline: d(2026, 7, 5),
        peak_windows: vec![PeakWindow {
            name: "Tháng Thanh niên".into(),
            starts_on: d(2026, 3, 1),
            ends_on: d(2026, 3, 31),
        }],
    }
}

fn code(r: AdminResult<Campaign>) -> &'static str {
    r.err().map_or("ok", |e| e.code())
}

#[test]
fn each_broken_rule_has_its_code() {
    assert_eq!(
        check_campaign(&campaign()).unwrap().name,
        "Ra quân dịch vụ công"
    );
    let mut c = campaign();
    c.ends_on = d(2026, 2, 28);
    assert_eq!(code(check_campaign(&c)), "end_before_start");
    let mut c = campaign();
    c.report_deadline = d(2026, 2, 1);
    assert_eq!(code(check_campaign(&c)), "deadline_before_start");
    let mut c = campaign();
    c.peak_windows[0].ends_on = d(2026, 7, 1);
    assert_eq!(code(check_campaign(&c)), "peak_outside_campaign");
    let mut c = campaign();
    c.peak_windows[0].name = "  ".into();
    assert_eq!(code(check_campaign(&c)), "bad_peak_window");
    let mut c = campaign();
    c.name = " ".into();
    assert_eq!(code(check_campaign(&c)), "bad_name");
    let mut c = campaign();
    c.legal_reference = "x".repeat(MAX_REFERENCE_CHARS + 1);
    assert_eq!(code(check_campaign(&c)), "reference_too_long");
}

/// A database with a unit, a team and the campaign, and two targets: one for the whole
/// campaign, one for April only.
fn world() -> (tempfile::TempDir, Db, Campaign, Uuid) {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::domain::open::open_database(dir.path().join("t.db").to_str().unwrap()).unwrap();
    let (campaign, team) = db
        .tx(|sql| -> AdminResult<_> {
            refdata::upsert_areas(
                sql,
                &[Area {
                    code: "86".into(),
                    name: "Tỉnh Vĩnh Long".into(),
                    level: AreaLevel::Province,
                    division_type: "tỉnh".into(),
                    parent_code: None,
                }],
            )?;
            let unit = create_unit(
                sql,
                &NewUnit {
                    id: None,
                    name: "Tỉnh Đoàn Vĩnh Long".into(),
                    kind: OrgUnitKind::ProvinceUnion,
                    parent_id: None,
                    area_code: Some("86".into()),
                },
            )?;
            let team = create_team(
                sql,
                &NewTeam {
                    id: None,
                    name: "Đội A".into(),
                    org_unit_id: unit.id,
                    area_codes: vec!["86".into()],
                },
            )?;
            let campaign = create_campaign(sql, &campaign())?;
            let target = |indicator, from, to| NewTarget {
                campaign_id: campaign.id,
                team_id: team.id,
                indicator,
                value: 100,
                starts_on: from,
                ends_on: to,
            };
            set_target(sql, &target(Indicator::HouseholdsVisited, None, None))?;
            set_target(
                sql,
                &target(
                    Indicator::Sessions,
                    Some(d(2026, 4, 1)),
                    Some(d(2026, 4, 30)),
                ),
            )?;
            Ok((campaign, team.id))
        })
        .unwrap();
    (dir, db, campaign, team)
}

fn periods(db: &Db, campaign: Uuid) -> Vec<(String, NaiveDate, NaiveDate)> {
    let mut out: Vec<_> = db
        .tx(|sql| -> AdminResult<Vec<Target>> {
            Ok(sql
                .query(
                    "SELECT body FROM targets WHERE campaign_id = ?",
                    params![campaign],
                )?
                .iter()
                .map(|r| r.json(0))
                .collect::<Result<_, _>>()?)
        })
        .unwrap()
        .into_iter()
        .map(|t| (t.indicator.as_str().to_owned(), t.starts_on, t.ends_on))
        .collect();
    out.sort();
    out
}

/// [`edit_campaign`] in a transaction of its own.
fn edit(db: &Db, campaign: Uuid, e: &CampaignEdit) -> AdminResult<CampaignEdited> {
    db.tx(|sql| edit_campaign(sql, campaign, e))
}

/// The edit that moves a campaign's end and report deadline.
fn new_end(ends_on: NaiveDate, report_deadline: NaiveDate) -> CampaignEdit {
    CampaignEdit {
        ends_on: Some(ends_on),
        report_deadline: Some(report_deadline),
        ..CampaignEdit::default()
    }
}

#[test]
fn whole_campaign_targets_follow_new_dates_and_others_must_fit() {
    let (_dir, db, c, _team) = world();
    // Later end: the whole-campaign target follows; April's stays.
    let edited = edit(&db, c.id, &new_end(d(2026, 7, 31), d(2026, 8, 5))).unwrap();
    assert_eq!(edited.changed, vec!["dates", "report_deadline"]);
    assert_eq!(edited.targets_moved, 1);
    assert_eq!(
        periods(&db, c.id),
        vec![
            ("households_visited".into(), d(2026, 3, 1), d(2026, 7, 31)),
            ("sessions".into(), d(2026, 4, 1), d(2026, 4, 30)),
        ]
    );
    // An end before April's target ends: refused, the target listed, nothing changed.
    let before_seq = db.tx(|sql| refdata::current_seq(sql)).unwrap();
    let refused = edit(
        &db,
        c.id,
        &CampaignEdit {
            peak_windows: Some(Vec::new()),
            ..new_end(d(2026, 4, 15), d(2026, 4, 20))
        },
    )
    .unwrap_err();
    assert_eq!(refused.code(), "targets_outside_campaign");
    assert!(
        refused.message_vi().contains("Đội A"),
        "{}",
        refused.message_vi()
    );
    assert_eq!(db.tx(|sql| refdata::current_seq(sql)).unwrap(), before_seq);
    assert_eq!(
        db.tx(|sql| load_campaign(sql, c.id)).unwrap().ends_on,
        d(2026, 7, 31)
    );
    // Nothing asked to change: nothing written, the phones are not sent anything.
    let same = edit(&db, c.id, &CampaignEdit::default()).unwrap();
    assert!(same.changed.is_empty());
    assert_eq!(db.tx(|sql| refdata::current_seq(sql)).unwrap(), before_seq);
}
