//! The targets editor: a team's target per indicator for the whole of a campaign.

use std::collections::HashMap;

use axum::extract::Query;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::html;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{self as admin, NewTarget};
use crate::web::data::{self, OVERVIEW_INDICATORS};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::i18n;
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::state::db_run;

#[derive(Deserialize)]
pub struct CampaignQuery {
    campaign: Option<Uuid>,
}

pub async fn form(p: Addressed<Query<CampaignQuery>>) -> PageResult {
    let (state, user, team_id, Query(q)) = p.into_parts();
    let lang = user.lang;
    if !user.account.role.can_edit() {
        return Err(WebError::Forbidden.into_page(lang));
    }
    let u = user.clone();
    let (team, campaign, current) = db_run(&state, lang, move |sql| {
        OrgTree::load(sql)?.team_in_scope(team_id, u.account.org_unit_id)?;
        let team = admin::active_team(sql, team_id)?;
        let campaigns = data::campaigns(sql)?;
        let Some(campaign) =
            data::pick_campaign(&campaigns, q.campaign, crate::domain::calendar::today())
        else {
            return Err(WebError::bad_input(
                "Chưa có kế hoạch nào để giao chỉ tiêu.",
                "There is no campaign to set targets for.",
            ));
        };
        let current = data::team_targets(sql, campaign.id)?
            .remove(&team_id)
            .unwrap_or_default();
        Ok((team, campaign, current))
    })
    .await?;
    let body = html! {
        p.muted { (campaign.name) " · " (i18n::date(campaign.starts_on)) " – " (i18n::date(campaign.ends_on)) }
        form.stack.card method="post" action={ "/teams/" (team.id) "/targets" } {
            (layout::csrf_field(&user))
            input type="hidden" name="campaign" value=(campaign.id);
            @for i in &OVERVIEW_INDICATORS {
                label {
                    (data::indicator_label(lang, i))
                    input type="number" min="0" max=(admin::MAX_TARGET) step="1" name=(i.as_str())
                        value=[current.get(i.as_str())];
                }
            }
            p.muted { (lang.pick("Để trống chỉ tiêu không giao. Chỉ tiêu tính cho cả thời gian kế hoạch.", "Leave a box empty for no target. Targets cover the whole campaign.")) }
            button.primary type="submit" { (lang.pick("Lưu chỉ tiêu", "Save targets")) }
        }
    };
    let title = format!("{} – {}", lang.pick("Chỉ tiêu", "Targets"), team.name);
    Ok(html(layout::page(&user, Nav::Overview, &title, body)))
}

pub async fn save(p: Addressed<Form<HashMap<String, String>>>) -> PageResult {
    let (state, user, team_id, Form(fields)) = p.into_parts();
    let lang = user.lang;
    user.check_edit(fields.get("csrf").map_or("", String::as_str))?;
    let campaign_id = fields
        .get("campaign")
        .and_then(|c| Uuid::parse_str(c).ok())
        .ok_or_else(|| {
            WebError::bad_input("Thiếu kế hoạch.", "The campaign is missing.").into_page(lang)
        })?;
    let mut values = Vec::new();
    for i in &OVERVIEW_INDICATORS {
        let raw = fields.get(i.as_str()).map_or("", |s| s.trim());
        if raw.is_empty() {
            continue;
        }
        let value: u64 = raw
            .parse()
            .ok()
            .filter(|v| *v <= admin::MAX_TARGET)
            .ok_or_else(|| {
                WebError::bad_input(
                    format!(
                        "Chỉ tiêu \"{}\": \"{raw}\" không phải là số nguyên từ 0 đến 10.000.000.",
                        i.label_vi()
                    ),
                    format!(
                        "Target \"{}\": \"{raw}\" is not a whole number from 0 to 10,000,000.",
                        i.label_en()
                    ),
                )
                .into_page(lang)
            })?;
        values.push((i.clone(), value));
    }
    let u = user.clone();
    db_run(&state, lang, move |sql| {
        OrgTree::load(sql)?.team_in_scope(team_id, u.account.org_unit_id)?;
        let team = admin::load_team(sql, team_id)?;
        let current = data::team_targets(sql, campaign_id)?
            .remove(&team_id)
            .unwrap_or_default();
        // Only what changed is written (and logged): the form sends every indicator.
        for (indicator, value) in values {
            if current.get(indicator.as_str()) == Some(&value) {
                continue;
            }
            let t = admin::set_target(
                sql,
                &NewTarget {
                    campaign_id,
                    team_id,
                    indicator: indicator.clone(),
                    value,
                    starts_on: None,
                    ends_on: None,
                },
            )?;
            audit::record_by(
                sql,
                &u.account,
                &team.name,
                &AuditEvent::TargetSet {
                    indicator: t.indicator.clone(),
                    value: t.value,
                },
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/teams/{team_id}?campaign={campaign_id}")).into_response())
}
