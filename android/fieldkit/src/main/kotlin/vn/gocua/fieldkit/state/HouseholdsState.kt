package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.FollowUpView
import uniffi.gocua_ffi.HouseholdPage
import uniffi.gocua_ffi.HouseholdSummaryView
import vn.gocua.fieldkit.FieldKit

data class HouseholdsState(
    val query: String = "",
    val communes: List<AreaView> = emptyList(),
    val hamlets: List<AreaView> = emptyList(),
    /** null: all hamlets of the team's communes. */
    val hamlet: String? = null,
    /** The pages loaded so far, in the core's order. */
    val results: List<HouseholdSummaryView> = emptyList(),
    /** The core's cursor of the next page; null on the last page. */
    val next: String? = null,
    val followUps: List<FollowUpView> = emptyList(),
    val loading: Boolean = false,
    val error: UiError? = null,
) {
    /** More households than those shown: the list offers "show more" ([HouseholdsViewModel.loadMore]). */
    val hasMore: Boolean get() = next != null

    /** Names for codes (communes and hamlets), to show "Khu phố 1, Phường Bến Tre". */
    val areaNames: Map<String, String> get() = (communes + hamlets).associate { it.code to it.name }
}

/**
 * Households: search as you type (the core folds Vietnamese diacritics and case, so "nguyen van a"
 * finds "Nguyễn Văn Ả"), a hamlet filter, and the follow-ups that are due. Lists come a page at a
 * time; [loadMore] appends the next page, so no household is ever out of reach.
 */
class HouseholdsViewModel(
    private val kit: FieldKit,
    scope: CoroutineScope,
    /** Typing pauses this long before a search runs; earlier keystrokes' searches are cancelled. */
    private val debounceMs: Long = 200,
    private val pageSize: UInt = 50u,
) : StateHolder<HouseholdsState>(HouseholdsState(), scope, kit.io) {
    /** The search or page load running now; a new search cancels it. */
    private var searchJob: Job? = null

    fun load(): Job = launch {
        set { it.copy(loading = true) }
        core {
            val communes = kit.profile.teamAreas()
            val hamlets = communes.flatMap { kit.profile.childAreas(it.code) }
            Triple(communes, hamlets, kit.profile.followUpsDue())
        }.onSuccess { (communes, hamlets, followUps) ->
            set { it.copy(communes = communes, hamlets = hamlets, followUps = followUps, error = null) }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
        restartSearch(0).join()
    }

    fun onQuery(q: String): Job {
        set { it.copy(query = q) }
        return restartSearch(debounceMs)
    }

    fun onHamlet(code: String?): Job {
        set { it.copy(hamlet = code) }
        return restartSearch(0)
    }

    /** Appends the next page of the current list or search; nothing when it is all there. */
    fun loadMore(): Job {
        val running = searchJob
        return launch {
            running?.join() // a first page still loading comes first
            val s = current
            val after = s.next ?: return@launch
            set { it.copy(loading = true) }
            core { page(s.query, s.hamlet, after) }
                .onSuccess { p ->
                    set {
                        // Only when the user did not change the list meanwhile.
                        if (it.query != s.query || it.hamlet != s.hamlet || it.next != after) it
                        else it.copy(results = it.results + p.items, next = p.next, loading = false, error = null)
                    }
                }
                .onFailure { e -> set { it.copy(loading = false, error = e.ui) } }
        }.also { searchJob = it }
    }

    private fun restartSearch(wait: Long): Job {
        searchJob?.cancel()
        return launch {
            if (wait > 0) delay(wait)
            val s = current
            set { it.copy(loading = true) }
            core { page(s.query, s.hamlet, null) }
                .onSuccess { p -> set { it.copy(results = p.items, next = p.next, loading = false, error = null) } }
                .onFailure { e -> set { it.copy(loading = false, error = e.ui) } }
        }.also { searchJob = it }
    }

    /** No query: the households of the hamlet, or of every team commune; else the core's search. */
    private fun page(query: String, hamlet: String?, after: String?): HouseholdPage =
        if (query.isBlank()) kit.profile.listHouseholds(hamletCode = hamlet, pageSize = pageSize, after = after)
        else kit.profile.searchHouseholds(query, hamletCode = hamlet, pageSize = pageSize, after = after)
}
