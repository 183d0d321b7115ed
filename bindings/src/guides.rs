//! Service guides for the visit form, read offline: the guide's Markdown is parsed by the
//! protocol's reader and handed over as flat, ready-to-draw rows (headings, paragraphs, list
//! items with their marker and depth); labels and the date come in the chosen language.

use gocua_core::protocol::format::Lang;
use gocua_core::protocol::guide::{self, Block, List, Run};

use crate::{FieldProfile, Result};

/// What a row of a guide is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum GuideBlockKind {
    Heading,
    Paragraph,
    ListItem,
}

/// A piece of text with one style. A link's address is shown as text after it (`link`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GuideRunView {
    /// May hold line breaks.
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// The address of a link (web, e-mail or telephone only), to show after `text`.
    pub link: Option<String>,
}

/// One row of a guide, drawn top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GuideBlockView {
    pub kind: GuideBlockKind,
    /// Headings: 1 (largest) to 3. List items: 0 at the top level, 1 inside an item.
    pub level: u8,
    /// List items: "1.", "2.", … or "•"; empty for the other kinds.
    pub marker: String,
    pub runs: Vec<GuideRunView>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceGuideView {
    pub service_key: String,
    /// The service's name in the chosen language.
    pub title: String,
    pub needs_check: bool,
    /// The banner to show while `needs_check`; empty otherwise.
    pub needs_check_label: String,
    /// "cập nhật 02/03/2026".
    pub updated_label: String,
    pub blocks: Vec<GuideBlockView>,
}

fn runs(r: &[Run]) -> Vec<GuideRunView> {
    r.iter()
        .map(|r| GuideRunView {
            text: r.text.clone(),
            bold: r.bold,
            italic: r.italic,
            link: r.link.clone(),
        })
        .collect()
}

fn push_list(out: &mut Vec<GuideBlockView>, list: &List, level: u8) {
    for (i, item) in list.items.iter().enumerate() {
        out.push(GuideBlockView {
            kind: GuideBlockKind::ListItem,
            level,
            marker: guide::item_marker(list, i),
            runs: runs(&item.runs),
        });
        if let Some(children) = &item.children {
            push_list(out, children, level.saturating_add(1));
        }
    }
}

/// The rows of a guide's Markdown.
pub fn guide_rows(markdown: &str) -> Vec<GuideBlockView> {
    let mut out = Vec::new();
    for b in guide::parse(markdown) {
        match &b {
            Block::Heading { level, runs: r } => out.push(GuideBlockView {
                kind: GuideBlockKind::Heading,
                level: *level,
                marker: String::new(),
                runs: runs(r),
            }),
            Block::Paragraph { runs: r } => out.push(GuideBlockView {
                kind: GuideBlockKind::Paragraph,
                level: 0,
                marker: String::new(),
                runs: runs(r),
            }),
            Block::List(list) => push_list(&mut out, list, 0),
        }
    }
    out
}

/// The rows of a guide's Markdown, as `service_guide` hands them over (for previews and tests).
#[uniffi::export]
pub fn guide_blocks(markdown: String) -> Vec<GuideBlockView> {
    guide_rows(&markdown)
}

/// The banner of a guide that needs a coordinator's check, in `lang`.
#[uniffi::export]
pub fn guide_needs_check_label(lang: Lang) -> String {
    guide::needs_check_label(lang).to_owned()
}

#[uniffi::export]
impl FieldProfile {
    /// The guide of a service as last downloaded (works offline); `None` when it has none.
    pub fn service_guide(
        &self,
        service_key: String,
        lang: Lang,
    ) -> Result<Option<ServiceGuideView>> {
        let store = self.store()?;
        let Some(g) = store.service_guide(&service_key)? else {
            return Ok(None);
        };
        let calendar = store.calendar()?;
        let title = store
            .services()?
            .into_iter()
            .find(|s| s.key == service_key)
            .map(|s| match lang {
                Lang::En if !s.name_en.is_empty() => s.name_en,
                _ => s.name_vi,
            })
            .unwrap_or_else(|| service_key.clone());
        Ok(Some(ServiceGuideView {
            title,
            needs_check: g.needs_check,
            needs_check_label: if g.needs_check {
                guide::needs_check_label(lang).to_owned()
            } else {
                String::new()
            },
            updated_label: guide::updated_label(g.updated_at, &calendar, lang),
            blocks: guide_rows(&g.body),
            service_key,
        }))
    }

    /// The keys of the services that have a guide: the visit form shows "Hướng dẫn" on these.
    pub fn guide_service_keys(&self) -> Result<Vec<String>> {
        Ok(self.store()?.guide_keys()?)
    }

    /// Whether service `service_key` has a guide on this phone.
    pub fn has_guide(&self, service_key: String) -> Result<bool> {
        Ok(self.store()?.guide_keys()?.contains(&service_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_flatten_lists_with_markers_and_depth() {
        let rows = guide_rows("## Bước\n\n1. Mở **VNeID**\n   - mức 2\n2. Nộp\n\nXong.");
        let kinds: Vec<(GuideBlockKind, u8, &str)> = rows
            .iter()
            .map(|r| (r.kind, r.level, r.marker.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (GuideBlockKind::Heading, 2, ""),
                (GuideBlockKind::ListItem, 0, "1."),
                (GuideBlockKind::ListItem, 1, "•"),
                (GuideBlockKind::ListItem, 0, "2."),
                (GuideBlockKind::Paragraph, 0, ""),
            ]
        );
        assert!(rows[1].runs.iter().any(|r| r.bold && r.text == "VNeID"));
    }
}
