package vn.gocua.fieldkit.state

import java.time.Instant
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.HouseholdView
import uniffi.gocua_ffi.VisitDraft
import uniffi.gocua_ffi.VisitView
import uniffi.gocua_ffi.defaultPeopleReached
import uniffi.gocua_protocol.VisitOutcome
import vn.gocua.fieldkit.FieldKit

data class HouseholdDetailState(
    val household: HouseholdView? = null,
    /** "Khu phố 1, Phường Bến Tre". */
    val place: String = "",
    /** Newest first, as the core lists them; each assist carries its service's names. */
    val visits: List<VisitView> = emptyList(),
    val error: UiError? = null,
    /** A one-tap "Không có nhà" is being recorded (the button waits: one tap, one visit). */
    val recordingNotHome: Boolean = false,
    /** The not-home visit just recorded in one tap, for the page to confirm it. */
    val notHomeSaved: VisitView? = null,
)

/** One household and its visit history. */
class HouseholdDetailViewModel(
    private val kit: FieldKit,
    scope: CoroutineScope,
    /** "Now", for when the one-tap visit happened; the core decides what day that is. */
    private val clock: () -> Instant = Instant::now,
) : StateHolder<HouseholdDetailState>(HouseholdDetailState(), scope, kit.io) {

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

    /**
     * "Không có nhà" in one tap, the commonest visit: recorded at once with what the core says a
     * not-home visit starts with (nobody reached, no service, no form to fill), queued, and
     * confirmed on the page. A mistaken tap is fixed like any visit, with "Sửa" on it.
     */
    fun recordNotHome(): Job {
        val id = current.household?.id ?: return Job().apply { complete() }
        // Taken at the tap, on the caller's thread: a second tap before the first is recorded
        // finds it taken and records nothing.
        if (!recording.compareAndSet(false, true)) return Job().apply { complete() }
        set { it.copy(recordingNotHome = true, notHomeSaved = null, error = null) }
        return launch {
            try {
                recordNotHome(id)
            } finally {
                recording.set(false)
            }
        }
    }

    private val recording = AtomicBoolean(false)

    private suspend fun recordNotHome(id: String) {
        val now = clock()
        val draft = VisitDraft(
            householdId = id, outcome = VisitOutcome.NotHome, peopleReached = defaultPeopleReached(VisitOutcome.NotHome),
            startedAt = now, endedAt = now,
        )
        core { kit.profile.recordVisit(draft) }
            .onSuccess { v ->
                kit.requestSyncSoon()
                load(id).join()
                set { it.copy(recordingNotHome = false, notHomeSaved = v) }
            }
            .onFailure { e -> set { it.copy(recordingNotHome = false, error = e.ui) } }
    }
}
