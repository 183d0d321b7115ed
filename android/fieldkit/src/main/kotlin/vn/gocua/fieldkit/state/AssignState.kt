package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.HouseholdSummaryView
import uniffi.gocua_ffi.TeamMemberView
import uniffi.gocua_ffi.WalkItemView
import vn.gocua.fieldkit.FieldKit

/**
 * The leader's walk-list screen: pick a member, then a hamlet of the team's communes or one
 * household, and assign; the team's current assignments with "revoke". Every rule (only the
 * leader, a member of the team, a hamlet of the team's areas, a running campaign) is the core's;
 * a refusal comes back as [error] with its code.
 */
data class AssignState(
    val members: List<TeamMemberView> = emptyList(),
    val hamlets: List<AreaView> = emptyList(),
    /** The team's households on this phone (first page), for a one-household assignment. */
    val households: List<HouseholdSummaryView> = emptyList(),
    val assignments: List<WalkItemView> = emptyList(),
    val member: String? = null,
    val hamlet: AreaView? = null,
    val household: String? = null,
    val saving: Boolean = false,
    /** The assignment just made, for a confirmation. */
    val assigned: WalkItemView? = null,
    val error: UiError? = null,
) {
    /** A member and exactly one target chosen. */
    val canAssign: Boolean get() = !saving && member != null && ((hamlet != null) != (household != null))
}

class AssignViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<AssignState>(AssignState(), scope, kit.io) {

    private val lang get() = kit.settings.settings.value.lang

    fun load(): Job = launch {
        core {
            val communes = kit.profile.teamAreas()
            Loaded(
                members = kit.profile.teamMembers(lang),
                hamlets = communes.flatMap { kit.profile.childAreas(it.code) },
                households = kit.profile.listHouseholds(pageSize = 100u).items,
                assignments = kit.profile.teamAssignments(lang),
            )
        }.onSuccess { l ->
            set { it.copy(members = l.members, hamlets = l.hamlets, households = l.households, assignments = l.assignments, error = null) }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
    }

    fun onMember(id: String?) = set { it.copy(member = id, assigned = null, error = null) }

    /** A hamlet replaces a chosen household (one target per assignment). */
    fun onHamlet(area: AreaView?) = set { it.copy(hamlet = area, household = if (area != null) null else it.household, assigned = null, error = null) }

    fun onHousehold(id: String?) = set { it.copy(household = id, hamlet = if (id != null) null else it.hamlet, assigned = null, error = null) }

    fun assign(): Job = launch {
        val s = current
        val member = s.member ?: return@launch
        set { it.copy(saving = true, error = null) }
        core {
            val hamlet = s.hamlet
            val made = if (hamlet != null) {
                kit.profile.assignHamlet(member, hamlet.parentCode.orEmpty(), hamlet.code, lang)
            } else {
                kit.profile.assignHousehold(member, s.household.orEmpty(), lang)
            }
            made to kit.profile.teamAssignments(lang)
        }.onSuccess { (made, list) ->
            set { it.copy(saving = false, assigned = made, assignments = list, hamlet = null, household = null) }
            kit.requestSyncSoon()
        }.onFailure { e -> set { it.copy(saving = false, error = e.ui) } }
    }

    fun revoke(id: String): Job = launch {
        core {
            kit.profile.revokeAssignment(id)
            kit.profile.teamAssignments(lang)
        }.onSuccess { list ->
            set { it.copy(assignments = list, assigned = null, error = null) }
            kit.requestSyncSoon()
        }.onFailure { e -> set { it.copy(error = e.ui) } }
    }

    private data class Loaded(
        val members: List<TeamMemberView>,
        val hamlets: List<AreaView>,
        val households: List<HouseholdSummaryView>,
        val assignments: List<WalkItemView>,
    )
}
