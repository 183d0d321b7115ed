package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.VisitView
import vn.gocua.fieldkit.FieldKit

data class HouseholdDetailState(
    val household: HouseholdView? = null,
    /** "Khu phố 1, Phường Bến Tre". */
    val place: String = "",
    /** Newest first, as the core lists them; each assist carries its service's names. */
    val visits: List<VisitView> = emptyList(),
    val error: UiError? = null,
)

/** One household and its visit history. */
class HouseholdDetailViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<HouseholdDetailState>(HouseholdDetailState(), scope, kit.io) {

    fun load(householdId: String): Job = launch {
        core {
            val h = kit.profile.household(householdId)
            val commune = kit.profile.teamAreas().firstOrNull { it.code == h.communeCode }
            val hamlet = h.hamletCode?.let { code -> kit.profile.childAreas(h.communeCode).firstOrNull { it.code == code } }
            HouseholdDetailState(
                household = h,
                place = listOfNotNull(hamlet?.name, commune?.name ?: h.communeCode).joinToString(", "),
                visits = kit.profile.householdVisits(householdId),
            )
        }.onSuccess { s -> set { s } }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /**
     * "Xóa dữ liệu cá nhân" on the person's request: the core blanks the name, address, phone and
     * the visits' notes and locations, keeps the anonymous counts, and queues the change so the
     * server erases its copy too.
     */
    fun erase(): Job = launch {
        val id = current.household?.id ?: return@launch
        core { kit.profile.eraseHouseholdPersonalData(id) }
            .onSuccess { kit.requestSyncSoon(); load(id).join() }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }
}
