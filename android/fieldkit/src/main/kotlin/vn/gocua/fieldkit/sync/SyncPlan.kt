package vn.gocua.fieldkit.sync

import uniffi.gocua_core.SyncTrigger
import vn.gocua.fieldkit.settings.AppSettings

/**
 * What background work to ask the platform for, in platform-neutral terms. The app turns a
 * [SyncWork] into a WorkManager request (unmetered → NetworkType.UNMETERED, else CONNECTED);
 * keeping the mapping here lets the JVM tests check it.
 */
data class SyncWork(
    /** A unique name: enqueueing again replaces (one-off) or keeps (periodic) the earlier work. */
    val uniqueName: String,
    val periodic: Boolean,
    val requireUnmetered: Boolean,
    /** For periodic work. */
    val repeatMinutes: Long = 0,
    /** What the worker passes to the core's sync policy (`decideSync`). */
    val trigger: SyncTrigger,
    val backoffSeconds: Long = 60,
)

object SyncPlan {
    const val PERIODIC_NAME = "gocua-sync-periodic"
    const val ONE_OFF_NAME = "gocua-sync-now"

    /** Every 6 hours: several chances a day to meet wifi, cheap on the battery. */
    const val PERIOD_MINUTES = 6 * 60L

    fun periodic(settings: AppSettings) = SyncWork(
        uniqueName = PERIODIC_NAME,
        periodic = true,
        requireUnmetered = settings.wifiOnly,
        repeatMinutes = PERIOD_MINUTES,
        trigger = SyncTrigger.PERIODIC,
    )

    /** A one-off sync on the user's settings (after recording something, on coming to the foreground). */
    fun soon(settings: AppSettings) = SyncWork(
        uniqueName = ONE_OFF_NAME,
        periodic = false,
        requireUnmetered = settings.wifiOnly,
        trigger = SyncTrigger.APP_FOREGROUND,
    )

    /** "Send now on mobile data": the user said so, any network will do. */
    fun userForced() = SyncWork(
        uniqueName = ONE_OFF_NAME,
        periodic = false,
        requireUnmetered = false,
        trigger = SyncTrigger.USER_FORCED,
    )
}

/** The platform's side: WorkManager on Android. */
interface SyncScheduler {
    fun enqueue(work: SyncWork)
    fun cancel(uniqueName: String)
}
