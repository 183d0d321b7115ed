package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_core.SyncTrigger
import uniffi.gocua_ffi.ClockWarningView
import uniffi.gocua_ffi.DraftForm
import uniffi.gocua_ffi.CountsView
import uniffi.gocua_ffi.ProfileView
import uniffi.gocua_ffi.QueueStatusView
import uniffi.gocua_ffi.TargetProgressView
import uniffi.gocua_ffi.WalkItemView
import uniffi.gocua_ffi.decideSync
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.drafts.DraftBody
import vn.gocua.fieldkit.drafts.DraftItem
import vn.gocua.fieldkit.sync.SyncProgress

data class TodayState(
    val profile: ProfileView? = null,
    val counts: CountsView? = null,
    val targets: List<TargetProgressView> = emptyList(),
    val queue: QueueStatusView? = null,
    val clockWarning: ClockWarningView? = null,
    val sync: SyncProgress = SyncProgress(),
    /** The core's policy said to wait, but would send if the user insists ("send now on mobile data"). */
    val canForce: Boolean = false,
    val error: UiError? = null,
    /** "Danh sách của tôi": my hamlets and households in the running campaign, unfinished first. */
    val myList: List<WalkItemView> = emptyList(),
    /** The team leader also assigns (the Today screen offers it). */
    val isLeader: Boolean = false,
    /** "Bản nháp chưa lưu": forms left half-filled (the app was killed, or the volunteer left them), newest first. */
    val drafts: List<DraftItem> = emptyList(),
)

/** Today: counts against targets, the queue, the last sync and the sync button. */
class TodayViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<TodayState>(TodayState(), scope, kit.io) {

    init {
        launch { kit.sync.progress.collect { p -> set { it.copy(sync = p) } } }
    }

    fun load(): Job = launch {
        core {
            TodayState(
                profile = kit.profile.profile(),
                counts = kit.profile.myCounts(),
                targets = kit.profile.teamProgress(),
                queue = kit.profile.queueStatus(),
                clockWarning = kit.profile.clockWarning(),
                myList = kit.profile.myList(kit.settings.settings.value.lang),
                isLeader = kit.profile.isLeader(),
                drafts = drafts(),
            )
        }.onSuccess { s -> set { s.copy(sync = it.sync, canForce = it.canForce) } }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    /** The drafts the core keeps, each with a title from its own fields (a visit's: its household's head). */
    private fun drafts(): List<DraftItem> = DraftForm.entries.flatMap { form ->
        kit.profile.drafts(form).mapNotNull { e ->
            val body = kit.profile.draft(form, e.key) ?: return@mapNotNull null
            val fields = DraftBody.decode(body.body)
            val title = when (form) {
                DraftForm.VISIT -> fields["householdId"]?.let { runCatching { kit.profile.household(it).headName }.getOrNull() }
                DraftForm.HOUSEHOLD -> fields["head"]?.takeIf { it.isNotBlank() } ?: fields["address"]
                DraftForm.SESSION -> fields["place"]
                DraftForm.FEEDBACK -> fields["text"]
            }
            DraftItem(form, e.key, title.orEmpty(), e.updatedAt, fields)
        }
    }.sortedByDescending { it.updatedAt }

    /** Throws away a draft offered on Today. */
    fun discardDraft(item: DraftItem): Job = launch {
        core { kit.profile.discardDraft(item.form, item.key) }.onFailure { e -> set { it.copy(error = e.ui) } }
        load().join()
    }

    /**
     * "Gửi ngay": expedited background work within the wifi-only setting (run here on the desktop
     * JVM, where there is no scheduler); the core may say to wait for wifi.
     */
    fun syncNow(): Job = sendNow(mobileDataOnce = false)

    /** "Gửi ngay bằng dữ liệu di động": the volunteer overrides the wifi-only setting for this once. */
    fun sendNowOnMobileData(): Job = sendNow(mobileDataOnce = true)

    /** Stops a running sync; nothing is lost (what was not acknowledged goes back to the queue). */
    fun cancelSync() = kit.sync.cancel()

    private fun sendNow(mobileDataOnce: Boolean): Job = launch {
        val facts = kit.network.current()
        val wifiOnly = kit.settings.settings.value.wifiOnly
        val waits = !decideSync(facts, SyncTrigger.USER_FORCED, wifiOnly, mobileDataOnce).syncNow
        // Offer the override when the core would send with it (not when there is no network at all).
        val canForce = waits && !mobileDataOnce && decideSync(facts, SyncTrigger.USER_FORCED, wifiOnly, mobileDataOnce = true).syncNow
        set { it.copy(canForce = canForce) }
        kit.sendNow(mobileDataOnce)
        load().join()
    }
}
