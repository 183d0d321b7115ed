//! The audit log of coordinator actions within the user's unit subtree.

use axum::extract::Query;
use maud::html;
use serde::Deserialize;

use super::{download, html, Format};
use crate::domain::audit::AuditEvent;
use crate::domain::tagged::Tagged;
use crate::web::error::PageResult;
use crate::web::export::{Cell, Column, ColumnKind, Table};
use crate::web::extract::Ctx;
use crate::web::i18n;
use crate::web::layout::{self, Nav};
use crate::web::notes::{action_label, audit_detail};
use crate::web::scope::OrgTree;
use crate::web::state::db_run;

/// The audit table's columns.
const COLUMNS: [(&str, &str); 5] = [
    ("Thời gian", "When"),
    ("Tài khoản", "Account"),
    ("Thao tác", "Action"),
    ("Đối tượng", "Subject"),
    ("Chi tiết", "Detail"),
];

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    format: Option<String>,
}

pub async fn list(Ctx { state, user }: Ctx, Query(q): Query<AuditQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let u = user.clone();
    let rows = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        let scope = u.account.org_unit_id;
        let mut out = Vec::new();
        for r in sql.query("SELECT at, username, org_unit_id, action, subject, detail, params FROM audit_log ORDER BY at DESC LIMIT 5000", &[])? {
            // Actions of accounts in the subtree; failed sign-ins (no account) only to the top unit's admins.
            let visible = match r.opt_uuid(2)? {
                Some(unit) => tree.unit_within(unit, scope),
                None => u.account.role == crate::domain::accounts::Role::Admin && tree.units.get(&scope).is_some_and(|x| x.parent_id.is_none()),
            };
            if visible && out.len() < 1000 {
                let detail = match AuditEvent::from_stored(&r.text(3), r.opt_text(6).as_deref()) {
                    Some(event) => audit_detail(u.lang, &event),
                    None => r.text(5),
                };
                out.push((r.opt_time(0).unwrap_or_default(), r.text(1), r.text(3), r.text(4), detail));
            }
        }
        Ok(out)
    })
    .await?;
    let mut t = Table::new(
        lang.pick("Nhật ký thao tác", "Audit log"),
        Column::bilingual(ColumnKind::Text, lang, &COLUMNS),
    );
    for (at, who, action, subject, detail) in &rows {
        t.push_row(vec![
            Cell::text(i18n::date_time(*at)),
            Cell::text(who.clone()),
            Cell::text(action_label(lang, action)),
            Cell::text(subject.clone()),
            Cell::text(detail.clone()),
        ]);
    }
    if format != Format::Html {
        return download(&t, format).map_err(|e| e.into_page(lang));
    }
    let body = html! {
        (layout::export_links(lang, "/audit", ""))
        (layout::table(lang, &t, &[]))
    };
    Ok(html(layout::page(&user, Nav::Audit, &t.title, body)))
}
