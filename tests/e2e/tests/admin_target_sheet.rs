//! The bulk target sheet in the browser, on both backends: the downloaded XLSX holds the teams of
//! the account's subtree and their whole-campaign targets; a copy modified here (read with
//! calamine, written again with rust_xlsxwriter, as a spreadsheet program would save it) is
//! previewed with exactly its changes and stored on confirmation, once; a sheet with a bad cell,
//! a team outside the account's unit or another campaign's id is refused cell by cell with
//! nothing stored.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use gocua_e2e::dashboard::{admin_coordinator_and_viewer, refused_with, Page, Web};
use gocua_e2e::seed::*;
use gocua_e2e::uploads::{
    assert_only_owner_confirms, count_where, post_file, preview_path, problems,
};
use gocua_e2e::*;
use gocua_protocol::*;
use gocua_server::db::Sql;
use gocua_server::domain::coordination::{self, NewCampaign};
use uuid::Uuid;

on_both_backends!(sheet_round_trip_and_scope);

/// The sheet's layout: indicator columns C..J in the overview's order, the team id in K.
const SESSIONS: u16 = 2;
const PEOPLE: u16 = 3;
const HOUSEHOLDS: u16 = 4;
const SERVICES: u16 = 5;
const TEAM_ID: u16 = 10;
const FIRST_TEAM_ROW: u32 = 3;

fn grid(bytes: &[u8]) -> calamine::Range<Data> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    book.worksheet_range_at(0).unwrap().unwrap()
}

/// The row of each team id in the sheet.
fn team_rows(g: &calamine::Range<Data>) -> HashMap<String, u32> {
    let end = g.end().unwrap().0;
    (FIRST_TEAM_ROW..=end)
        .filter_map(|r| match g.get_value((r, u32::from(TEAM_ID))) {
            Some(Data::String(s)) => Some((s.clone(), r)),
            _ => None,
        })
        .collect()
}

/// A copy of the sheet with some cells replaced (`None`: emptied), written as a new workbook.
fn modified(bytes: &[u8], edits: &[(u32, u16, Option<Data>)]) -> Vec<u8> {
    let g = grid(bytes);
    let mut cells: HashMap<(u32, u16), Data> = HashMap::new();
    for (r, row) in g.rows().enumerate() {
        for (c, v) in row.iter().enumerate() {
            cells.insert(
                (
                    g.start().unwrap().0 + r as u32,
                    g.start().unwrap().1 as u16 + c as u16,
                ),
                v.clone(),
            );
        }
    }
    for (r, c, v) in edits {
        match v {
            Some(v) => cells.insert((*r, *c), v.clone()),
            None => cells.remove(&(*r, *c)),
        };
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for ((r, c), v) in cells {
        match v {
            Data::String(s) => {
                ws.write_string(r, c, s).unwrap();
            }
            Data::Float(f) => {
                ws.write_number(r, c, f).unwrap();
            }
            Data::Int(i) => {
                ws.write_number(r, c, i as f64).unwrap();
            }
            _ => {}
        }
    }
    book.save_to_buffer().unwrap()
}

fn targets(env: &Env, campaign: &Campaign) -> HashMap<(Uuid, String), u64> {
    env.db
        .tx(|sql: &mut dyn Sql| coordination::whole_campaign_targets(sql, campaign))
        .unwrap()
}

fn upload(web: &Web, csrf: &str, campaign: Uuid, bytes: Vec<u8>) -> Page {
    post_file(
        web,
        "/admin/targets/upload",
        &[("csrf", csrf), ("campaign", &campaign.to_string())],
        "chi-tieu.xlsx",
        bytes,
    )
}

fn sheet_round_trip_and_scope(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, _unit_b) = split_units(&env.db, &env.seed);
    admin_coordinator_and_viewer(&env.db, env.seed.org_unit.id, unit_a.id);
    let url = &env.server.url;
    let campaign = env.seed.campaign.clone();
    let (team_a, team_b) = (env.seed.team_a.id, env.seed.team_b.id);
    let (tinh, csrf) = Web::login_with_csrf(url, "tinh");

    let page = tinh.get("/admin/targets");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("/admin/targets/sheet.xlsx?campaign="));

    // The download: campaign named and its id in C2, one row per team with today's targets.
    let (status, sheet) = tinh.get_bytes(&format!(
        "/admin/targets/sheet.xlsx?campaign={}",
        campaign.id
    ));
    assert_eq!(status, 200);
    let g = grid(&sheet);
    match g.get_value((0, 0)) {
        Some(Data::String(t)) => assert!(t.contains(&campaign.name), "{t}"),
        other => panic!("title: {other:?}"),
    }
    assert_eq!(
        g.get_value((1, 2)),
        Some(&Data::String(campaign.id.to_string()))
    );
    let rows = team_rows(&g);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (ra, rb) = (rows[&team_a.to_string()], rows[&team_b.to_string()]);
    let num = |r: u32, c: u16| g.get_value((r, u32::from(c))).cloned();
    assert_eq!(num(ra, HOUSEHOLDS), Some(Data::Float(200.0)));
    assert_eq!(num(ra, SESSIONS), Some(Data::Float(8.0)));
    assert_eq!(num(rb, HOUSEHOLDS), Some(Data::Float(150.0)));
    assert!(matches!(num(rb, PEOPLE), None | Some(Data::Empty)));

    // The commune coordinator's sheet has its own team only.
    let xa = Web::login(url, "xa_a");
    let (_, own) = xa.get_bytes(&format!(
        "/admin/targets/sheet.xlsx?campaign={}",
        campaign.id
    ));
    assert_eq!(
        team_rows(&grid(&own)).keys().collect::<Vec<_>>(),
        vec![&team_a.to_string()]
    );
    let xem = Web::login(url, "xem");
    refused_with(&xem.get("/admin/targets"), 403, "forbidden", "viewer");
    refused_with(
        &xem.get(&format!(
            "/admin/targets/sheet.xlsx?campaign={}",
            campaign.id
        )),
        403,
        "forbidden",
        "viewer download",
    );

    let before = targets(&env, &campaign);
    let staged0 = count_where(&env.db, "SELECT count(*) FROM staged_uploads");

    // Bad cells: a negative number, a fraction, text, above the maximum; the commune coordinator
    // uploads the province's sheet (team B is not in its unit). Every cell listed, nothing stored.
    let bad = modified(
        &sheet,
        &[
            (ra, SESSIONS, Some(Data::Float(-3.0))),
            (ra, PEOPLE, Some(Data::Float(2.5))),
            (ra, SERVICES, Some(Data::String("một trăm".into()))),
            (rb, PEOPLE, Some(Data::Float(10_000_001.0))),
        ],
    );
    let p = upload(&xa, &xa.csrf(), campaign.id, bad);
    refused_with(&p, 422, "invalid_file", "bad cells");
    let cells: Vec<String> = problems(&p).into_iter().map(|(place, _)| place).collect();
    let at = |row: u32, col: u16| format!("{}{}", (b'A' + col as u8) as char, row + 1);
    for want in [
        at(ra, SESSIONS),
        at(ra, PEOPLE),
        at(ra, SERVICES),
        at(rb, PEOPLE),
        at(rb, TEAM_ID),
    ] {
        assert!(cells.contains(&want), "{want} missing from {cells:?}");
    }
    p.assert_shows("không thuộc đơn vị của bạn");

    // A duplicated team row, an unknown team id, another campaign's sheet.
    let other = env
        .db
        .tx(|sql: &mut dyn Sql| {
            coordination::create_campaign(
                sql,
                &NewCampaign {
                    id: None,
                    name: "Kế hoạch khác".into(),
                    legal_reference: String::new(),
                    starts_on: campaign.starts_on,
                    ends_on: campaign.ends_on,
                    report_deadline: campaign.ends_on,
                    peak_windows: vec![],
                },
            )
        })
        .unwrap();
    let extra = rows.values().max().unwrap() + 1;
    let bad = modified(
        &sheet,
        &[
            (rb, TEAM_ID, Some(Data::String(team_a.to_string()))),
            (
                extra,
                TEAM_ID,
                Some(Data::String(Uuid::now_v7().to_string())),
            ),
            (extra, SESSIONS, Some(Data::Float(1.0))),
        ],
    );
    let p = upload(&tinh, &csrf, other.id, bad);
    refused_with(
        &p,
        422,
        "invalid_file",
        "duplicate, unknown, wrong campaign",
    );
    let cells: Vec<String> = problems(&p).into_iter().map(|(place, _)| place).collect();
    for want in ["C2".to_owned(), at(rb, TEAM_ID), at(extra, TEAM_ID)] {
        assert!(cells.contains(&want), "{want} missing from {cells:?}");
    }
    // Not a workbook; a forged form; a campaign that does not exist.
    let p = upload(&tinh, &csrf, campaign.id, b"code,name\n".to_vec());
    refused_with(&p, 422, "invalid_file", "not xlsx");
    refused_with(
        &upload(&tinh, "forged", campaign.id, sheet.clone()),
        403,
        "csrf_mismatch",
        "csrf",
    );
    assert_eq!(targets(&env, &campaign), before, "nothing stored");
    assert_eq!(
        count_where(&env.db, "SELECT count(*) FROM staged_uploads"),
        staged0
    );

    // The good sheet: sessions of team A 8 → 12, its services emptied (removed), team B's people
    // reached set to 500. The preview lists exactly those three.
    let good = modified(
        &sheet,
        &[
            (ra, SESSIONS, Some(Data::Float(12.0))),
            (ra, SERVICES, None),
            (rb, PEOPLE, Some(Data::Float(500.0))),
        ],
    );
    let preview = preview_path(&upload(&tinh, &csrf, campaign.id, good));
    let p = tinh.get(&preview);
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(p.body.matches("<tr data-team=").count(), 3, "{}", p.body);
    for (team, indicator) in [
        (team_a, "sessions"),
        (team_a, "services_supported"),
        (team_b, "people_reached"),
    ] {
        assert!(
            p.body.contains(&format!(
                "data-team=\"{team}\" data-indicator=\"{indicator}\""
            )),
            "{team} {indicator}: {}",
            p.body
        );
    }
    assert!(
        p.body.contains("không giao"),
        "an emptied cell says it removes the target"
    );
    assert_eq!(targets(&env, &campaign), before, "a preview stores nothing");

    // Another account may not confirm it.
    let confirm = assert_only_owner_confirms(&preview, &tinh, &xa);

    let p = tinh.post(&confirm, &[("csrf", &csrf)]);
    assert_eq!(p.status, 303, "{}", p.body);
    let after = targets(&env, &campaign);
    assert_eq!(after.get(&(team_a, "sessions".into())), Some(&12));
    assert_eq!(after.get(&(team_a, "services_supported".into())), None);
    assert_eq!(after.get(&(team_b, "people_reached".into())), Some(&500));
    assert_eq!(
        after.get(&(team_a, "households_visited".into())),
        Some(&200)
    );
    assert_eq!(after.len(), before.len(), "one removed, one added");
    let audits = |action: &str| {
        count_where(
            &env.db,
            &format!("SELECT count(*) FROM audit_log WHERE action = '{action}'"),
        )
    };
    assert_eq!(
        (
            audits("target_set"),
            audits("target_cleared"),
            audits("target_sheet")
        ),
        (2, 1, 1)
    );
    // The phones of team A get the new target.
    let pulled = inspect::team_snapshot(&env.db, team_a);
    assert!(pulled
        .targets
        .iter()
        .any(|t| t.indicator == Indicator::Sessions && t.value == 12));
    assert!(!pulled
        .targets
        .iter()
        .any(|t| t.indicator == Indicator::ServicesSupported));

    // Once only.
    refused_with(
        &tinh.post(&confirm, &[("csrf", &csrf)]),
        409,
        "upload_already_confirmed",
        "second confirm",
    );
    assert_eq!(targets(&env, &campaign), after);
}
