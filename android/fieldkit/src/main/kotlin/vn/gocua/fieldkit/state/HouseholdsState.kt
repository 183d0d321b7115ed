package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.FollowUpView
import uniffi.gocua_ffi.HouseholdSummaryView
import vn.gocua.fieldkit.FieldKit

data class HouseholdsState(
    val query: String = "",
    val communes: List<AreaView> = emptyList(),
    val hamlets: List<AreaView> = emptyList(),
    /** null: all hamlets of the team's communes. */
    val hamlet: String? = null,
    val results: List<HouseholdSummaryView> = emptyList(),
    val followUps: List<FollowUpView> = emptyList(),
    val loading: Boolean = false,
    val error: UiError? = null,
) {
    /** Names for codes (communes and hamlets), to show "Khu phố 1, Phường Bến Tre". */
    val areaNames: Map<String, String> get() = (communes + hamlets).associate { it.code to it.name }
}

/**
 * Households: search as you type (the core folds Vietnamese diacritics and case, so "nguyen van a"
 * finds "Nguyễn Văn Ả"), a hamlet filter, and the follow-ups that are due.
 */
class HouseholdsViewModel(
    private val kit: FieldKit,
    scope: CoroutineScope,
    /** Typing pauses this long before a search runs; earlier keystrokes' searches are cancelled. */
    private val debounceMs: Long = 200,
    private val limit: UInt = 100u,
) : StateHolder<HouseholdsState>(HouseholdsState(), scope, kit.io) {
    private var searchJob: Job? = null

    fun load(): Job = launch {
        set { it.copy(loading = true) }
        core {
            val communes = kit.profile.teamAreas()
            val hamlets = communes.flatMap { kit.profile.childAreas(it.code) }
            Triple(communes, hamlets, kit.profile.followUpsDue(null))
        }.onSuccess { (communes, hamlets, followUps) ->
            set { it.copy(communes = communes, hamlets = hamlets, followUps = followUps, error = null) }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
        refresh()
    }

    fun onQuery(q: String): Job {
        set { it.copy(query = q) }
        return restartSearch(debounceMs)
    }

    fun onHamlet(code: String?): Job {
        set { it.copy(hamlet = code) }
        return restartSearch(0)
    }

    private fun restartSearch(wait: Long): Job {
        searchJob?.cancel()
        return launch {
            if (wait > 0) delay(wait)
            refresh()
        }.also { searchJob = it }
    }

    private suspend fun refresh() {
        val s = current
        set { it.copy(loading = true) }
        core {
            if (s.query.isBlank()) {
                // No query: the households of the hamlet, or of every team commune.
                val hamletCommune = s.hamlets.firstOrNull { it.code == s.hamlet }?.parentCode
                val communes = if (hamletCommune != null) listOf(hamletCommune) else s.communes.map { it.code }
                communes.flatMap { kit.profile.listHouseholds(it, s.hamlet, limit, 0u) }
            } else {
                kit.profile.searchHouseholds(s.query, null, s.hamlet, limit)
            }
        }.onSuccess { r -> set { it.copy(results = r, loading = false, error = null) } }
            .onFailure { e -> set { it.copy(loading = false, error = e.ui) } }
    }
}
