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
    /** Newest first. */
    val visits: List<VisitView> = emptyList(),
    /** service key → (Vietnamese name, English name). */
    val serviceNames: Map<String, Pair<String, String>> = emptyMap(),
    val error: UiError? = null,
)

/** One household and its visit history. */
class HouseholdDetailViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<HouseholdDetailState>(HouseholdDetailState(), scope, kit.io) {

    fun load(householdId: String): Job = launch {
        core {
            val h = kit.profile.household(householdId)
            val communes = kit.profile.teamAreas()
            val commune = communes.firstOrNull { it.code == h.communeCode }
            val hamlet = h.hamletCode?.let { code -> kit.profile.childAreas(h.communeCode).firstOrNull { it.code == code } }
            HouseholdDetailState(
                household = h,
                place = listOfNotNull(hamlet?.name, commune?.name ?: h.communeCode).joinToString(", "),
                visits = kit.profile.householdVisits(householdId).sortedByDescending { it.startedAtMs },
                serviceNames = kit.profile.services().associate { it.key to (it.nameVi to it.nameEn) },
            )
        }.onSuccess { s -> set { s } }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }
}
