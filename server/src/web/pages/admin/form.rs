//! What the administration forms share: which refusals are shown on the form, and how.

use maud::{html, Markup};

use crate::domain::coordination::AdminError;
use crate::web::error::WebError;
use crate::web::i18n::Lang;

/// A refusal that belongs on the form (a value the coordinator can correct), not on an error page.
pub fn form_error(e: &WebError) -> Option<&AdminError> {
    match e {
        WebError::Admin(a @ (AdminError::Refused { .. } | AdminError::Invalid { .. })) => Some(a),
        _ => None,
    }
}

/// A refusal shown above a form, with its machine code.
pub fn error_box(lang: Lang, e: &AdminError) -> Markup {
    html! { p.error role="alert" data-code=(e.code()) { (lang.pick_owned(e.message_vi(), e.message_en())) } }
}
