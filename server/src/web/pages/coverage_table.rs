//! The coverage figures as tables: the communes table the page shows, the hamlets of one commune,
//! and both levels for the exports (two sheets in Excel, one CSV with a level column). Every
//! table is built here from the domain's one [`Coverage`], so the files hold the page's numbers.

use crate::domain::coverage::{Counts, Coverage, HamletCoverage};
use crate::web::export::{Cell, Column, ColumnKind, Table};
use crate::web::i18n::{self, Lang};

fn since_header(lang: Lang, cov: &Coverage) -> String {
    format!(
        "{} {}",
        lang.pick("Hộ chưa đến từ", "Households not reached since"),
        i18n::date(cov.since)
    )
}

/// The figures' columns, after the name columns.
fn count_columns(lang: Lang, cov: &Coverage) -> Vec<Column> {
    let mut columns = Column::bilingual(
        ColumnKind::Integer,
        lang,
        &[
            ("Số thôn, ấp", "Hamlets"),
            ("Thôn, ấp đã có lượt đến", "Hamlets visited"),
            ("Thôn, ấp chưa có lượt đến", "Hamlets not visited"),
            ("Số hộ", "Households"),
            ("Hộ đã đến", "Households reached"),
        ],
    );
    columns.push(Column::percent(
        lang.pick("Tỷ lệ hộ đã đến", "Share reached"),
    ));
    columns.push(Column::integer(since_header(lang, cov)));
    columns
}

fn count_cells(c: &Counts) -> Vec<Cell> {
    vec![
        c.hamlets.into(),
        c.hamlets_reached().into(),
        c.hamlets_not_visited.into(),
        c.households.into(),
        c.reached.into(),
        Cell::ratio(c.reached, Some(c.households)),
        c.not_reached_since.into(),
    ]
}

/// What a hamlet row is called: its name, or what the households without one are.
pub fn hamlet_label(lang: Lang, h: &HamletCoverage) -> String {
    match &h.code {
        None => lang.pick_owned("(chưa ghi thôn, ấp)", "(no hamlet recorded)"),
        Some(_) if !h.known => format!(
            "{} {}",
            h.name,
            lang.pick(
                "(không có trong danh sách thôn, ấp)",
                "(not in the hamlet list)"
            )
        ),
        Some(_) => h.name.clone(),
    }
}

/// An empty table of one level: `level` ("Coverage by commune") and the campaign's `title`, the
/// level's name columns, then the figures' columns.
fn level_table(
    lang: Lang,
    cov: &Coverage,
    level: &str,
    title: &str,
    mut columns: Vec<Column>,
) -> Table {
    columns.extend(count_columns(lang, cov));
    Table::new(format!("{level} – {title}"), columns)
}

/// One row per commune, then the total; `title` names the campaign and unit.
pub fn communes(lang: Lang, title: &str, cov: &Coverage) -> Table {
    let name = Column::text(lang.pick("Xã, phường", "Commune"));
    let level = lang.pick("Độ phủ theo xã", "Coverage by commune");
    let mut t = level_table(lang, cov, level, title, vec![name]);
    for c in &cov.communes {
        let mut row = vec![Cell::text(c.name.clone())];
        row.extend(count_cells(&c.counts));
        t.push_row(row);
    }
    if !cov.communes.is_empty() {
        let mut row = vec![Cell::text(lang.pick("Tổng cộng", "Total"))];
        row.extend(count_cells(&cov.total()));
        t.push_row(row);
    }
    t
}

/// One row per hamlet of every commune (the commune named on each row).
pub fn hamlets(lang: Lang, title: &str, cov: &Coverage) -> Table {
    let names = [("Xã, phường", "Commune"), ("Thôn, ấp", "Hamlet")];
    let level = lang.pick("Độ phủ theo thôn", "Coverage by hamlet");
    let mut t = level_table(
        lang,
        cov,
        level,
        title,
        Column::bilingual(ColumnKind::Text, lang, &names),
    );
    for c in &cov.communes {
        for h in &c.hamlets {
            let mut row = vec![
                Cell::text(c.name.clone()),
                Cell::text(hamlet_label(lang, h)),
            ];
            row.extend(count_cells(&h.counts));
            t.push_row(row);
        }
    }
    t
}

/// Both levels in one table for CSV: a level column, then commune and hamlet (empty on a
/// commune's row).
pub fn both_levels(lang: Lang, title: &str, cov: &Coverage) -> Table {
    let mut columns = vec![
        Column::text(lang.pick("Cấp", "Level")),
        Column::text(lang.pick("Xã, phường", "Commune")),
        Column::text(lang.pick("Thôn, ấp", "Hamlet")),
    ];
    columns.extend(count_columns(lang, cov));
    let mut t = Table::new(
        format!("{} – {title}", lang.pick("Độ phủ", "Coverage")),
        columns,
    );
    let (commune, hamlet) = (
        lang.pick("xã, phường", "commune"),
        lang.pick("thôn, ấp", "hamlet"),
    );
    for c in &cov.communes {
        let mut row = vec![Cell::text(commune), Cell::text(c.name.clone()), Cell::Empty];
        row.extend(count_cells(&c.counts));
        t.push_row(row);
        for h in &c.hamlets {
            let mut row = vec![
                Cell::text(hamlet),
                Cell::text(c.name.clone()),
                Cell::text(hamlet_label(lang, h)),
            ];
            row.extend(count_cells(&h.counts));
            t.push_row(row);
        }
    }
    t
}
