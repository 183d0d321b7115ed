//! What the administration pages' tests share: reading a refusal's code and a password shown
//! once, finding accounts and adding units in the database, running `gocua admin`.

use std::process::Command;

use gocua_protocol::{OrgUnit, OrgUnitKind};
use gocua_server::db::{Db, Sql};
use gocua_server::domain::refdata;
use uuid::Uuid;

use crate::dashboard::Page;
use crate::server::gocua_binary;

/// Asserts an answer's status and the machine code it shows (`data-code`).
#[track_caller]
pub fn assert_refused(p: &Page, status: u16, code: &str) {
    assert_eq!(p.status, status, "expected {code}: {}", p.body);
    assert_eq!(p.refusal_code(), Some(code), "{}", p.body);
}

/// The password a page shows once (`<p class="code password" data-password>…</p>`).
pub fn shown_password(p: &Page) -> String {
    let at = p
        .body
        .find("data-password>")
        .unwrap_or_else(|| panic!("no password shown: {}", p.body))
        + "data-password>".len();
    let rest = &p.body[at..];
    rest[..rest.find('<').expect("end of the password")].to_owned()
}

/// The id of the account `username`.
pub fn account_id(db: &Db, username: &str) -> Uuid {
    db.tx(|sql: &mut dyn Sql| {
        sql.query_one(
            "SELECT id FROM coordinators WHERE username = ?",
            &[username.into()],
        )?
        .map(|r| r.uuid(0))
        .transpose()
    })
    .expect("read account")
    .unwrap_or_else(|| panic!("no account {username}"))
}

/// A unit of `kind` under `parent`.
pub fn unit_under(db: &Db, name: &str, kind: OrgUnitKind, parent: Uuid) -> OrgUnit {
    let unit = OrgUnit {
        id: Uuid::now_v7(),
        name: name.into(),
        kind,
        parent_id: Some(parent),
        area_code: None,
    };
    db.tx(|sql: &mut dyn Sql| refdata::upsert_org_unit(sql, &unit))
        .expect("unit");
    unit
}

/// Runs `gocua admin <args> --db <target>`: (success, stdout, stderr).
pub fn gocua_admin(target: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(gocua_binary())
        .arg("admin")
        .args(args)
        .args(["--db", target])
        .output()
        .expect("run gocua admin");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The overview's CSV export (`/?<query>&format=csv`) as rows of cells; the header first.
pub fn overview_csv(web: &crate::dashboard::Web, query: &str) -> Vec<Vec<String>> {
    let p = web.get(&format!("/?{query}&format=csv"));
    assert_eq!(p.status, 200, "{}", p.body);
    csv_rows(p.body.trim_start_matches('\u{feff}'))
}

/// A tiny CSV reader for the exports (quoted fields, doubled quotes).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
