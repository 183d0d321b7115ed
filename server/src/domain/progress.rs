//! Progress counted on the server: accepted records by server receipt time, in the deployment's
//! calendar (`crate::domain::calendar`). The arithmetic is the protocol's `TallyBuilder`, the same the phones use.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::*;
use uuid::Uuid;

use crate::db::{DbResult, Sql};
use crate::params;

/// Tally of a team's accepted records received between two Vietnamese calendar days.
pub fn team_tally(
    sql: &mut dyn Sql,
    team_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<Tally> {
    let (start, end) = crate::domain::calendar::day_range(from, to);
    let mut builder = TallyBuilder::new(services);
    let visits = sql.query(
        "SELECT v.body, h.hamlet_code FROM visits v JOIN households h ON h.id = v.household_id
         WHERE v.team_id = ? AND v.superseded_by IS NULL AND v.received_at >= ? AND v.received_at < ?",
        params![team_id, start, end],
    )?;
    for row in visits {
        let visit: Visit = row.json(0)?;
        builder.add_visit(&visit, row.opt_text(1).as_deref());
    }
    let sessions = sql.query(
        "SELECT body FROM sessions WHERE team_id = ? AND received_at >= ? AND received_at < ?",
        params![team_id, start, end],
    )?;
    for row in sessions {
        let s: OutreachSession = row.json(0)?;
        let hamlet =
            (tree.level(&s.area_code) == Some(&AreaLevel::Hamlet)).then_some(s.area_code.as_str());
        builder.add_session(&s, hamlet);
    }
    Ok(builder.finish())
}

/// How far each of a team's targets has got.
pub fn team_achievements(
    sql: &mut dyn Sql,
    team_id: Uuid,
    targets: &[Target],
    services: &[Service],
    tree: &AreaTree,
    now: DateTime<Utc>,
) -> DbResult<Vec<TargetAchievement>> {
    let mut by_period: HashMap<(NaiveDate, NaiveDate), Tally> = HashMap::new();
    let mut out = Vec::new();
    for t in targets.iter().filter(|t| t.team_id == Some(team_id)) {
        let tally = match by_period.entry((t.starts_on, t.ends_on)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(team_tally(
                sql,
                team_id,
                t.starts_on,
                t.ends_on,
                services,
                tree,
            )?),
        };
        out.push(TargetAchievement {
            target_id: t.id,
            achieved: tally.get(&t.indicator).unwrap_or(0),
            as_of: now,
        });
    }
    Ok(out)
}
