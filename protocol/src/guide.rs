//! Service guides ("what to say and do at the door"): a short Markdown text per catalogue service,
//! written by coordinators and read on the dashboard and, offline, on the phones.
//!
//! One reader for both sides: [`parse`] turns the Markdown into a small block model (headings,
//! paragraphs, bullet and numbered lists one level deep, runs of plain/bold/italic text and
//! links). Nothing else survives: raw HTML is kept as the text it is, images become their alt
//! text, and a link keeps its URL only when it is a web, e-mail or telephone address, so a
//! `javascript:` link is shown as its words alone. The server draws the blocks with escaping
//! HTML, the phone apps draw them natively; neither ever sees markup.

use chrono::{DateTime, Utc};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::format::Lang;

/// The longest guide, in characters: what a volunteer can read at the door.
pub const MAX_GUIDE_CHARS: usize = 8_000;

/// A guide as stored on the server and sent to phones with the reference data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceGuide {
    pub service_key: String,
    /// Markdown, Vietnamese first.
    pub body: String,
    /// True until a coordinator has checked it (the built-in starter guides start so).
    pub needs_check: bool,
    pub updated_at: DateTime<Utc>,
}

/// Why a guide's text is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideError {
    Empty,
    TooLong { chars: usize },
}

impl GuideError {
    pub fn code(&self) -> &'static str {
        match self {
            GuideError::Empty => "guide_empty",
            GuideError::TooLong { .. } => "guide_too_long",
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            GuideError::Empty => "Hướng dẫn đang trống: hãy viết nội dung.".into(),
            GuideError::TooLong { chars } => format!(
                "Hướng dẫn quá dài: {chars} ký tự (tối đa {MAX_GUIDE_CHARS}). Hãy viết ngắn gọn để đọc được tại nhà dân."
            ),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            GuideError::Empty => "The guide is empty: write its text.".into(),
            GuideError::TooLong { chars } => format!(
                "The guide is too long: {chars} characters (at most {MAX_GUIDE_CHARS}). Keep it short enough to read at the door."
            ),
        }
    }
}

/// The rules of a guide's text: not blank, at most [`MAX_GUIDE_CHARS`] characters.
pub fn check(body: &str) -> Result<(), GuideError> {
    if body.trim().is_empty() {
        return Err(GuideError::Empty);
    }
    let chars = body.chars().count();
    if chars > MAX_GUIDE_CHARS {
        return Err(GuideError::TooLong { chars });
    }
    Ok(())
}

/// A piece of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// May hold `\n` where the author broke the line.
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// A link's address, shown as text after it; only http(s), mailto and tel addresses.
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    pub runs: Vec<Run>,
    /// A list inside this item (one level; deeper lists are flattened into it).
    pub children: Option<List>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    /// The first number of a numbered list; `None` for bullets.
    pub start: Option<u64>,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// Level 1–3 (deeper Markdown headings are drawn as level 3).
    Heading {
        level: u8,
        runs: Vec<Run>,
    },
    Paragraph {
        runs: Vec<Run>,
    },
    List(List),
}

/// Whether a link's address is one a reader may follow: web, e-mail and telephone only.
pub fn safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The blocks of a guide's Markdown.
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for event in Parser::new(markdown) {
        b.event(event);
    }
    b.flush_text_block();
    b.blocks
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    /// Runs of the paragraph, heading or list item being read.
    runs: Vec<Run>,
    heading: Option<u8>,
    /// The lists open while parsing, outermost first.
    lists: Vec<List>,
    bold: u32,
    italic: u32,
    /// Open links: the safe address or `None`.
    links: Vec<Option<String>>,
}

impl Builder {
    fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        let link = self.links.last().cloned().flatten();
        if let Some(last) = self.runs.last_mut() {
            if last.bold == bold && last.italic == italic && last.link == link {
                last.text.push_str(text);
                return;
            }
        }
        self.runs.push(Run {
            text: text.to_owned(),
            bold,
            italic,
            link,
        });
    }

    /// Ends the runs of a paragraph or heading outside lists.
    fn flush_text_block(&mut self) {
        trim_runs(&mut self.runs);
        if self.runs.is_empty() {
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        self.blocks.push(match self.heading {
            Some(level) => Block::Heading { level, runs },
            None => Block::Paragraph { runs },
        });
    }

    /// Ends the runs of a list item's text so far, adding them to the current item.
    fn flush_item_text(&mut self) {
        trim_runs(&mut self.runs);
        if self.runs.is_empty() {
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        let Some(open) = self.lists.last_mut() else {
            return;
        };
        if let Some(item) = open.items.last_mut() {
            if !item.runs.is_empty() {
                item.runs.push(plain("\n"));
            }
            item.runs.extend(runs);
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push_text(&t)
            }
            // Raw HTML is shown as the text it is, never interpreted.
            Event::Html(t) | Event::InlineHtml(t) => self.push_text(&t),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_text("\n"),
            Event::Rule => self.block_break(),
            Event::FootnoteReference(t) => self.push_text(&format!("[{t}]")),
            Event::TaskListMarker(done) => self.push_text(if done { "☑ " } else { "☐ " }),
        }
    }

    /// Ends whatever text block is open (a paragraph inside an item stays in the item).
    fn block_break(&mut self) {
        if self.lists.is_empty() {
            self.flush_text_block();
        } else {
            self.flush_item_text();
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.block_break();
                if self.lists.is_empty() {
                    self.heading = Some(match level {
                        HeadingLevel::H1 => 1,
                        HeadingLevel::H2 => 2,
                        _ => 3,
                    });
                }
            }
            Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::HtmlBlock => {
                self.block_break()
            }
            Tag::List(start) => {
                self.block_break();
                self.lists.push(List {
                    start,
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.flush_item_text();
                if let Some(open) = self.lists.last_mut() {
                    open.items.push(ListItem {
                        runs: Vec::new(),
                        children: None,
                    });
                }
            }
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            Tag::Link { dest_url, .. } => {
                let url = dest_url.trim().to_owned();
                self.links.push(safe_link(&url).then_some(url));
            }
            // Other tags (images, tables, strikethrough, …) keep only their text.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                self.block_break();
                self.heading = None;
            }
            TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_) | TagEnd::HtmlBlock => {
                self.block_break()
            }
            TagEnd::TableCell => self.push_text(" "),
            TagEnd::TableRow | TagEnd::TableHead => self.block_break(),
            TagEnd::Item => self.flush_item_text(),
            TagEnd::List(_) => {
                self.flush_item_text();
                let Some(done) = self.lists.pop() else {
                    return;
                };
                self.close_list(done);
            }
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            _ => {}
        }
    }

    /// A finished list becomes a block, or the children of its parent's last item; a list two
    /// levels down joins its grandparent's children (one level of nesting is kept).
    fn close_list(&mut self, list: List) {
        if list.items.is_empty() {
            return;
        }
        match self.lists.len() {
            0 => self.blocks.push(Block::List(list)),
            _ => {
                let depth = self.lists.len();
                let parent = self.lists.last_mut().expect("len checked");
                let Some(item) = parent.items.last_mut() else {
                    return;
                };
                if depth == 1 {
                    match &mut item.children {
                        Some(children) => children.items.extend(list.items),
                        None => item.children = Some(list),
                    }
                } else {
                    // Deeper than one level: the items join the parent's own list.
                    for mut it in list.items {
                        if let Some(children) = it.children.take() {
                            parent.items.push(it);
                            parent.items.extend(children.items);
                        } else {
                            parent.items.push(it);
                        }
                    }
                }
            }
        }
    }
}

fn plain(text: &str) -> Run {
    Run {
        text: text.to_owned(),
        bold: false,
        italic: false,
        link: None,
    }
}

/// Drops blank runs at either end and the spaces at the text's edges.
fn trim_runs(runs: &mut Vec<Run>) {
    while runs.last().is_some_and(|r| r.text.trim().is_empty()) {
        runs.pop();
    }
    while runs.first().is_some_and(|r| r.text.trim().is_empty()) {
        runs.remove(0);
    }
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_owned();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_owned();
    }
}

/// The plain text of runs, links followed by their address in brackets: for search, the
/// terminal and tests.
pub fn runs_text(runs: &[Run]) -> String {
    let mut out = String::new();
    for r in runs {
        out.push_str(&r.text);
        if let Some(url) = &r.link {
            if url != &r.text {
                out.push_str(" (");
                out.push_str(url);
                out.push(')');
            }
        }
    }
    out
}

/// The banner of a guide that needs a coordinator's check, on the dashboard and the phones.
pub fn needs_check_label(lang: Lang) -> &'static str {
    lang.pick(
        "Nội dung mẫu — cần cán bộ kiểm tra trước khi dùng",
        "Starter content — a coordinator must check it before use",
    )
}

/// "cập nhật 02/03/2026" / "updated 02/03/2026": when a guide last changed, in `calendar`'s days.
pub fn updated_label(at: DateTime<Utc>, calendar: &crate::Calendar, lang: Lang) -> String {
    let day = crate::format::day(calendar.day_of(at), lang);
    lang.pick_owned(format!("cập nhật {day}"), format!("updated {day}"))
}

/// The label of item `index` (0-based) of a list: "1.", "2.", … or a bullet.
pub fn item_marker(list: &List, index: usize) -> String {
    match list.start {
        Some(start) => format!("{}.", start.saturating_add(index as u64)),
        None => "•".to_owned(),
    }
}

#[cfg(test)]
#[path = "guide_tests.rs"]
mod tests;
