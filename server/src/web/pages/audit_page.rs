//! The audit log of coordinator actions within the user's unit subtree.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::{download, html, Format};
use crate::domain::audit::AuditEvent;
use crate::domain::tagged::Tagged;
use crate::web::export::{Cell, Column, Table};
use crate::web::i18n;
use crate::web::layout::{self, Nav};
use crate::web::notes::{action_label, audit_detail};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;
use crate::web::state::WebState;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    format: Option<String>,
}

pub async fn list(
    State(state): State<Arc<WebState>>,
    user: User,
    Query(q): Query<AuditQuery>,
) -> Result<Response, Response> {
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
        vec![
            Column::text(lang.pick("Thời gian", "When")),
            Column::text(lang.pick("Tài khoản", "Account")),
            Column::text(lang.pick("Thao tác", "Action")),
            Column::text(lang.pick("Đối tượng", "Subject")),
            Column::text(lang.pick("Chi tiết", "Detail")),
        ],
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
    Ok(html(layout::page(
        &user,
        Nav::Audit,
        lang.pick("Nhật ký thao tác", "Audit log"),
        body,
    )))
}
