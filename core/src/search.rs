//! Finding households: by area, by diacritic-insensitive search, and follow-ups due.

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::{text, VisitOutcome};
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
