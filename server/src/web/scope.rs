//! The organisation tree as the dashboard sees it, and the rule that a coordinator reaches only
//! their own unit's subtree. Every id taken from a URL or a form goes through here.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use uuid::Uuid;

use crate::db::{DbResult, Sql};
use crate::web::error::WebError;

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<Uuid>,
    /// Not deactivated: offered for new work (accounts, teams, units below it).
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct TeamNode {
    pub id: Uuid,
    pub name: String,
    pub org_unit_id: Uuid,
    /// Deactivated teams stay in the tree: their records and past figures stay visible.
    pub deactivated_at: Option<DateTime<Utc>>,
}

pub struct OrgTree {
    pub units: HashMap<Uuid, Unit>,
    pub teams: HashMap<Uuid, TeamNode>,
    children: HashMap<Uuid, Vec<Uuid>>,
    unit_teams: HashMap<Uuid, Vec<Uuid>>,
}

impl OrgTree {
    pub fn load(sql: &mut dyn Sql) -> DbResult<OrgTree> {
        let mut units = HashMap::new();
        let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for r in sql.query(
            "SELECT id, name, kind, parent_id, deactivated_at FROM org_units",
            &[],
        )? {
            let u = Unit {
                id: r.uuid(0)?,
                name: r.text(1),
                kind: r.text(2),
                parent_id: r.opt_uuid(3)?,
                active: r.opt_time(4).is_none(),
            };
            if let Some(p) = u.parent_id {
                children.entry(p).or_default().push(u.id);
            }
            units.insert(u.id, u);
        }
        let mut teams = HashMap::new();
        let mut unit_teams: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for r in sql.query(
            "SELECT id, name, org_unit_id, deactivated_at FROM teams",
            &[],
        )? {
            let t = TeamNode {
                id: r.uuid(0)?,
                name: r.text(1),
                org_unit_id: r.uuid(2)?,
                deactivated_at: r.opt_time(3),
            };
            unit_teams.entry(t.org_unit_id).or_default().push(t.id);
            teams.insert(t.id, t);
        }
        let by_name = |ids: &mut Vec<Uuid>, name: &dyn Fn(&Uuid) -> String| {
            ids.sort_by_cached_key(|id| crate::web::text::sort_key(&name(id)));
        };
        for ids in children.values_mut() {
            by_name(ids, &|id| units[id].name.clone());
        }
        for ids in unit_teams.values_mut() {
            by_name(ids, &|id| teams[id].name.clone());
        }
        Ok(OrgTree {
            units,
            teams,
            children,
            unit_teams,
        })
    }

    /// Leaves teams deactivated before `day` out of the units' team lists (a campaign starting
    /// on `day` never had them); they stay reachable by id.
    pub fn leave_out_teams_deactivated_before(&mut self, day: NaiveDate) {
        let teams = &self.teams;
        for ids in self.unit_teams.values_mut() {
            ids.retain(|id| {
                teams[id]
                    .deactivated_at
                    .is_none_or(|at| crate::domain::calendar::day_of(at) >= day)
            });
        }
    }

    pub fn child_units(&self, unit: Uuid) -> &[Uuid] {
        self.children.get(&unit).map_or(&[], Vec::as_slice)
    }

    pub fn direct_teams(&self, unit: Uuid) -> &[Uuid] {
        self.unit_teams.get(&unit).map_or(&[], Vec::as_slice)
    }

    /// Every team in a unit's subtree.
    pub fn subtree_teams(&self, unit: Uuid) -> Vec<Uuid> {
        let mut out = Vec::new();
        let mut stack = vec![unit];
        while let Some(u) = stack.pop() {
            out.extend_from_slice(self.direct_teams(u));
            stack.extend_from_slice(self.child_units(u));
        }
        out
    }

    /// Whether `unit` is `ancestor` or lies below it.
    pub fn unit_within(&self, unit: Uuid, ancestor: Uuid) -> bool {
        let mut current = Some(unit);
        let mut steps = 0;
        while let Some(u) = current {
            if u == ancestor {
                return true;
            }
            steps += 1;
            if steps > 64 {
                return false;
            }
            current = self.units.get(&u).and_then(|x| x.parent_id);
        }
        false
    }

    pub fn team_within(&self, team: Uuid, ancestor: Uuid) -> bool {
        self.teams
            .get(&team)
            .is_some_and(|t| self.unit_within(t.org_unit_id, ancestor))
    }

    /// The units from `top` down to `unit` (for breadcrumbs).
    pub fn path(&self, unit: Uuid, top: Uuid) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut current = Some(unit);
        while let Some(u) = current {
            let Some(node) = self.units.get(&u) else {
                break;
            };
            out.push(node);
            if u == top || out.len() > 64 {
                break;
            }
            current = node.parent_id;
        }
        out.reverse();
        out
    }

    /// A unit the user may see, or the refusal every out-of-scope id gets.
    pub fn unit_in_scope(&self, unit: Uuid, scope: Uuid) -> Result<&Unit, WebError> {
        match self.units.get(&unit) {
            Some(u) if self.unit_within(unit, scope) => Ok(u),
            _ => Err(WebError::NotInScope),
        }
    }

    pub fn team_in_scope(&self, team: Uuid, scope: Uuid) -> Result<&TeamNode, WebError> {
        match self.teams.get(&team) {
            Some(t) if self.team_within(team, scope) => Ok(t),
            _ => Err(WebError::NotInScope),
        }
    }
}
