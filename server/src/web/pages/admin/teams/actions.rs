//! The changes made from a team's page: each form posts here, is checked (CSRF, role, every id in
//! the account's subtree), calls its domain function and writes its audit entry in one
//! transaction, then goes back to the team's page with a notice — or shows the page again with
//! the refusal (422) and nothing stored. Deactivation asks first, on a page of its own.

use std::sync::Arc;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use maud::html;
use uuid::Uuid;

use super::detail;
use super::{areas, with_access, Access, Fields};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{self as admin, AdminError};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::{Addressed, Ctx};
use crate::web::i18n;
use crate::web::layout;
use crate::web::pages::admin::admin_page;
use crate::web::pages::admin::form::form_error;
use crate::web::session::User;
use crate::web::state::WebState;

/// What a form names: a team, or a member (whose team's page it was on).
#[derive(Clone, Copy)]
enum Subject {
    Team(Uuid),
    Member(Uuid),
}

/// The team whose page the subject is on, when it lies in the account's subtree; a member that
/// does not exist gets the same answer as one out of scope.
fn page_team(sql: &mut dyn Sql, access: &Access, subject: Subject) -> Result<Uuid, WebError> {
    let team = match subject {
        Subject::Team(id) => id,
        Subject::Member(id) => match admin::load_member(sql, id) {
            Ok(m) => m.team_id,
            Err(AdminError::NotFound { .. }) => return Err(WebError::NotInScope),
            Err(e) => return Err(e.into()),
        },
    };
    access.tree.team_in_scope(team, access.unit)?;
    Ok(team)
}

/// A change's outcome: the audit entry (its subject and event) and the `?done=` notice.
struct Done {
    subject: String,
    event: AuditEvent,
    notice: &'static str,
}

impl Done {
    fn new(subject: String, event: AuditEvent, notice: &'static str) -> Result<Done, WebError> {
        Ok(Done {
            subject,
            event,
            notice,
        })
    }
}

/// A form posted from a team's page, to `/admin/teams/{id}/…` or `/admin/members/{id}/…`.
type Posted = Addressed<Form<Fields>>;

impl Posted {
    /// Runs one change posted from a team's page (see the module's notes): `act` gets the
    /// transaction, the access and the page's team, and its audit entry is written after it.
    async fn change(
        self,
        subject: fn(Uuid) -> Subject,
        act: impl FnOnce(&mut dyn Sql, &Access, Uuid) -> Result<Done, WebError> + Send + 'static,
    ) -> PageResult {
        let (state, user, id, Form(fields)) = self.into_parts();
        let subject = subject(id);
        let lang = user.lang;
        user.check_csrf(fields.get("csrf"))
            .map_err(|e| e.into_page(lang))?;
        let u = user.clone();
        let done = with_access(&state, &user, move |sql, access| {
            let team = page_team(sql, access, subject)?;
            let done = act(sql, access, team)?;
            audit::record_by(sql, &u.account, &done.subject, &done.event)?;
            Ok((team, done.notice))
        })
        .await;
        match done {
            Ok((team, notice)) => {
                Ok(Redirect::to(&format!("/admin/teams/{team}?done={notice}")).into_response())
            }
            Err(e) => {
                let Some(refusal) = form_error(&e) else {
                    return Err(e.into_page(lang));
                };
                let view = with_access(&state, &user, move |sql, access| {
                    let team = page_team(sql, access, subject)?;
                    detail::load(sql, access, team)
                })
                .await
                .map_err(|e| e.into_page(lang))?;
                Ok(detail::respond(&user, &view, None, Some(refusal)))
            }
        }
    }
}

fn team_name(sql: &mut dyn Sql, id: Uuid) -> Result<String, WebError> {
    Ok(admin::load_team(sql, id)?.name)
}

pub async fn rename_team(p: Posted) -> PageResult {
    let name = p.input.get("name").to_owned();
    p.change(Subject::Team, move |sql, _, team| {
        let from = team_name(sql, team)?;
        let t = admin::rename_team(sql, team, &name)?;
        Done::new(t.name, AuditEvent::TeamRenamed { from }, "renamed")
    })
    .await
}

pub async fn set_areas(p: Posted) -> PageResult {
    let codes = areas::posted(&p.input);
    p.change(Subject::Team, move |sql, _, team| {
        let t = admin::set_team_areas(sql, team, &codes)?;
        let event = AuditEvent::TeamAreasSet {
            areas: t.area_codes.clone(),
        };
        Done::new(t.name, event, "areas")
    })
    .await
}

pub async fn add_member(p: Posted) -> PageResult {
    let name = p.input.get("name").to_owned();
    let leader = !p.input.get("leader").is_empty();
    p.change(Subject::Team, move |sql, _, team| {
        let m = admin::add_member(sql, team, None, &name, leader)?;
        let event = AuditEvent::MemberAdded {
            member: m.name,
            leader,
        };
        Done::new(team_name(sql, team)?, event, "member_added")
    })
    .await
}

pub async fn rename_member(p: Posted) -> PageResult {
    let (id, name) = (p.id, p.input.get("name").to_owned());
    p.change(Subject::Member, move |sql, _, team| {
        let from = admin::load_member(sql, id)?.name;
        let m = admin::rename_member(sql, id, &name)?;
        let event = AuditEvent::MemberRenamed { from, to: m.name };
        Done::new(team_name(sql, team)?, event, "member_renamed")
    })
    .await
}

pub async fn set_leader(p: Posted) -> PageResult {
    let id = p.id;
    p.change(Subject::Member, move |sql, _, team| {
        let m = admin::set_leader(sql, id)?;
        let event = AuditEvent::LeaderSet { member: m.name };
        Done::new(team_name(sql, team)?, event, "leader")
    })
    .await
}

pub async fn move_member(p: Posted) -> PageResult {
    let (id, to) = (p.id, p.input.get("team").trim().to_owned());
    p.change(Subject::Member, move |sql, access, _| {
        if to.is_empty() {
            return Err(AdminError::refused(
                "team_required",
                "Hãy chọn đội mà đội viên chuyển đến.",
                "Choose the team the member moves to.",
            )
            .into());
        }
        // The team moved to must lie in the subtree too (same answer as an unknown id).
        let to = Uuid::parse_str(&to).map_err(|_| WebError::NotInScope)?;
        access.tree.team_in_scope(to, access.unit)?;
        let moved = admin::move_member(sql, id, to, Utc::now())?;
        let event = AuditEvent::MemberMoved {
            member: moved.member.name,
            to: moved.to.name,
        };
        Done::new(moved.from.name, event, "moved")
    })
    .await
}

pub async fn deactivate_member(p: Posted) -> PageResult {
    let id = p.id;
    p.change(Subject::Member, move |sql, _, _| {
        let done = admin::deactivate_member(sql, id, Utc::now())?;
        let event = AuditEvent::MemberDeactivated {
            member: done.name,
            devices: done.devices_revoked,
        };
        Done::new(done.team_name, event, "member_deactivated")
    })
    .await
}

pub async fn deactivate_team(p: Posted) -> PageResult {
    p.change(Subject::Team, move |sql, _, team| {
        let done = admin::deactivate_team(sql, team, Utc::now())?;
        let event = AuditEvent::TeamDeactivated {
            devices: done.devices_revoked,
        };
        Done::new(done.name, event, "deactivated")
    })
    .await
}

pub async fn reactivate_team(p: Posted) -> PageResult {
    p.change(Subject::Team, move |sql, _, team| {
        let t = admin::reactivate_team(sql, team)?;
        Done::new(t.name, AuditEvent::TeamReactivated {}, "reactivated")
    })
    .await
}

/// What a deactivation would do, for its confirmation page.
struct Confirm {
    team: Uuid,
    /// The member's or the team's name.
    name: String,
    phones: usize,
    action: String,
}

fn confirm_page(user: &User, c: &Confirm, member: bool) -> Response {
    let lang = user.lang;
    let phones = i18n::number(lang, c.phones as u64);
    let (title, question, effect) = if member {
        (
            lang.pick("Ngừng hoạt động đội viên", "Deactivate a member"),
            lang.pick_owned(format!("Ngừng hoạt động đội viên {}?", c.name), format!("Deactivate the member {}?", c.name)),
            lang.pick_owned(
                format!("{phones} điện thoại của đội viên sẽ bị thu hồi và ngừng đồng bộ ngay: dữ liệu chưa gửi trên máy sẽ không gửi được nữa. Các lượt đến hộ đã gửi vẫn giữ trong báo cáo. Đội viên không còn trong danh sách đội trên điện thoại."),
                format!("{phones} phone(s) of this member will be revoked and stop syncing at once: records not yet sent from them can no longer be sent. Visits already sent stay in the reports. The member leaves the team's list on the phones."),
            ),
        )
    } else {
        (
            lang.pick("Ngừng hoạt động đội", "Deactivate a team"),
            lang.pick_owned(format!("Ngừng hoạt động đội {}?", c.name), format!("Deactivate the team {}?", c.name)),
            lang.pick_owned(
                format!("{phones} điện thoại của đội sẽ bị thu hồi và ngừng đồng bộ ngay; mã đăng ký chưa dùng hết hiệu lực. Đội không còn trong danh sách và không được giao chỉ tiêu mới; dữ liệu và kết quả đã có vẫn giữ trong báo cáo. Có thể cho đội hoạt động lại sau."),
                format!("{phones} phone(s) of the team will be revoked and stop syncing at once; unused enrolment codes stop working. The team leaves the lists and gets no new targets; its records and past figures stay in the reports. It can be reactivated later."),
            ),
        )
    };
    let body = html! {
        div.card.confirm {
            p { strong { (question) } }
            p data-testid="effect" { (effect) }
            form.row method="post" action=(c.action) {
                (layout::csrf_field(user))
                button.danger type="submit" { (lang.pick("Ngừng hoạt động", "Deactivate")) }
                a href={ "/admin/teams/" (c.team) } { (lang.pick("Huỷ", "Cancel")) }
            }
        }
    };
    admin_page(user, title, body)
}

/// Phones in use by a team's members (or by one of them).
fn phones_in_use(sql: &mut dyn Sql, team: Uuid, member: Option<Uuid>) -> Result<usize, WebError> {
    Ok(admin::member_phones(sql, team)?
        .iter()
        .filter(|p| p.revoked_at.is_none() && member.is_none_or(|m| p.member_id == m))
        .count())
}

/// The confirmation page of a member's or a team's deactivation.
async fn confirm(state: Arc<WebState>, user: User, subject: Subject) -> PageResult {
    let lang = user.lang;
    let c = with_access(&state, &user, move |sql, access| {
        let team = page_team(sql, access, subject)?;
        let (name, member, action) = match subject {
            Subject::Member(id) => (
                admin::load_member(sql, id)?.name,
                Some(id),
                format!("/admin/members/{id}/deactivate"),
            ),
            Subject::Team(id) => (
                team_name(sql, team)?,
                None,
                format!("/admin/teams/{id}/deactivate"),
            ),
        };
        Ok(Confirm {
            team,
            name,
            phones: phones_in_use(sql, team, member)?,
            action,
        })
    })
    .await
    .map_err(|e| e.into_page(lang))?;
    Ok(confirm_page(
        &user,
        &c,
        matches!(subject, Subject::Member(_)),
    ))
}

pub async fn confirm_member(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    confirm(state, user, Subject::Member(id)).await
}

pub async fn confirm_team(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    confirm(state, user, Subject::Team(id)).await
}
