//! What the administration upload tests share: posting a multipart form with one file as a
//! browser does, reading what the preview and problem pages show, and counting rows.

use gocua_server::db::{Db, Sql};
use reqwest::blocking::multipart::{Form, Part};
use reqwest::header::COOKIE;

use crate::dashboard::{client, refused_with, Page, Web};

/// POSTs `fields` and one file (`name`, `bytes`) as `multipart/form-data` to `path`.
pub fn post_file(
    web: &Web,
    path: &str,
    fields: &[(&str, &str)],
    name: &str,
    bytes: Vec<u8>,
) -> Page {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    Page::of(
        client()
            .post(format!("{}{path}", web.url))
            .header(COOKIE, &web.cookie)
            .multipart(form)
            .send()
            .expect("POST multipart"),
    )
}

/// The staged upload a redirect leads to: `/admin/<section>/uploads/<id>`.
pub fn preview_path(page: &Page) -> String {
    assert_eq!(
        page.status, 303,
        "expected a redirect to the preview: {}",
        page.body
    );
    let location = page.location.clone().expect("a Location header");
    assert!(location.contains("/uploads/"), "{location}");
    location
}

/// Asserts that only the account that staged the upload at `preview` may confirm it: `other`
/// (another account) is told it does not exist, and `owner` with a forged token is refused.
/// Returns the confirm address.
#[track_caller]
pub fn assert_only_owner_confirms(preview: &str, owner: &Web, other: &Web) -> String {
    let confirm = format!("{preview}/confirm");
    refused_with(
        &other.post(&confirm, &[("csrf", &other.csrf())]),
        404,
        "not_found",
        "other account's confirm",
    );
    refused_with(
        &owner.post(&confirm, &[("csrf", "forged")]),
        403,
        "csrf_mismatch",
        "csrf",
    );
    confirm
}

/// The problems an upload's problem page lists: (place, column) of each row of its table.
pub fn problems(page: &Page) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = page.body.as_str();
    while let Some(at) = rest.find("<td class=\"place\">") {
        rest = &rest[at + "<td class=\"place\">".len()..];
        let place = rest[..rest.find('<').unwrap()].to_owned();
        let column = rest
            .find("<code>")
            .filter(|c| *c < rest.find("</tr>").unwrap_or(usize::MAX))
            .map(|c| {
                let s = &rest[c + "<code>".len()..];
                s[..s.find('<').unwrap()].to_owned()
            })
            .unwrap_or_default();
        out.push((place, column));
    }
    out
}

/// The number of rows `query` counts.
pub fn count_where(db: &Db, query: &str) -> i64 {
    db.tx(|sql: &mut dyn Sql| sql.query_one(query, &[]))
        .expect("count")
        .map_or(0, |r| r.int(0))
}

/// The machine code of an error page or message (`data-code="…"`).
pub fn code(page: &Page) -> &str {
    page.refusal_code().unwrap_or("")
}
