//! What the upload pages share: reading a multipart form with one file (refusing a file larger
//! than [`MAX_FILE_BYTES`] with `file_too_large`), the table of an upload's problems, and the
//! answers to a staged upload that cannot be confirmed.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::i18n::Lang;
use crate::web::session::User;
use crate::web::state::WebState;

/// The largest file a coordinator may upload: a province's hamlets or targets are far smaller.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// The largest upload form read (the edge's body limit of the upload routes): a larger file is
/// still read to its end, up to this, so the browser shows the `file_too_large` page instead of
/// a connection closed in the middle of its upload.
pub const MAX_FORM_BYTES: usize = 8 * 1024 * 1024;

/// A multipart form: its text fields and its one file (name and bytes), if one was chosen.
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    pub file: Option<(String, Vec<u8>)>,
}

impl UploadForm {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// The file's bytes, or `no_file` when none was chosen (or it is empty).
    pub fn file_bytes(&self) -> Result<&[u8], WebError> {
        match &self.file {
            Some((_, bytes)) if !bytes.is_empty() => Ok(bytes),
            _ => Err(WebError::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_file",
                "Chưa chọn tệp, hoặc tệp trống. Hãy chọn tệp rồi tải lên lại.",
                "No file was chosen, or the file is empty. Choose a file and upload again.",
            )),
        }
    }
}

fn too_large() -> WebError {
    let mb = MAX_FILE_BYTES / (1024 * 1024);
    WebError::refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        format!("Tệp lớn hơn {mb} MB. Danh sách thôn, ấp hay bảng chỉ tiêu của cả một tỉnh cũng nhỏ hơn thế nhiều: hãy kiểm tra lại tệp đã chọn."),
        format!("The file is larger than {mb} MB. A whole province's hamlets or targets are far smaller: check the file you chose."),
    )
}

fn unreadable() -> WebError {
    WebError::refused(
        StatusCode::BAD_REQUEST,
        "bad_upload",
        "Không đọc được biểu mẫu tải lên. Hãy tải lại trang rồi thử lại.",
        "The upload form could not be read. Reload the page and try again.",
    )
}

/// Reads the whole form. Text fields are small (a CSRF token, a code, an id); the one file is
/// read up to [`MAX_FILE_BYTES`].
pub async fn read(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<UploadForm, WebError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_FORM_BYTES) {
        return Err(too_large());
    }
    let mut multipart = multipart.map_err(|_| unreadable())?;
    let mut form = UploadForm {
        fields: HashMap::new(),
        file: None,
    };
    let refusal = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            unreadable()
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(refusal)? {
        let name = field.name().unwrap_or("").to_owned();
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(refusal)? {
                if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    // Read (and drop) the rest, so the browser shows the answer.
                    while let Ok(Some(_)) = field.chunk().await {}
                    while let Ok(Some(mut rest)) = multipart.next_field().await {
                        while let Ok(Some(_)) = rest.chunk().await {}
                    }
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            if form.file.is_none() {
                form.file = Some((file_name, bytes));
            }
        } else {
            let text = field.text().await.map_err(refusal)?;
            if text.len() > 4096 {
                return Err(unreadable());
            }
            form.fields.insert(name, text);
        }
    }
    Ok(form)
}

/// Where in the layout of a file a problem is, and what it is.
pub struct Problem<'a> {
    pub place: String,
    pub column: &'a str,
    pub message: String,
}

/// The table of every problem of an upload (nothing was stored).
pub fn problems_table(lang: Lang, headers: (&str, &str), problems: &[Problem]) -> Markup {
    html! {
        p.error role="alert" data-code="invalid_file" {
            (lang.pick_owned(
                format!("Tệp có {} lỗi; chưa lưu gì. Hãy sửa tệp rồi tải lên lại.", problems.len()),
                format!("The file has {} problem(s); nothing was stored. Fix the file and upload it again.", problems.len()),
            ))
        }
        div.tablewrap {
            table.problems {
                thead { tr {
                    th { (headers.0) }
                    @if !headers.1.is_empty() { th { (headers.1) } }
                    th { (lang.pick("Lỗi", "Problem")) }
                } }
                tbody {
                    @for p in problems {
                        tr {
                            td.place { (p.place) }
                            @if !headers.1.is_empty() { td { code { (p.column) } } }
                            td { (capitalised(&p.message)) }
                        }
                    }
                }
            }
        }
    }
}

/// A message starting with a capital letter (problems are worded to follow "Line 3:").
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A `<form>` with a file input posting to `action`, with the CSRF field and `hidden` fields.
pub fn file_form(
    user: &User,
    action: &str,
    accept: &str,
    hidden: &[(&str, String)],
    label: &str,
) -> Markup {
    let button = user.lang.pick("Tải lên và kiểm tra", "Upload and check");
    html! {
        form.stack.card.upload method="post" action=(action) enctype="multipart/form-data" {
            (crate::web::layout::csrf_field(user))
            @for (name, value) in hidden { input type="hidden" name=(name) value=(value); }
            label { (label) input type="file" name="file" accept=(accept) required; }
            button.primary type="submit" { (button) }
        }
    }
}

/// A percent-encoded path segment (hamlet codes and service keys in links).
pub fn segment(s: &str) -> String {
    crate::web::text::url_encode(s)
}

/// An upload posted from a coordinator who may edit, as its handler takes it: who posts it, the
/// form read, its CSRF token checked (before the file is looked at), and the file's bytes
/// (`no_file` when none) — read in the order of the separate extractors `State`, `User`,
/// `HeaderMap`, `Multipart`.
pub struct Received {
    pub state: Arc<WebState>,
    pub user: User,
    pub form: UploadForm,
    pub bytes: Vec<u8>,
}

impl Received {
    pub fn into_parts(self) -> (Arc<WebState>, User, UploadForm, Vec<u8>) {
        (self.state, self.user, self.form, self.bytes)
    }
}

impl FromRequest<Arc<WebState>> for Received {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<WebState>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Ctx { state, user } = Ctx::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let multipart = Multipart::from_request(Request::from_parts(parts, body), &state).await;
        let (form, bytes) = receive(&user, &headers, multipart).await?;
        Ok(Received {
            state,
            user,
            form,
            bytes,
        })
    }
}

async fn receive(
    user: &User,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(UploadForm, Vec<u8>), Response> {
    let lang = user.lang;
    let form = read(headers, multipart)
        .await
        .map_err(|e| e.into_page(lang))?;
    user.check_edit(form.field("csrf"))?;
    let bytes = form.file_bytes().map_err(|e| e.into_page(lang))?.to_vec();
    Ok((form, bytes))
}

/// The page of an upload's problems (422: nothing was stored), titled `title` (Vietnamese,
/// English).
pub fn problems_page(user: &User, title: (&str, &str), body: Markup) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        super::admin_page(user, user.lang.pick(title.0, title.1), body),
    )
        .into_response()
}

/// A form posting only its CSRF token (an upload's confirmation).
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// The end of an upload's preview: the confirmation form posting to `action` (with a link
/// back to `cancel`), or once it was `used` the notice `stored` (Vietnamese, English).
pub fn confirm_form(
    user: &User,
    used: bool,
    stored: (&str, &str),
    action: &str,
    cancel: &str,
) -> Markup {
    let lang = user.lang;
    html! {
        @if used {
            p.notice role="status" data-state="used" { (lang.pick(stored.0, stored.1)) }
        } @else {
            form.actions method="post" action=(action) {
                (crate::web::layout::csrf_field(user))
                button.primary type="submit" { (lang.pick("Xác nhận", "Confirm")) }
                a href=(cancel) { (lang.pick("Huỷ", "Cancel")) }
            }
        }
    }
}
