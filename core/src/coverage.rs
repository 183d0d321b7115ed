//! Which households of an area the current campaign has not reached yet ("Chưa đến"), and how
//! many it has ("Đã đến 12/40 hộ").

use crate::error::Result;
use crate::search::{split_cursor, HouseholdPage, SUMMARY_SELECT_KEYED};
use crate::store::Store;

/// How far the current campaign has got in an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// Households of the area, erased ones left out.
    pub households: u32,
    /// Those of them with a current visit inside the campaign running today (any visit at all
    /// when no campaign is running).
    pub visited: u32,
    /// `households - visited`: the length of the "not yet visited" list.
    pub not_visited: u32,
}

/// A household counts as reached when one of its current (not superseded) visits started in
/// `[?3, ?4)`: both queries bind the campaign's span (UTC milliseconds) there.
const REACHED: &str = "EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id
     AND v.superseded_by IS NULL AND v.started_at >= ?3 AND v.started_at < ?4)";

impl Store {
    /// The span, in UTC milliseconds, of the campaign running today in the deployment's calendar;
    /// all time when no campaign is running (then any visit counts).
    pub(crate) fn campaign_span_millis(&self) -> Result<(i64, i64)> {
        let cache = self.reference_cache()?;
        let today = cache.calendar.day_of(self.clock.now());
        Ok(match cache.campaign_on(today) {
            Some(c) => {
                let (start, end) = cache.calendar.day_range(c.starts_on, c.ends_on);
                (start.timestamp_millis(), end.timestamp_millis())
            }
            None => (i64::MIN, i64::MAX),
        })
    }

    /// One page of the area's households (erased ones left out) that have no current visit in
    /// the campaign running today, or no visit at all when none is running. Ordered and paged like
    /// [`Store::list_households_page`]: `after` is the previous page's `next`, and every such
    /// household is on exactly one page; a `page_size` of 0 is taken as 1.
    pub fn households_not_visited(
        &self,
        commune_code: &str,
        hamlet_code: Option<&str>,
        page_size: u32,
        after: Option<&str>,
    ) -> Result<HouseholdPage> {
        let page_size = page_size.max(1);
        let (after_text, after_id) = split_cursor(after)?;
        let (s, e) = self.campaign_span_millis()?;
        let sql = format!(
            "{SUMMARY_SELECT_KEYED}
             WHERE h.commune_code = ?1 AND (?2 IS NULL OR h.hamlet_code = ?2)
               AND NOT h.erased AND NOT {REACHED}
               AND (?5 IS NULL OR (h.search_text, h.id) > (?5, ?6))
             ORDER BY h.search_text, h.id LIMIT ?7"
        );
        self.keyed_page(
            &sql,
            &[&commune_code, &hamlet_code, &s, &e, &after_text, &after_id],
            page_size,
        )
    }

    /// How many of the area's households (erased ones left out) the campaign running today has
    /// reached: the complement of [`Store::households_not_visited`]. Without a commune: every
    /// household on this phone (the team's), so no app adds communes up itself.
    pub fn coverage(
        &self,
        commune_code: Option<&str>,
        hamlet_code: Option<&str>,
    ) -> Result<Coverage> {
        let (s, e) = self.campaign_span_millis()?;
        let sql = format!(
            "SELECT COUNT(*), COALESCE(SUM({REACHED}), 0) FROM households h
             WHERE (?1 IS NULL OR h.commune_code = ?1) AND (?2 IS NULL OR h.hamlet_code = ?2)
               AND NOT h.erased"
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let (households, visited) = stmt
                .query_row(rusqlite::params![commune_code, hamlet_code, s, e], |r| {
                    Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?))
                })?;
            Ok(Coverage {
                households,
                visited,
                not_visited: households.saturating_sub(visited),
            })
        })
    }
}
