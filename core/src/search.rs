//! Finding households: by area, by diacritic-insensitive search, and follow-ups due.

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::{text, ValidationCode, ValidationError, ValidationErrors, VisitOutcome};
use rusqlite::{params, Connection, Row};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::millis::from_millis;
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

fn invalid_cursor() -> Error {
    Error::Validation(ValidationErrors(vec![ValidationError {
        field: "cursor".into(),
        code: ValidationCode::InvalidFormat,
        message_vi: "Không đọc được vị trí của trang danh sách; hãy tải lại danh sách.".into(),
        message_en: "The list position cannot be read; reload the list.".into(),
    }]))
}

pub(crate) fn parse_cursor(cursor: &str) -> Result<(String, String)> {
    let (id, text) = cursor.split_once(':').ok_or_else(invalid_cursor)?;
    let id = Uuid::parse_str(id).map_err(|_| invalid_cursor())?;
    Ok((text.to_owned(), id.to_string()))
}

/// The sort key and id a page starts after, both `None` for the first page.
pub(crate) fn split_cursor(after: Option<&str>) -> Result<(Option<String>, Option<String>)> {
    Ok(match after {
        Some(c) => {
            let (text, id) = parse_cursor(c)?;
            (Some(text), Some(id))
        }
        None => (None, None),
    })
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
    Ok(HouseholdSummary {
        id: crate::records::uuid(r.get(0)?)?,
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

/// The three FTS5 queries of a search, best tier first: every folded word is a whole word of the
/// head's name (`name : "hoa"`); every word starts a word of the name (`name : "hoa"*`), and not
/// the first; every word starts some word of name, address or phone, and not the second. So
/// "hoa" lists Nguyễn Thị Hòa, then Lê Hoàng Nam, then the households of Ấp Phú Hòa. Words are
/// letters and digits only after folding, so quoting is safe. `None` when there is no word.
fn tier_queries(query: &str) -> Option<[String; TIERS]> {
    let words = text::words(query);
    if words.is_empty() {
        return None;
    }
    let join =
        |term: &dyn Fn(&str) -> String| words.iter().map(|w| term(w)).collect::<Vec<_>>().join(" ");
    let name_words = join(&|w| format!("name : \"{w}\""));
    let name_prefixes = join(&|w| format!("name : \"{w}\"*"));
    let anywhere = join(&|w| format!("\"{w}\"*"));
    Some([
        name_words.clone(),
        format!("({name_prefixes}) NOT ({name_words})"),
        format!("({anywhere}) NOT ({name_prefixes})"),
    ])
}

/// Search tiers: whole name words, name word prefixes, anywhere.
const TIERS: usize = 3;

/// A search page ends at a tier as well: `id:tier:text`.
fn search_cursor_of(tier: usize, search_text: &str, id: &str) -> String {
    format!("{id}:{tier}:{search_text}")
}

fn parse_search_cursor(cursor: &str) -> Result<(usize, String, String)> {
    let (text, id) = parse_cursor(cursor)?;
    let (tier, text) = text.split_once(':').ok_or_else(invalid_cursor)?;
    match tier.parse::<usize>() {
        Ok(n) if n < TIERS && tier.len() == 1 => Ok((n, text.to_owned(), id)),
        _ => Err(invalid_cursor()),
    }
}

/// Below this many matches in a tier, the matching rows are read and sorted; above it, the
/// sort index is walked and stops at the page's end (reading only the rows shown). Reading a row
/// costs about as much as an index page, and a page of the walk covers ~35 households.
const READ_MATCHES_BELOW: i64 = 200;

/// The household columns with the sort key, from `households h` read as `access` says
/// (`INDEXED BY …` or `NOT INDEXED`).
fn keyed_select(access: &str) -> String {
    format!(
        "SELECT h.id, h.commune_code, h.hamlet_code, h.head_name, h.address_line, h.phone, h.members, h.erased,
                lv.started_at, lv.outcome, lv.follow_up_on, h.search_text
         FROM households h {access}
         LEFT JOIN visits lv ON lv.id = (
             SELECT v.id FROM visits v WHERE v.household_id = h.id AND v.superseded_by IS NULL
             ORDER BY v.started_at DESC LIMIT 1)"
    )
}

/// Up to `limit` households of one tier, in name order, after `after` (sort key and id).
fn tier_rows(
    conn: &Connection,
    matcher: &str,
    commune_code: Option<&str>,
    hamlet_code: Option<&str>,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<(HouseholdSummary, String)>> {
    let matches: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM household_fts WHERE household_fts MATCH ?1 LIMIT ?2)",
        )?
        .query_row(params![matcher, READ_MATCHES_BELOW], |r| r.get(0))?;
    if matches == 0 {
        return Ok(Vec::new());
    }
    let (access, hamlet) = if matches < READ_MATCHES_BELOW {
        ("NOT INDEXED", "(?3 IS NULL OR h.hamlet_code = ?3)")
    } else if hamlet_code.is_some() {
        // Only the hamlet's entries, in order (a plain equality, so the index can seek it).
        ("INDEXED BY households_hamlet_search", "h.hamlet_code = ?3")
    } else {
        ("INDEXED BY households_search", "?3 IS NULL")
    };
    // The position as a plain range (no `?4 IS NULL OR …`), so the walk starts there.
    let position = if after.is_some() {
        "AND (h.search_text, h.id) > (?4, ?5)"
    } else {
        "AND ?4 IS NULL AND ?5 IS NULL"
    };
    let sql = format!(
        "{}
         WHERE h.rowid IN (SELECT rowid FROM household_fts WHERE household_fts MATCH ?1)
           AND (?2 IS NULL OR h.commune_code = ?2) AND {hamlet}
           {position}
         ORDER BY h.search_text, h.id LIMIT ?6",
        keyed_select(access)
    );
    let (after_text, after_id) = after.unzip();
    query_keyed_summaries(
        conn,
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
}

/// Up to `limit` matches in ranked order (tier, then name), after `after` (tier, sort key, id),
/// each with its sort key and tier.
fn ranked_rows(
    conn: &Connection,
    tiers: &[String; TIERS],
    commune_code: Option<&str>,
    hamlet_code: Option<&str>,
    after: Option<(usize, &str, &str)>,
    limit: i64,
) -> Result<Vec<(HouseholdSummary, String, usize)>> {
    let first = after.map_or(0, |(tier, _, _)| tier);
    let mut rows = Vec::new();
    for (tier, matcher) in tiers.iter().enumerate().skip(first) {
        let left = limit - rows.len() as i64;
        if left <= 0 {
            break;
        }
        let position = after
            .filter(|(t, _, _)| *t == tier)
            .map(|(_, text, id)| (text, id));
        let found = tier_rows(conn, matcher, commune_code, hamlet_code, position, left)?;
        rows.extend(found.into_iter().map(|(h, key)| (h, key, tier)));
    }
    Ok(rows)
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
    /// Ranked: households whose head's name has every word whole first, then those whose name
    /// has every word as a prefix, then matches by address or phone; by name within each.
    pub fn search_households(
        &self,
        query: &str,
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
        limit: u32,
    ) -> Result<Vec<HouseholdSummary>> {
        let Some(tiers) = tier_queries(query) else {
            return match commune_code {
                Some(c) => self.list_households(c, hamlet_code, limit, 0),
                None => Ok(Vec::new()),
            };
        };
        let rows = self
            .read(|c| ranked_rows(c, &tiers, commune_code, hamlet_code, None, i64::from(limit)))?;
        Ok(rows.into_iter().map(|(h, _, _)| h).collect())
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
        self.households_page(commune_code, hamlet_code, page_size, after)
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
        match tier_queries(query) {
            Some(tiers) => self.search_page(&tiers, commune_code, hamlet_code, page_size, after),
            None if commune_code.is_some() => {
                self.households_page(commune_code, hamlet_code, page_size, after)
            }
            None => Ok(HouseholdPage {
                items: Vec::new(),
                next: None,
            }),
        }
    }

    fn search_page(
        &self,
        tiers: &[String; TIERS],
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
        page_size: u32,
        after: Option<&str>,
    ) -> Result<HouseholdPage> {
        let page_size = page_size.max(1) as usize;
        let after = after.map(parse_search_cursor).transpose()?;
        let after = after
            .as_ref()
            .map(|(tier, text, id)| (*tier, text.as_str(), id.as_str()));
        let mut rows = self.read(|c| {
            ranked_rows(
                c,
                tiers,
                commune_code,
                hamlet_code,
                after,
                page_size as i64 + 1,
            )
        })?;
        let more = rows.len() > page_size;
        rows.truncate(page_size);
        let next = if more {
            rows.last()
                .map(|(h, key, tier)| search_cursor_of(*tier, key, &h.id.to_string()))
        } else {
            None
        };
        Ok(HouseholdPage {
            items: rows.into_iter().map(|(h, _, _)| h).collect(),
            next,
        })
    }

    fn households_page(
        &self,
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
        page_size: u32,
        after: Option<&str>,
    ) -> Result<HouseholdPage> {
        let page_size = page_size.max(1);
        let (after_text, after_id) = split_cursor(after)?;
        let sql = format!(
            "{SUMMARY_SELECT_KEYED}
             WHERE (?1 IS NULL OR h.commune_code = ?1) AND (?2 IS NULL OR h.hamlet_code = ?2)
               AND (?3 IS NULL OR (h.search_text, h.id) > (?3, ?4))
             ORDER BY h.search_text, h.id LIMIT ?5"
        );
        self.keyed_page(
            &sql,
            &[&commune_code, &hamlet_code, &after_text, &after_id],
            page_size,
        )
    }

    /// One page of `page_size` households: `sql` selects [`SUMMARY_SELECT_KEYED`] rows ordered by
    /// their sort key, with `args` and then the row limit (one more than a page) as parameters.
    pub(crate) fn keyed_page(
        &self,
        sql: &str,
        args: &[&dyn rusqlite::ToSql],
        page_size: u32,
    ) -> Result<HouseholdPage> {
        let limit = i64::from(page_size) + 1;
        let mut all = args.to_vec();
        all.push(&limit);
        let rows = self.read(|c| query_keyed_summaries(c, sql, &all))?;
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
    use super::{parse_search_cursor, search_cursor_of, tier_queries};

    #[test]
    fn tier_queries_fold_and_quote_words() {
        assert_eq!(
            tier_queries("Nguyễn  Văn-Ả").unwrap(),
            [
                "name : \"nguyen\" name : \"van\" name : \"a\"",
                "(name : \"nguyen\"* name : \"van\"* name : \"a\"*) NOT (name : \"nguyen\" name : \"van\" name : \"a\")",
                "(\"nguyen\"* \"van\"* \"a\"*) NOT (name : \"nguyen\"* name : \"van\"* name : \"a\"*)",
            ]
        );
        assert_eq!(tier_queries("\" * ( -"), None);
        assert_eq!(
            tier_queries("\" OR *").unwrap()[0],
            "name : \"or\"",
            "operators are only words once quoted"
        );
    }

    #[test]
    fn search_cursors_round_trip_and_bad_ones_are_refused() {
        let id = "0190f000-0000-7000-8000-0000000000b1";
        let c = search_cursor_of(2, "an van tu ap phu hoa", id);
        assert_eq!(
            parse_search_cursor(&c).unwrap(),
            (2, "an van tu ap phu hoa".to_owned(), id.to_owned())
        );
        for bad in [
            format!("{id}:an van tu"),
            format!("{id}:3:an van tu"),
            format!("{id}:x:an"),
            "not a cursor".to_owned(),
        ] {
            assert!(parse_search_cursor(&bad).is_err(), "{bad}");
        }
    }
}
