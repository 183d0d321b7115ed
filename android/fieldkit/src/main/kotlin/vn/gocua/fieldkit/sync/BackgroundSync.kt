package vn.gocua.fieldkit.sync

import kotlinx.coroutines.withContext
import uniffi.gocua_core.SyncTrigger
import uniffi.gocua_core.SyncWaitReason
import uniffi.gocua_ffi.syncTriggers
import vn.gocua.fieldkit.FieldKit

/** What the platform's worker answers (WorkManager: `Result.success/retry/failure`). */
enum class WorkResult { SUCCESS, RETRY, FAILURE }

/**
 * One run of background sync work, as the Android worker does it (kept here so the JVM tests
 * run it): sync through the process's [SyncCoordinator], then tell the volunteer what needs
 * attention ([AttentionRule]), then say whether the platform should run the work again.
 */
object BackgroundSync {
    /** The work's input: the trigger's stable code ("periodic", …) and the mobile-data flag. */
    fun triggerOf(code: String?): SyncTrigger = syncTriggers().firstOrNull { it.code() == code } ?: SyncTrigger.PERIODIC

    suspend fun run(kit: FieldKit, trigger: SyncTrigger, mobileDataOnce: Boolean): WorkResult {
        val enrolled = withContext(kit.io) { kit.profile.isEnrolled() }
        if (!enrolled) return WorkResult.SUCCESS // not enrolled yet: nothing to do
        val settings = kit.settings.settings.value
        // sync() suspends; when the platform stops the worker (constraints lost), the coroutine is
        // cancelled, the core stops and the records in flight go back to the queue.
        val outcome = kit.sync.sync(kit.network.current(), trigger, settings.wifiOnly, mobileDataOnce)
        withContext(kit.io) {
            runCatching { AttentionRule.check(kit.profile, settings.lang, kit.attentionLog, kit.notifier) }
        }
        return when (outcome) {
            is SyncOutcome.Done -> WorkResult.SUCCESS
            is SyncOutcome.Busy -> WorkResult.SUCCESS // the running sync sends everything
            is SyncOutcome.Cancelled -> WorkResult.SUCCESS // the volunteer pressed "Dừng"; the next run sends the rest
            // The core stopped between batches (left wifi, offline, battery low): run again later,
            // under the work's own constraints; the rest of the queue goes then.
            is SyncOutcome.Stopped -> WorkResult.RETRY
            is SyncOutcome.Skipped -> if (outcome.reason == SyncWaitReason.OFFLINE) WorkResult.RETRY else WorkResult.SUCCESS
            is SyncOutcome.Failed -> if (outcome.retryLater) WorkResult.RETRY else WorkResult.FAILURE
        }
    }
}
