//! Finding households: by area, by diacritic-insensitive search, and follow-ups due.

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::{text, ValidationCode, ValidationError, ValidationErrors, VisitOutcome};
use rusqlite::{params, Connection, Row};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::outbox::from_millis;
use crate::store::Store;

/// One line of a household list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: Uuid,
    pub commune_code: String,
    pub hamlet_code: Option<String>,
    pub head_name: String,
    pub address_line: String,
    pub phone: Option<String>,
    pub members: u16,
    pub erased: bool,
    pub last_visit_at: Option<DateTime<Utc>>,
    pub last_outcome: Option<VisitOutcome>,
    pub follow_up_on: Option<NaiveDate>,
}

/// One page of households, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdPage {
    pub items: Vec<HouseholdSummary>,
    /// Pass it as `after` to get the following page; `None` on the last page. Opaque: the apps
    /// keep it as given and never build one.
    pub next: Option<String>,
}

/// Where a page ends: the sort key (folded search text) and id of its last household. Keyset
/// paging, so households added between two pages neither repeat nor push others out of view.
fn cursor_of(search_text: &str, id: &str) -> String {
    format!("{id}:{search_text}")
}

pub(crate) fn parse_cursor(cursor: &str) -> Result<(String, String)> {
    let invalid = || {
        Error::Validation(ValidationErrors(vec![ValidationError {
            field: "cursor".into(),
            code: ValidationCode::InvalidFormat,
            message_vi: "Không đọc được vị trí của trang danh sách; hãy tải lại danh sách.".into(),
            message_en: "The list position cannot be read; reload the list.".into(),
        }]))
    };
    let (id, text) = cursor.split_once(':').ok_or_else(invalid)?;
    let id = Uuid::parse_str(id).map_err(|_| invalid())?;
    Ok((text.to_owned(), id.to_string()))
}

/// Turns `page_size + 1` rows (each with its sort key) into a page.
pub(crate) fn into_page(
    mut rows: Vec<(HouseholdSummary, String)>,
    page_size: usize,
) -> HouseholdPage {
    let more = rows.len() > page_size;
    rows.truncate(page_size);
    let next = if more {
        rows.last()
            .map(|(h, key)| cursor_of(key, &h.id.to_string()))
    } else {
        None
    };
    HouseholdPage {
        items: rows.into_iter().map(|(h, _)| h).collect(),
        next,
    }
}

/// A household whose latest visit asked to come back on or before the given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub household: HouseholdSummary,
    pub visit_id: Uuid,
    pub follow_up_on: NaiveDate,
}

const SUMMARY_SELECT: &str = "
    SELECT h.id, h.commune_code, h.hamlet_code, h.head_name, h.address_line, h.phone, h.members, h.erased,
           lv.started_at, lv.outcome, lv.follow_up_on
    FROM households h
    LEFT JOIN visits lv ON lv.id = (
        SELECT v.id FROM visits v WHERE v.household_id = h.id AND v.superseded_by IS NULL
        ORDER BY v.started_at DESC LIMIT 1)";

/// [`SUMMARY_SELECT`] with the sort key as a 12th column.
pub(crate) const SUMMARY_SELECT_KEYED: &str = "
    SELECT h.id, h.commune_code, h.hamlet_code, h.head_name, h.address_line, h.phone, h.members, h.erased,
           lv.started_at, lv.outcome, lv.follow_up_on, h.search_text
    FROM households h
    LEFT JOIN visits lv ON lv.id = (
        SELECT v.id FROM visits v WHERE v.household_id = h.id AND v.superseded_by IS NULL
        ORDER BY v.started_at DESC LIMIT 1)";

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<HouseholdSummary> {
    let id: String = r.get(0)?;
    Ok(HouseholdSummary {
        id: Uuid::parse_str(&id).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?,
        commune_code: r.get(1)?,
        hamlet_code: r.get(2)?,
        head_name: r.get(3)?,
        address_line: r.get(4)?,
        phone: r.get(5)?,
        members: r.get(6)?,
        erased: r.get(7)?,
        last_visit_at: r.get::<_, Option<i64>>(8)?.map(from_millis),
        last_outcome: r
            .get::<_, Option<String>>(9)?
            .map(|s| VisitOutcome::parse(&s)),
        follow_up_on: r
            .get::<_, Option<String>>(10)?
            .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
    })
}

/// Like [`query_summaries`], with each row's sort key (`search_text`, selected after the
/// summary columns).
pub(crate) fn query_keyed_summaries(
    conn: &Connection,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<(HouseholdSummary, String)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| {
        Ok((summary_from_row(r)?, r.get::<_, String>(11)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn query_summaries(
    conn: &Connection,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<HouseholdSummary>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, summary_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// FTS5 query: every folded word must be the prefix of some word ("nguyen van a" → `"nguyen"*
/// "van"* "a"*`). Words are letters and digits only after folding, so quoting is safe.
fn fts_query(query: &str) -> Option<String> {
    let words = text::words(query);
    if words.is_empty() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

impl Store {
    /// Households of a commune (and optionally one hamlet), by name.
    pub fn list_households(
        &self,
        commune_code: &str,
        hamlet_code: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<HouseholdSummary>> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE h.commune_code = ?1 AND (?2 IS NULL OR h.hamlet_code = ?2)
             ORDER BY h.search_text, h.id LIMIT ?3 OFFSET ?4"
        );
        self.read(|c| query_summaries(c, &sql, &[&commune_code, &hamlet_code, &limit, &offset]))
    }

    /// Searches households by head name, address or phone, ignoring Vietnamese diacritics and
    /// case; each word of the query matches the start of any word. Optionally within an area.
    pub fn search_households(
        &self,
        query: &str,
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
        limit: u32,
    ) -> Result<Vec<HouseholdSummary>> {
        let Some(matcher) = fts_query(query) else {
            return match commune_code {
                Some(c) => self.list_households(c, hamlet_code, limit, 0),
                None => Ok(Vec::new()),
            };
        };
        let sql = format!(
            "{SUMMARY_SELECT} WHERE h.rowid IN (SELECT rowid FROM household_fts WHERE household_fts MATCH ?1)
               AND (?2 IS NULL OR h.commune_code = ?2) AND (?3 IS NULL OR h.hamlet_code = ?3)
             ORDER BY h.search_text, h.id LIMIT ?4"
        );
        self.read(|c| query_summaries(c, &sql, &[&matcher, &commune_code, &hamlet_code, &limit]))
    }

    /// One page of households, by name (the same order as [`Store::list_households`]): of a
    /// commune, or of every commune when `commune_code` is `None`, optionally of one hamlet.
    /// `after` is the previous page's `next` (`None` for the first page). Every household is on
    /// exactly one page however many there are; a `page_size` of 0 is taken as 1.
    pub fn list_households_page(
        &self,
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
        page_size: u32,
        after: Option<&str>,
    ) -> Result<HouseholdPage> {
        self.households_page(None, commune_code, hamlet_code, page_size, after)
    }

    /// One page of a search (see [`Store::search_households`]), paged like
    /// [`Store::list_households_page`]. An empty query lists the area's households, or nothing
    /// when no commune is given.
    pub fn search_households_page(
        &self,
        query: &str,
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
        page_size: u32,
        after: Option<&str>,
    ) -> Result<HouseholdPage> {
        match fts_query(query) {
            Some(matcher) => {
                self.households_page(Some(&matcher), commune_code, hamlet_code, page_size, after)
            }
            None if commune_code.is_some() => {
                self.households_page(None, commune_code, hamlet_code, page_size, after)
            }
            None => Ok(HouseholdPage {
                items: Vec::new(),
                next: None,
            }),
        }
    }

    fn households_page(
        &self,
        matcher: Option<&str>,
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
        page_size: u32,
        after: Option<&str>,
    ) -> Result<HouseholdPage> {
        let page_size = page_size.max(1);
        let (after_text, after_id) = match after {
            Some(c) => {
                let (text, id) = parse_cursor(c)?;
                (Some(text), Some(id))
            }
            None => (None, None),
        };
        let sql = format!(
            "{SUMMARY_SELECT_KEYED}
             WHERE (?1 IS NULL OR h.rowid IN (SELECT rowid FROM household_fts WHERE household_fts MATCH ?1))
               AND (?2 IS NULL OR h.commune_code = ?2) AND (?3 IS NULL OR h.hamlet_code = ?3)
               AND (?4 IS NULL OR (h.search_text, h.id) > (?4, ?5))
             ORDER BY h.search_text, h.id LIMIT ?6"
        );
        let limit = i64::from(page_size) + 1;
        let rows = self.read(|c| {
            query_keyed_summaries(
                c,
                &sql,
                &[
                    &matcher,
                    &commune_code,
                    &hamlet_code,
                    &after_text,
                    &after_id,
                    &limit,
                ],
            )
        })?;
        Ok(into_page(rows, page_size as usize))
    }

    /// Households whose latest visit set a follow-up on or before `until` (overdue first).
    pub fn follow_ups_due(&self, until: NaiveDate) -> Result<Vec<FollowUp>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT v.id, v.follow_up_on FROM visits v
                 WHERE v.follow_up_on IS NOT NULL AND v.superseded_by IS NULL AND v.follow_up_on <= ?1
                   AND NOT EXISTS (SELECT 1 FROM visits w WHERE w.household_id = v.household_id
                                   AND w.superseded_by IS NULL AND w.started_at > v.started_at)
                 ORDER BY v.follow_up_on, v.id",
            )?;
            let rows = stmt.query_map(params![until.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (visit_id, day) = row?;
                let visit_id = Uuid::parse_str(&visit_id).map_err(|e| Error::Corrupt(e.to_string()))?;
                let sql = format!("{SUMMARY_SELECT} WHERE h.id = (SELECT household_id FROM visits WHERE id = ?1)");
                let household = query_summaries(c, &sql, &[&visit_id.to_string()])?
                    .pop()
                    .ok_or(Error::NotFound { kind: "household", id: visit_id })?;
                out.push(FollowUp {
                    household,
                    visit_id,
                    follow_up_on: NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| Error::Corrupt(e.to_string()))?,
                });
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn fts_query_folds_and_quotes_words() {
        assert_eq!(
            fts_query("Nguyễn  Văn-Ả").unwrap(),
            "\"nguyen\"* \"van\"* \"a\"*"
        );
        assert_eq!(fts_query("\" * ( -"), None);
        assert_eq!(
            fts_query("\" OR *").unwrap(),
            "\"or\"*",
            "operators are only words once quoted"
        );
    }
}
