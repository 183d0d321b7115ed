//! What a dashboard account may administer. *Where* it may act is the subtree rule (every unit,
//! team or account id is checked to lie in the account's own unit's subtree, `web::scope`); this
//! file says *which tasks* a role may do there, which roles it may give, and at which units it
//! may manage accounts. The CLI is the server's operator and is not limited by it.

use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use crate::domain::accounts::Role;

/// A kind of administration task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Create units under one's own or below; rename, move, deactivate units below one's own.
    Units,
    /// Teams, the areas they work in, their leader and members; enrolment codes.
    Teams,
    /// Dashboard accounts (see [`may_manage_account_at`]).
    Accounts,
    /// Campaigns are shared by the whole server: only accounts of a top unit.
    Campaigns,
    /// Hamlets of the communes a unit of one's subtree answers for.
    Hamlets,
    /// The service catalogue is shared by the whole server: only a top unit's administrators.
    Catalogue,
    /// Targets of the teams in one's subtree, by form or by the bulk sheet.
    Targets,
}

/// Whether `role`, held at a top unit (no parent) or not, may do `task` at all.
pub fn may(role: Role, at_top_unit: bool, task: Task) -> bool {
    match (role, task) {
        (Role::Viewer, _) => false,
        (_, Task::Campaigns) => at_top_unit,
        (Role::Admin, Task::Catalogue) => at_top_unit,
        (Role::Coordinator, Task::Catalogue) => false,
        (Role::Admin | Role::Coordinator, _) => true,
    }
}

/// The roles an account may give: its own and those below it, never one above.
pub fn grantable_roles(role: Role) -> &'static [Role] {
    match role {
        Role::Admin => &[Role::Admin, Role::Coordinator, Role::Viewer],
        Role::Coordinator => &[Role::Coordinator, Role::Viewer],
        Role::Viewer => &[],
    }
}

/// Whether an account (`role` at `own_unit`) may create, reset, lock or deactivate an account
/// of `target_role` at `target_unit`. Administrators act at their own unit and below;
/// coordinators only strictly below their own unit (never on their peers); nobody on a role
/// above their own. `within(unit, ancestor)` is the tree's subtree test. Acting on one's own
/// account is refused by the caller (an account cannot lock or deactivate itself).
pub fn may_manage_account_at(
    role: Role,
    own_unit: Uuid,
    target_role: Role,
    target_unit: Uuid,
    within: impl Fn(Uuid, Uuid) -> bool,
) -> bool {
    if !grantable_roles(role).contains(&target_role) || !within(target_unit, own_unit) {
        return false;
    }
    match role {
        Role::Admin => true,
        Role::Coordinator => target_unit != own_unit,
        Role::Viewer => false,
    }
}

// units
/// A change to a unit, as far as permissions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitChange {
    Rename,
    Area,
    Move,
    Deactivate,
    Reactivate,
}

/// Whether an account may make `change` to its *own* unit (units below it are its to change in
/// every way, given [`Task::Units`]). An administrator may rename it; only the top unit's
/// administrators may change its area, since a unit's area widens what its accounts reach
/// (another unit's area is always bounded by its parent's). Nobody moves, deactivates or
/// reactivates the unit their own account belongs to.
pub fn may_change_own_unit(role: Role, at_top_unit: bool, change: UnitChange) -> bool {
    match change {
        UnitChange::Rename => role == Role::Admin,
        UnitChange::Area => role == Role::Admin && at_top_unit,
        UnitChange::Move | UnitChange::Deactivate | UnitChange::Reactivate => false,
    }
}

/// Refuses a change an account may not make to its own unit (`own_unit_fixed`; see
/// [`may_change_own_unit`]).
pub fn check_own_unit_change(role: Role, at_top_unit: bool, change: UnitChange) -> AdminResult<()> {
    if may_change_own_unit(role, at_top_unit, change) {
        return Ok(());
    }
    let (vi, en) = match change {
        UnitChange::Rename => ("Chỉ tài khoản quản trị mới đổi tên được đơn vị của mình.", "Only an administrator may rename their own unit."),
        UnitChange::Area => ("Chỉ tài khoản quản trị của đơn vị cấp cao nhất mới đổi được địa bàn của đơn vị mình.", "Only the top unit's administrators may change their own unit's area."),
        UnitChange::Move | UnitChange::Deactivate | UnitChange::Reactivate => (
            "Không thể chuyển hay ngừng hoạt động đơn vị của chính tài khoản mình; đơn vị cấp trên làm việc này.",
            "You cannot move or deactivate the unit your own account belongs to; the unit above does that.",
        ),
    };
    Err(AdminError::invalid(vi, en).with_code("own_unit_fixed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_administer_nothing() {
        for task in [
            Task::Units,
            Task::Teams,
            Task::Accounts,
            Task::Campaigns,
            Task::Hamlets,
            Task::Catalogue,
            Task::Targets,
        ] {
            assert!(!may(Role::Viewer, true, task), "{task:?}");
        }
    }

    #[test]
    fn shared_things_belong_to_the_top_unit() {
        assert!(may(Role::Coordinator, true, Task::Campaigns));
        assert!(!may(Role::Coordinator, false, Task::Campaigns));
        assert!(!may(Role::Admin, false, Task::Campaigns));
        assert!(may(Role::Admin, true, Task::Catalogue));
        assert!(!may(Role::Admin, false, Task::Catalogue));
        assert!(!may(Role::Coordinator, true, Task::Catalogue));
        assert!(may(Role::Coordinator, false, Task::Hamlets));
    }

    #[test]
    fn no_role_above_ones_own() {
        assert!(!grantable_roles(Role::Coordinator).contains(&Role::Admin));
        assert!(grantable_roles(Role::Viewer).is_empty());
    }

    #[test]
    fn coordinators_manage_accounts_strictly_below_themselves() {
        let (province, commune, other) =
            (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        // commune lies under province; other is elsewhere.
        let within = |u: Uuid, a: Uuid| u == a || (u == commune && a == province);
        let c = Role::Coordinator;
        assert!(may_manage_account_at(
            c,
            province,
            Role::Viewer,
            commune,
            within
        ));
        assert!(!may_manage_account_at(
            c,
            province,
            Role::Viewer,
            province,
            within
        ));
        assert!(!may_manage_account_at(
            c,
            province,
            Role::Admin,
            commune,
            within
        ));
        assert!(!may_manage_account_at(
            c,
            province,
            Role::Viewer,
            other,
            within
        ));
        assert!(!may_manage_account_at(
            c,
            commune,
            Role::Viewer,
            province,
            within
        ));
        let a = Role::Admin;
        assert!(may_manage_account_at(
            a,
            province,
            Role::Admin,
            province,
            within
        ));
        assert!(!may_manage_account_at(
            a,
            commune,
            Role::Coordinator,
            province,
            within
        ));
    }

    #[test]
    fn ones_own_unit_is_renamed_by_an_admin_and_never_moved() {
        use UnitChange::*;
        assert!(may_change_own_unit(Role::Admin, false, Rename));
        assert!(!may_change_own_unit(Role::Coordinator, true, Rename));
        assert!(may_change_own_unit(Role::Admin, true, Area));
        assert!(!may_change_own_unit(Role::Admin, false, Area));
        for change in [Move, Deactivate, Reactivate] {
            assert!(
                !may_change_own_unit(Role::Admin, true, change),
                "{change:?}"
            );
        }
    }
}
