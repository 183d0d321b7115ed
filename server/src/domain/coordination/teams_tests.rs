//! The rules of `teams.rs` on a real (SQLite) database: areas within the unit's area, one leader,
//! a moved member's phone following at its pull, deactivation revoking phones and expiring codes.

use chrono::{Duration, TimeZone, Utc};
use gocua_protocol::*;
use uuid::Uuid;

use super::*;
use crate::db::{Db, Sql};
use crate::domain::refdata;
use crate::params;

fn area(code: &str, level: AreaLevel, parent: Option<&str>) -> Area {
    Area {
        name: format!("Địa bàn {code}"),
        division_type: "xã".into(),
        ..Area::bare(code, level, parent)
    }
}

struct Org {
    _dir: tempfile::TempDir,
    db: Db,
    commune_unit: Uuid,
    team: Uuid,
    other_team: Uuid,
}

/// Province 86 with communes 1 and 2 (hamlet 1-A under 1); a commune union of 1 with a team, and
/// a team of the province working in commune 2.
fn org() -> Org {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::domain::open::open_database(dir.path().join("t.db").to_str().unwrap()).unwrap();
    let (commune_unit, team, other_team) = db
        .tx(|sql: &mut dyn Sql| {
            refdata::upsert_areas(
                sql,
                &[
                    area("86", AreaLevel::Province, None),
                    area("1", AreaLevel::Commune, Some("86")),
                    area("2", AreaLevel::Commune, Some("86")),
                    area("1-A", AreaLevel::Hamlet, Some("1")),
                ],
            )?;
            let unit = |name: &str, parent, area: &str| NewUnit {
                id: None,
                name: name.into(),
                kind: OrgUnitKind::Other,
                parent_id: parent,
                area_code: Some(area.into()),
            };
            let province = create_unit(sql, &unit("Tỉnh", None, "86"))?;
            let commune = create_unit(sql, &unit("Xã 1", Some(province.id), "1"))?;
            let team = |name: &str, unit, areas: &[&str]| NewTeam {
                id: None,
                name: name.into(),
                org_unit_id: unit,
                area_codes: areas.iter().map(|a| a.to_string()).collect(),
            };
            let t = create_team(sql, &team("Đội 1", commune.id, &["1"]))?;
            let o = create_team(sql, &team("Đội 2", province.id, &["2"]))?;
            Ok::<_, AdminError>((commune.id, t.id, o.id))
        })
        .unwrap();
    Org {
        _dir: dir,
        db,
        commune_unit,
        team,
        other_team,
    }
}

/// Runs `test` in one transaction on a new [`org`].
fn in_org(test: impl FnOnce(&mut dyn Sql, &Org) -> AdminResult<()>) {
    let o = org();
    o.db.tx(|sql| test(sql, &o)).unwrap();
}

fn code_of<T: std::fmt::Debug>(r: AdminResult<T>) -> &'static str {
    r.expect_err("refused").code()
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()
}

/// A phone enrolled for `member` in `team`.
/// Adds one member of `team` per name, all leaders or none (each new leader replaces the last).
fn add_members<const N: usize>(
    sql: &mut dyn Sql,
    team: Uuid,
    names: [&str; N],
    leader: bool,
) -> AdminResult<[TeamMember; N]> {
    let mut added = Vec::with_capacity(N);
    for name in names {
        added.push(add_member(sql, team, None, name, leader)?);
    }
    Ok(added
        .try_into()
        .unwrap_or_else(|_: Vec<TeamMember>| unreachable!("one member per name")))
}

fn device(sql: &mut dyn Sql, team: Uuid, member: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    sql.exec(
        "INSERT INTO devices(id, token_hash, team_id, member_id, label, app_version, enrolled_at) VALUES (?, ?, ?, ?, 'Máy', '1', ?)",
        params![id, id.to_string(), team, member, now()],
    )
    .unwrap();
    id
}

#[test]
fn a_team_works_within_its_units_area() {
    in_org(|sql, o| {
        let new = |areas: &[&str]| NewTeam {
            id: None,
            name: "Đội mới".into(),
            org_unit_id: o.commune_unit,
            area_codes: areas.iter().map(|a| a.to_string()).collect(),
        };
        assert_eq!(
            create_team(sql, &new(&[" 1-A ", "1-A"]))?.area_codes,
            ["1-A"]
        );
        assert_eq!(
            code_of(create_team(sql, &new(&["1", "2"]))),
            "area_outside_unit"
        );
        assert_eq!(code_of(create_team(sql, &new(&["9"]))), "area_unknown");
        assert_eq!(code_of(create_team(sql, &new(&[" "]))), "areas_required");
        assert_eq!(
            code_of(set_team_areas(sql, o.team, &["2".into()])),
            "area_outside_unit"
        );
        // The province's team may work anywhere under the province.
        assert_eq!(
            set_team_areas(sql, o.other_team, &["1-A".into(), "2".into()])?.area_codes,
            ["1-A", "2"]
        );
        Ok(())
    });
}

#[test]
fn a_team_has_one_leader() {
    in_org(|sql, o| {
        let [a, b] = add_members(sql, o.team, ["Lê Thị Hoa", "Trần Minh Khoa"], true)?;
        let leaders = |sql: &mut dyn Sql, team| -> AdminResult<Vec<Uuid>> {
            Ok(load_team(sql, team)?
                .members
                .into_iter()
                .filter(|m| m.role == MemberRole::Leader)
                .map(|m| m.id)
                .collect())
        };
        assert_eq!(leaders(sql, o.team)?, [b.id]);
        set_leader(sql, a.id)?;
        assert_eq!(leaders(sql, o.team)?, [a.id]);
        // A leader who moves joins the other team as a member.
        let moved = move_member(sql, a.id, o.other_team, now())?;
        assert_eq!(moved.member.role, MemberRole::Member);
        assert!(leaders(sql, o.team)?.is_empty());
        assert_eq!(
            code_of(move_member(sql, a.id, o.other_team, now())),
            "member_same_team"
        );
        Ok(())
    });
}

#[test]
fn a_moved_members_phone_follows_at_its_pull_and_old_codes_stop() {
    in_org(|sql, o| {
        let m = add_member(sql, o.team, None, "Lê Thị Hoa", false)?;
        let phone = device(sql, o.team, m.id);
        let code = refdata::issue_enrol_code(sql, o.team, m.id, now(), Duration::hours(72))?;
        let seq = refdata::current_seq(sql)?;
        move_member(sql, m.id, o.other_team, now())?;
        assert!(refdata::current_seq(sql)? > seq, "phones must pull again");
        // Until its pull the phone still sends as the old team.
        let team_of = |sql: &mut dyn Sql| -> AdminResult<Uuid> {
            Ok(sql
                .query_one("SELECT team_id FROM devices WHERE id = ?", params![phone])?
                .unwrap()
                .uuid(0)?)
        };
        assert_eq!(team_of(sql)?, o.team);
        assert_eq!(
            refdata::follow_member(sql, phone, o.team)?,
            (o.other_team, true)
        );
        assert_eq!(team_of(sql)?, o.other_team);
        assert_eq!(
            refdata::follow_member(sql, phone, o.other_team)?,
            (o.other_team, false)
        );
        let snapshot = refdata::team_snapshot(sql, o.other_team)?;
        assert!(snapshot.teams[0].members.iter().any(|x| x.id == m.id));
        let expired = sql
            .query_one(
                "SELECT expires_at FROM enrol_codes WHERE code_hash = ?",
                params![crate::domain::auth::code_hash(&code)],
            )?
            .unwrap()
            .int(0);
        assert!(expired < now().timestamp_millis());
        Ok(())
    });
}

#[test]
fn deactivation_revokes_phones_and_keeps_moved_ones() {
    in_org(|sql, o| {
        let names = ["Lê Thị Hoa", "Trần Minh Khoa", "Phạm Thu Trang"];
        let [stays, leaves, moves] = add_members(sql, o.team, names, false)?;
        let [p1, p2, p3] = [&stays, &leaves, &moves].map(|m| device(sql, o.team, m.id));
        let revoked = |sql: &mut dyn Sql, d: Uuid| -> AdminResult<bool> {
            Ok(sql
                .query_one("SELECT revoked_at FROM devices WHERE id = ?", params![d])?
                .unwrap()
                .opt_int(0)
                .is_some())
        };
        let done = deactivate_member(sql, leaves.id, now())?;
        assert_eq!(done.devices_revoked, 1);
        assert!(revoked(sql, p2)?);
        assert!(!load_team(sql, o.team)?
            .members
            .iter()
            .any(|m| m.id == leaves.id));
        assert_eq!(
            code_of(rename_member(sql, leaves.id, "X")),
            "member_deactivated"
        );

        move_member(sql, moves.id, o.other_team, now())?;
        let done = deactivate_team(sql, o.team, now())?;
        assert_eq!(done.devices_revoked, 1);
        assert!(
            revoked(sql, p1)? && !revoked(sql, p3)?,
            "the moved member's phone follows them"
        );
        assert!(refdata::team_snapshot(sql, o.team)?.teams.is_empty());
        assert_eq!(code_of(rename_team(sql, o.team, "X")), "team_deactivated");
        assert_eq!(
            code_of(add_member(sql, o.team, None, "X", false)),
            "team_deactivated"
        );
        assert_eq!(
            code_of(issue_enrol_code(sql, o.team, stays.id, 72, now())),
            "team_deactivated"
        );
        assert_eq!(
            code_of(move_member(sql, moves.id, o.team, now())),
            "team_deactivated"
        );
        assert_eq!(
            code_of(deactivate_team(sql, o.team, now())),
            "team_deactivated"
        );
        reactivate_team(sql, o.team)?;
        assert_eq!(code_of(reactivate_team(sql, o.team)), "team_active");
        assert!(issue_enrol_code(sql, o.team, stays.id, 72, now()).is_ok());
        Ok(())
    });
}
