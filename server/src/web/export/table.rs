//! The one model every dashboard table is exported from, whatever the format.

use chrono::NaiveDate;

use crate::domain::format::Lang;

/// A titled table: what the coordinator sees on a dashboard page.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(title: impl Into<String>, columns: Vec<Column>) -> Self {
        Table {
            title: title.into(),
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push_row(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Self {
        Column {
            header: header.into(),
            kind,
        }
    }

    pub fn text(header: impl Into<String>) -> Self {
        Column::new(header, ColumnKind::Text)
    }

    pub fn integer(header: impl Into<String>) -> Self {
        Column::new(header, ColumnKind::Integer)
    }

    pub fn percent(header: impl Into<String>) -> Self {
        Column::new(header, ColumnKind::Percent)
    }

    pub fn date(header: impl Into<String>) -> Self {
        Column::new(header, ColumnKind::Date)
    }

    /// Columns of one kind, one per `(Vietnamese, English)` header, in `lang`.
    pub fn bilingual(kind: ColumnKind, lang: Lang, headers: &[(&str, &str)]) -> Vec<Column> {
        headers
            .iter()
            .map(|(vi, en)| Column::new(lang.pick(vi, en), kind))
            .collect()
    }
}

/// What a column holds; used for widths and alignment. Each cell is still written by its own
/// variant, so a `Cell::Empty` or a stray text in a number column is exported as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Integer,
    Percent,
    Date,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A ratio: 0.875 is 87.5 %. May exceed 1.0 when a target is overshot.
    Percent(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    /// `achieved / target` as a percent cell, or `Empty` when there is no (or a zero) target:
    /// a missing target is not 0 % nor infinitely achieved.
    pub fn ratio(achieved: u64, target: Option<u64>) -> Self {
        gocua_protocol::share_of_target(achieved, target)
            .map_or(Cell::Empty, |s| Cell::Percent(s.ratio()))
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

/// Integer types that fit in an `i64` whole.
macro_rules! int_cells {
    ($($int:ty),*) => {
        $(impl From<$int> for Cell {
            fn from(n: $int) -> Self {
                Cell::Int(n.into())
            }
        })*
    };
}

int_cells!(i64, i32, u32);

/// Counts come out of the database as `u64`; anything beyond `i64::MAX` saturates.
impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors() {
        assert_eq!(Cell::from("Ấp 3"), Cell::Text("Ấp 3".into()));
        assert_eq!(Cell::from(5u64), Cell::Int(5));
        assert_eq!(Cell::from(u64::MAX), Cell::Int(i64::MAX));
        assert_eq!(Cell::from(None::<i64>), Cell::Empty);
        assert_eq!(Cell::from(Some(7i32)), Cell::Int(7));
        assert_eq!(Cell::ratio(7, Some(8)), Cell::Percent(0.875));
        assert_eq!(Cell::ratio(7, Some(0)), Cell::Empty);
        assert_eq!(Cell::ratio(7, None), Cell::Empty);
        let mut t = Table::new("T", vec![Column::integer("Số hộ")]);
        t.push_row(vec![3.into()]);
        assert_eq!(t.columns[0].kind, ColumnKind::Integer);
        assert_eq!(t.rows.len(), 1);
    }
}
