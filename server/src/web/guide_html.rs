//! A service guide drawn as HTML from the protocol's blocks (`gocua_protocol::guide`): maud
//! escapes every piece of text, so nothing a guide's author typed reaches the page as markup.
//! Links are shown with their address as text, not made clickable: a volunteer reads the
//! address to the household.

use gocua_protocol::guide::{self, Block, List, Run};
use maud::{html, Markup};

use super::i18n::Lang;
use crate::domain::coordination::guides::StoredGuide;

/// The guide's Markdown as an `article.guide`.
pub fn render(markdown: &str) -> Markup {
    let blocks = guide::parse(markdown);
    html! {
        article.guide {
            @for b in &blocks { (block(b)) }
        }
    }
}

fn block(b: &Block) -> Markup {
    html! {
        @match b {
            Block::Heading { level: 1, runs } => h2 { (runs_html(runs)) },
            Block::Heading { level: 2, runs } => h3 { (runs_html(runs)) },
            Block::Heading { runs, .. } => h4 { (runs_html(runs)) },
            Block::Paragraph { runs } => p { (runs_html(runs)) },
            Block::List(l) => (list(l)),
        }
    }
}

fn list(l: &List) -> Markup {
    let items = html! {
        @for item in &l.items {
            li {
                (runs_html(&item.runs))
                @if let Some(children) = &item.children { (list(children)) }
            }
        }
    };
    html! {
        @match l.start {
            Some(start) => ol start=(start) { (items) },
            None => ul { (items) },
        }
    }
}

fn runs_html(runs: &[Run]) -> Markup {
    html! {
        @for r in runs {
            @let text = html! {
                @for (i, line) in r.text.split('\n').enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            };
            @let styled = match (r.bold, r.italic) {
                (true, true) => html! { strong { em { (text) } } },
                (true, false) => html! { strong { (text) } },
                (false, true) => html! { em { (text) } },
                (false, false) => text,
            };
            @match &r.link {
                Some(url) if url != &r.text => span.link { (styled) " (" code { (url) } ")" },
                Some(url) => code { (url) },
                None => (styled),
            }
        }
    }
}

/// The banner of a guide that needs a coordinator's check (the protocol's words, as on phones).
pub fn needs_check_banner(lang: Lang) -> Markup {
    html! {
        p.guide-banner role="note" {
            (guide::needs_check_label(lang)) "."
            @if lang == Lang::Vi {
                " " span.muted { (guide::needs_check_label(Lang::En)) "." }
            }
        }
    }
}

/// "cập nhật 02/03/2026" / "updated 02/03/2026", in the deployment's days.
pub fn updated_label(lang: Lang, g: &StoredGuide) -> String {
    gocua_protocol::guide::updated_label(g.guide.updated_at, &crate::domain::calendar::get(), lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_typed_becomes_markup() {
        let html = render(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) **<img src=x onerror=y>**",
        )
        .into_string();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("href"), "{html}");
    }

    #[test]
    fn lists_headings_and_links() {
        let html =
            render("## Bước\n\n3. Vào **Cổng** [DVC](https://dichvucong.gov.vn)\n   - con\n")
                .into_string();
        assert!(html.contains("<h3>Bước</h3>"), "{html}");
        assert!(html.contains("<ol start=\"3\">"), "{html}");
        assert!(html.contains("<strong>Cổng</strong>"), "{html}");
        assert!(
            html.contains("DVC (<code>https://dichvucong.gov.vn</code>)"),
            "{html}"
        );
        assert!(html.contains("<ul><li>con</li></ul>"), "{html}");
    }
}
