//! Signing in and out, and the language switch.

use std::sync::Arc;

use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use super::html;
use crate::db::DbError;
use crate::domain::accounts::{
    is_known_browser, known_browser_proof, read_login, settle_login, verify_login, LoginRefusal,
    MAX_PASSWORD_BYTES, MAX_USERNAME_CHARS,
};
use crate::domain::audit::{self, AuditEvent};
use crate::web::cookies::{cookie, set_cookie};
use crate::web::error::WebError;
use crate::web::i18n::{self, Lang};
use crate::web::layout::bare_page;
use crate::web::session::{create_session, end_session, User, SESSION_COOKIE, SESSION_HOURS};
use crate::web::state::db_run;
use crate::web::state::WebState;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Where to go after signing in or switching language: `next` if it is a path on this site,
/// else `/` (no open redirects, and nothing that cannot be a `Location` header).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_site_path(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A path of this site as a browser reads a `Location`: one leading `/` and not two; only
/// printable ASCII (browsers drop tabs and line breaks from a URL, so `/<TAB>/host/` would
/// become `//host/`, another site; CR/LF cannot go into a header at all); no backslash
/// (browsers read `\` as `/`). The same holds once more percent-decoded, for a `next` that was
/// encoded twice.
fn is_site_path(n: &str) -> bool {
    fn acceptable(bytes: &[u8]) -> bool {
        bytes.first() == Some(&b'/')
            && !matches!(bytes.get(1), Some(b'/' | b'\\'))
            && !bytes.contains(&b'\\')
    }
    let decoded = percent_decode(n.as_bytes());
    n.len() <= 2048
        && n.bytes().all(|b| b.is_ascii_graphic())
        && acceptable(n.as_bytes())
        && acceptable(&decoded)
        && !decoded.iter().any(|b| b.is_ascii_control())
}

fn percent_decode(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            if let (Some(h), Some(l)) = (hex(raw[i + 1]), hex(raw[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// The cookie that marks a browser where an account signed in before (see
/// `domain/accounts.rs`: there the right password passes a lock-out).
const KNOWN_BROWSER_COOKIE: &str = "gocua_known";
const KNOWN_BROWSER_DAYS: i64 = 180;
/// How long a sign-in waits for its turn at the password check before it is told to retry.
const PASSWORD_CHECK_WAIT: Duration = Duration::from_secs(10);

/// A refusal on the login page: a machine code (in `data-code`) and the reader's message.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
}

fn login_page(lang: Lang, next: &str, username: &str, error: Option<&Refusal>) -> maud::Markup {
    bare_page(
        lang,
        lang.pick("Đăng nhập", "Sign in"),
        html! {
            h1 { "Gõ Cửa" }
            p.muted { (lang.pick("Dành cho cán bộ Đoàn theo dõi tiến độ, dữ liệu và báo cáo.", "For Youth Union coordinators: progress, data checks and reports.")) }
            @if let Some(e) = error { p.error role="alert" data-code=(e.code) { (e.message) } }
            form.stack method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                label { (lang.pick("Tên đăng nhập", "Username"))
                    input name="username" autocomplete="username" required maxlength=(MAX_USERNAME_CHARS) value=(username) autofocus; }
                label { (lang.pick("Mật khẩu", "Password"))
                    input name="password" type="password" autocomplete="current-password" required; }
                button.primary type="submit" { (lang.pick("Đăng nhập", "Sign in")) }
            }
            p { a href={ "/lang/" (if lang == Lang::Vi { "en" } else { "vi" }) "?next=/login" } { (lang.pick("English", "Tiếng Việt")) } }
        },
    )
}

fn refuse(lang: Lang, next: &str, username: &str, refusal: Refusal) -> Response {
    (
        refusal.status,
        html(login_page(lang, next, username, Some(&refusal))),
    )
        .into_response()
}

pub async fn form(headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let lang = i18n::lang_from_headers(&headers);
    html(login_page(lang, &safe_next(q.next.as_deref()), "", None))
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

fn too_many(lang: Lang, wait_secs: u64) -> Refusal {
    Refusal {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "rate_limited",
        message: lang.pick_owned(
            format!("Có quá nhiều lần đăng nhập. Hãy thử lại sau {wait_secs} giây."),
            format!("Too many sign-in attempts. Try again in {wait_secs} seconds."),
        ),
    }
}

/// At most `MAX_USERNAME_CHARS` characters of what was typed as a username, for the audit log.
fn truncated(username: &str) -> String {
    let mut chars = username.trim().chars();
    let mut out: String = chars.by_ref().take(MAX_USERNAME_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Signs in: size checks, the account read in one short transaction, the one argon2
/// verification outside any transaction (one at a time per CPU pair, see `WebState`), and the
/// outcome, audit entry and session written in another short transaction.
pub async fn submit(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let lang = i18n::lang_from_headers(&headers);
    let f = match form {
        Ok(Form(f)) => f,
        Err(rejection) => {
            let message = lang.pick_owned(
                "Biểu mẫu đăng nhập gửi lên không đọc được (có thể quá lớn). Hãy tải lại trang và thử lại.",
                "The sign-in form could not be read (it may be too large). Reload the page and try again.",
            );
            let status = match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            };
            let refusal = Refusal {
                status,
                code: "bad_form",
                message,
            };
            return refuse(lang, "/", "", refusal);
        }
    };
    let next = safe_next(f.next.as_deref());
    // Password guessing across accounts is slowed down too, not only per account.
    if let Err(wait) = state.login_limiter.check(uuid::Uuid::nil()) {
        return refuse(lang, &next, "", too_many(lang, wait.as_secs().max(1)));
    }
    if f.username.trim().chars().count() > MAX_USERNAME_CHARS
        || f.password.len() > MAX_PASSWORD_BYTES
    {
        // Refused before any account is read or password hashed; the log keeps a bounded name.
        let logged = truncated(&f.username);
        if let Err(page) = db_run(&state, lang, move |sql| {
            Ok(audit::record(
                sql,
                None,
                &logged,
                "",
                &AuditEvent::LoginFailed {},
            )?)
        })
        .await
        {
            return page;
        }
        let refusal = Refusal {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "input_too_long",
            message: lang.pick_owned(
                format!("Tên đăng nhập dài tối đa {MAX_USERNAME_CHARS} ký tự và mật khẩu tối đa {MAX_PASSWORD_BYTES} byte."),
                format!("A username has at most {MAX_USERNAME_CHARS} characters and a password at most {MAX_PASSWORD_BYTES} bytes."),
            ),
        };
        return refuse(lang, &next, "", refusal);
    }
    let username = f.username.trim().to_owned();
    let name = username.clone();
    let stored = match db_run(&state, lang, move |sql| Ok(read_login(sql, &name)?)).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let known_browser = stored
        .as_ref()
        .is_some_and(|s| is_known_browser(s, cookie(&headers, KNOWN_BROWSER_COOKIE).as_deref()));
    let proof = stored.as_ref().map(known_browser_proof);
    // The argon2 check waits for its turn, outside any database transaction.
    let Ok(Ok(permit)) = tokio::time::timeout(
        PASSWORD_CHECK_WAIT,
        state.password_checks.clone().acquire_owned(),
    )
    .await
    else {
        return refuse(lang, &next, &username, too_many(lang, 5));
    };
    let password = f.password;
    let checked = tokio::task::spawn_blocking(move || {
        let verified = verify_login(stored.as_ref(), &password);
        drop(permit);
        (stored, verified)
    })
    .await;
    let (stored, verified) = match checked {
        Ok(done) => done,
        Err(e) => return WebError::Db(DbError::Task(e.to_string())).into_page(lang),
    };
    let audit_name = username.clone();
    let outcome = db_run(&state, lang, move |sql| {
        let result = settle_login(
            sql,
            (&audit_name, stored.as_ref()),
            verified,
            known_browser,
            Utc::now(),
        )?;
        match &result {
            Ok(account) => {
                audit::record_by(sql, account, "", &AuditEvent::Login {})?;
                let secret = create_session(sql, account.id)?;
                Ok(Ok(secret))
            }
            Err(refusal) => {
                let event = match refusal {
                    LoginRefusal::Locked { .. } => AuditEvent::LoginLocked {},
                    LoginRefusal::WrongCredentials => AuditEvent::LoginFailed {},
                    LoginRefusal::LockedByAdmin => AuditEvent::LoginRefused {
                        reason: "locked".into(),
                    },
                    LoginRefusal::Deactivated => AuditEvent::LoginRefused {
                        reason: "deactivated".into(),
                    },
                };
                audit::record(sql, None, &audit_name, "", &event)?;
                Ok::<_, WebError>(Err(refusal.clone()))
            }
        }
    })
    .await;
    match outcome {
        Err(page) => page,
        Ok(Ok(secret)) => {
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&headers, SESSION_COOKIE, &secret, SESSION_HOURS * 3600),
            );
            if let Some(proof) = proof {
                r.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(
                        &headers,
                        KNOWN_BROWSER_COOKIE,
                        &proof,
                        KNOWN_BROWSER_DAYS * 24 * 3600,
                    ),
                );
            }
            r
        }
        Ok(Err(refusal)) => {
            let refusal = match refusal {
                LoginRefusal::WrongCredentials => Refusal {
                    status: StatusCode::UNAUTHORIZED,
                    code: "wrong_credentials",
                    message: lang.pick_owned(
                        "Tên đăng nhập hoặc mật khẩu không đúng.",
                        "The username or password is wrong.",
                    ),
                },
                LoginRefusal::Locked { until } => Refusal {
                    status: StatusCode::UNAUTHORIZED,
                    code: "account_locked",
                    message: lang.pick_owned(
                        format!(
                            "Tài khoản tạm khoá vì đăng nhập sai nhiều lần, đến {}. Trình duyệt bạn đã từng đăng nhập vẫn vào được bằng mật khẩu đúng.",
                            i18n::date_time(until)
                        ),
                        format!(
                            "The account is locked after repeated failed sign-ins, until {}. A browser you signed in from before still gets in with the right password.",
                            i18n::date_time(until)
                        ),
                    ),
                },
                LoginRefusal::LockedByAdmin => Refusal {
                    status: StatusCode::FORBIDDEN,
                    code: "account_locked_by_admin",
                    message: lang.pick_owned(
                        "Tài khoản này đang bị cán bộ quản trị khoá. Hãy liên hệ đơn vị cấp trên để được mở khoá.",
                        "An administrator has locked this account. Ask your superior unit to unlock it.",
                    ),
                },
                LoginRefusal::Deactivated => Refusal {
                    status: StatusCode::FORBIDDEN,
                    code: "account_deactivated",
                    message: lang.pick_owned(
                        "Tài khoản này đã ngừng hoạt động và không đăng nhập được nữa. Hãy liên hệ đơn vị cấp trên nếu cần tài khoản mới.",
                        "This account was deactivated and can no longer sign in. Ask your superior unit if you need a new account.",
                    ),
                },
            };
            refuse(lang, &next, &username, refusal)
        }
    }
}

pub async fn logout(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    user: User,
    Form(f): Form<crate::web::pages::CsrfOnly>,
) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf) {
        return e.into_page(user.lang);
    }
    let secret = user.secret.clone();
    let account = user.account.clone();
    if let Err(page) = db_run(&state, user.lang, move |sql| {
        audit::record_by(sql, &account, "", &AuditEvent::Logout {})?;
        Ok(end_session(sql, &secret)?)
    })
    .await
    {
        return page;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, SESSION_COOKIE, "", 0),
    );
    r
}

pub async fn switch_language(
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let code = if code == "en" { "en" } else { "vi" };
    let next = q
        .next
        .as_deref()
        .map(|n| safe_next(Some(n)))
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
                .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
                .map(|p| safe_next(Some(&p)))
        })
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&next).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, i18n::LANG_COOKIE, code, 365 * 24 * 3600),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        for good in [
            "/",
            "/flags",
            "/teams/0190f000-0000-7000-8000-000000000001?campaign=x",
            "/households?q=Nguy%E1%BB%85n%20An&page=2",
        ] {
            assert_eq!(safe_next(Some(good)), good, "{good:?}");
        }
        for bad in [
            "/\t/example.invalid/",
            "/\r\n/example.invalid/",
            "/ /example.invalid/",
            "//example.invalid/",
            "/\\example.invalid/",
            "\\/example.invalid/",
            "https://example.invalid/",
            "javascript:alert(1)",
            "/%09/example.invalid/",
            "/%0d%0a/example.invalid/",
            "/%2F/example.invalid/",
            "/%5Cexample.invalid/",
            "/\u{a0}/example.invalid/",
            "example.invalid",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(3000)))), "/");
        assert_eq!(safe_next(None), "/");
    }
}
