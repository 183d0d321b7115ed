package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import uniffi.gocua_ffi.AreaView
import uniffi.gocua_ffi.CoverageView
import uniffi.gocua_ffi.FollowUpView
import uniffi.gocua_ffi.HamletLeftView
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
    /**
     * "Chưa đến": the list shows the households the current campaign has not reached yet, of the
     * selected hamlet or of every team commune (the core decides what counts as reached).
     */
    val notVisited: Boolean = false,
    /**
     * "Chưa đến" over every team commune is listed one commune after another: the communes still
     * to list, the first being the one [next] continues. Empty otherwise.
     */
    val notVisitedCommunes: List<String> = emptyList(),
    /** How many households of the selected hamlet (or the team's communes) the campaign has reached. */
    val coverage: CoverageView? = null,
    /**
     * "Chưa đến" per hamlet: each hamlet of the team's communes with what is left of it in the
     * campaign running today, labelled by the core ("còn 12/40 hộ"); refreshed with [coverage].
     */
    val hamletsLeft: List<HamletLeftView> = emptyList(),
    val followUps: List<FollowUpView> = emptyList(),
    val loading: Boolean = false,
    val error: UiError? = null,
) {
    /** More households than those shown: the list offers "show more" ([HouseholdsViewModel.loadMore]). */
    val hasMore: Boolean get() = next != null || notVisitedCommunes.isNotEmpty()

    /** Households of the area not reached yet: the count on the "Chưa đến" chip. */
    val notVisitedCount: Long? get() = coverage?.notVisited?.toLong()

    /** Names for codes (communes and hamlets), to show "Khu phố 1, Phường Bến Tre". */
    val areaNames: Map<String, String> get() = (communes + hamlets).associate { it.code to it.name }
}

/**
 * Households: search as you type (the core folds Vietnamese diacritics and case, so "nguyen van a"
 * finds "Nguyễn Văn Ả"), a hamlet filter, and the follow-ups that are due. Lists come a page at a
 * time; [loadMore] appends the next page, so no household is ever out of reach. The "Chưa đến"
 * toggle ([onNotVisited]) lists the households the current campaign has not reached yet instead,
 * with the area's coverage count.
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
            val coverage = coverageOf(communes.map { it.code }, hamlets, current.hamlet)
            Loaded(communes, hamlets, kit.profile.followUpsDue(), coverage, kit.profile.hamletsLeft(lang))
        }.onSuccess { l ->
            set {
                it.copy(communes = l.communes, hamlets = l.hamlets, followUps = l.followUps, coverage = l.coverage, hamletsLeft = l.hamletsLeft, error = null)
            }
        }.onFailure { e -> set { it.copy(error = e.ui) } }
        restartSearch(0).join()
    }

    /** Typing a search leaves the "Chưa đến" list: a search looks through every household. */
    fun onQuery(q: String): Job {
        set { it.copy(query = q, notVisited = it.notVisited && q.isBlank()) }
        return restartSearch(debounceMs)
    }

    fun onHamlet(code: String?): Job {
        set { it.copy(hamlet = code) }
        val search = restartSearch(0)
        return launch {
            refreshCoverage()
            search.join()
        }
    }

    /** "Chưa đến" on or off; turning it on clears the search. */
    fun onNotVisited(on: Boolean): Job {
        set { it.copy(notVisited = on, query = if (on) "" else it.query) }
        val search = restartSearch(0)
        return launch {
            refreshCoverage()
            search.join()
        }
    }

    private suspend fun refreshCoverage() {
        val s = current
        core { coverageOf(s.communes.map { it.code }, s.hamlets, s.hamlet) to kit.profile.hamletsLeft(lang) }
            .onSuccess { (c, left) -> set { (if (it.hamlet == s.hamlet) it.copy(coverage = c) else it).copy(hamletsLeft = left) } }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /** Appends the next page of the current list or search; nothing when it is all there. */
    fun loadMore(): Job {
        val running = searchJob
        return launch {
            running?.join() // a first page still loading comes first
            val s = current
            if (!s.hasMore) return@launch
            val after = s.next
            set { it.copy(loading = true) }
            core { page(s, after) }
                .onSuccess { p ->
                    set {
                        // Only when the user did not change the list meanwhile.
                        if (it.query != s.query || it.hamlet != s.hamlet || it.notVisited != s.notVisited || it.next != after ||
                            it.notVisitedCommunes != s.notVisitedCommunes
                        ) it
                        else it.copy(results = it.results + p.items, next = p.next, notVisitedCommunes = p.communes, loading = false, error = null)
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
            core { page(s.copy(notVisitedCommunes = notVisitedCommunesOf(s)), null) }
                .onSuccess { p -> set { it.copy(results = p.items, next = p.next, notVisitedCommunes = p.communes, loading = false, error = null) } }
                .onFailure { e -> set { it.copy(loading = false, error = e.ui) } }
        }.also { searchJob = it }
    }

    /** A page and where the list goes on: the core's cursor, and the communes still to list ("Chưa đến"). */
    private class Page(val items: List<HouseholdSummaryView>, val next: String?, val communes: List<String>)

    private class Loaded(
        val communes: List<AreaView>,
        val hamlets: List<AreaView>,
        val followUps: List<FollowUpView>,
        val coverage: CoverageView?,
        val hamletsLeft: List<HamletLeftView>,
    )

    /** The reader's language, for the core's labels. */
    private val lang get() = kit.settings.settings.value.lang

    /** The communes "Chưa đến" goes through: the selected hamlet's, or every team commune. */
    private fun notVisitedCommunesOf(s: HouseholdsState): List<String> = when {
        !s.notVisited -> emptyList()
        s.hamlet == null -> s.communes.map { it.code }
        else -> listOfNotNull(s.hamlets.firstOrNull { it.code == s.hamlet }?.parentCode)
    }

    /** The core's coverage of the selected hamlet, or of all the team's households. */
    private fun coverageOf(communes: List<String>, hamlets: List<AreaView>, hamlet: String?): CoverageView? {
        if (hamlet != null) {
            val commune = hamlets.firstOrNull { it.code == hamlet }?.parentCode ?: return null
            return kit.profile.coverage(commune, hamletCode = hamlet)
        }
        if (communes.isEmpty()) return null
        return kit.profile.coverage()
    }

    /**
     * No query: the households of the hamlet, or of every team commune; else the core's search.
     * "Chưa đến": the core's not-visited pages of [HouseholdsState.notVisitedCommunes] in turn,
     * the next commune topping up a page the previous one left short.
     */
    private fun page(s: HouseholdsState, after: String?): Page {
        if (!s.notVisited) {
            val p = if (s.query.isBlank()) kit.profile.listHouseholds(hamletCode = s.hamlet, pageSize = pageSize, after = after)
            else kit.profile.searchHouseholds(s.query, hamletCode = s.hamlet, pageSize = pageSize, after = after)
            return Page(p.items, p.next, emptyList())
        }
        val items = mutableListOf<HouseholdSummaryView>()
        var communes = s.notVisitedCommunes
        var cursor = after
        while (communes.isNotEmpty() && items.size < pageSize.toInt()) {
            val p: HouseholdPage = kit.profile.householdsNotVisited(
                communes.first(), hamletCode = s.hamlet, pageSize = pageSize - items.size.toUInt(), after = cursor,
            )
            items += p.items
            if (p.next != null) return Page(items, p.next, communes)
            communes = communes.drop(1)
            cursor = null
        }
        return Page(items, null, communes)
    }
}
