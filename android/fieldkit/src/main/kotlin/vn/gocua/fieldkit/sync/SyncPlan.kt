package vn.gocua.fieldkit.sync

import uniffi.gocua_core.SyncTrigger
import vn.gocua.fieldkit.settings.AppSettings

/**
 * What to do when one-off work of the same unique name is already queued or running, in
 * platform-neutral terms (WorkManager's `ExistingWorkPolicy` of the same names). There is no
 * REPLACE: it cancels a running sync — the upload stops half-way, only to start again.
 */
enum class OneOffPolicy {
    /** Leave the queued or running work alone and drop the new request. */
    KEEP,
    /** Run the new request after the queued or running one (a failed one is replaced). */
    APPEND_OR_REPLACE,
}

/** What asked for an automatic one-off sync. */
enum class AutoSync {
    /** The volunteer saved something (a household, a visit, a session…). */
    RECORD_SAVED,
    /** The app came to the foreground. */
    FOREGROUND,
    /** The network came back (or changed). */
    CONNECTIVITY,
}

/**
 * What background work to ask the platform for, in platform-neutral terms. The app turns a
 * [SyncWork] into a WorkManager request (unmetered → NetworkType.UNMETERED, else CONNECTED;
 * [existing] → ExistingWorkPolicy; [expedited] → setExpedited(RUN_AS_NON_EXPEDITED_WORK_REQUEST));
 * keeping the plan here lets the JVM tests check it.
 */
data class SyncWork(
    /** A unique name: at most one work of each name is queued or running at a time. */
    val uniqueName: String,
    val periodic: Boolean,
    val requireUnmetered: Boolean,
    /** For periodic work. */
    val repeatMinutes: Long = 0,
    /** What the worker passes to the core's sync policy (`decideSync`, `syncWatched`). */
    val trigger: SyncTrigger,
    val backoffSeconds: Long = 60,
    /** For one-off work: what to do when work of the same name is already queued or running. */
    val existing: OneOffPolicy = OneOffPolicy.KEEP,
    /** Run at once, past the platform's deferral (quota permitting; else as ordinary work). */
    val expedited: Boolean = false,
    /**
     * "Gửi bằng dữ liệu di động lần này": carried to the core's policy, which alone decides
     * what it allows (only with [SyncTrigger.USER_FORCED]).
     */
    val mobileDataOnce: Boolean = false,
)

object SyncPlan {
    const val PERIODIC_NAME = "gocua-sync-periodic"
    /** Automatic one-off syncs: after a save, on coming to the foreground, on connectivity. */
    const val AUTO_NAME = "gocua-sync-soon"
    /** "Gửi ngay" waiting for an unmetered network (wifi only, no override). */
    const val SEND_NOW_NAME = "gocua-sync-send-now"
    /** "Gửi ngay" on any network (wifi only off, or "Gửi bằng dữ liệu di động lần này"). */
    const val SEND_NOW_ANY_NETWORK_NAME = "gocua-sync-send-now-any-network"

    /** Every 6 hours: several chances a day to meet wifi, cheap on the battery. */
    const val PERIOD_MINUTES = 6 * 60L

    fun periodic(settings: AppSettings) = SyncWork(
        uniqueName = PERIODIC_NAME,
        periodic = true,
        requireUnmetered = settings.wifiOnly,
        repeatMinutes = PERIOD_MINUTES,
        trigger = SyncTrigger.PERIODIC,
    )

    /**
     * An automatic one-off sync, on the user's settings. KEEP: a sync already queued or running
     * sends everything in the queue when it runs (it takes batches until the queue is empty,
     * records saved meanwhile included), so a new request adds nothing — and must never cancel
     * an upload half-way, as REPLACE did on every save and every return to the foreground.
     * A save or the foreground means the volunteer is using the app (the core lets such a sync
     * through battery saver); connectivity is background work, weighed like the periodic one.
     */
    fun automatic(settings: AppSettings, why: AutoSync) = SyncWork(
        uniqueName = AUTO_NAME,
        periodic = false,
        requireUnmetered = settings.wifiOnly,
        trigger = when (why) {
            AutoSync.RECORD_SAVED, AutoSync.FOREGROUND -> SyncTrigger.APP_FOREGROUND
            AutoSync.CONNECTIVITY -> SyncTrigger.PERIODIC
        },
        existing = OneOffPolicy.KEEP,
    )

    /**
     * "Gửi ngay": expedited work with the USER_FORCED trigger. It respects "wifi only" (the work
     * waits for an unmetered network) unless the volunteer chose "Gửi bằng dữ liệu di động lần
     * này" ([mobileDataOnce]): then any connection will do, and the flag goes to the core's
     * policy, which decides.
     *
     * KEEP, not APPEND_OR_REPLACE: a "Gửi ngay" queued or running sends the whole queue when it
     * runs, so pressing again must neither cancel it nor queue a second pass behind it. Each
     * network requirement has its own unique name, so the override is never held back by a
     * wifi-only "Gửi ngay" still waiting for wifi (APPEND_OR_REPLACE would chain it behind that
     * one, and KEEP under one name would drop it); nor by an automatic sync waiting for wifi.
     * Two syncs never run at once: the [SyncCoordinator] answers the later one `Busy`.
     */
    fun sendNow(settings: AppSettings, mobileDataOnce: Boolean = false): SyncWork {
        val unmetered = settings.wifiOnly && !mobileDataOnce
        return SyncWork(
            uniqueName = if (unmetered) SEND_NOW_NAME else SEND_NOW_ANY_NETWORK_NAME,
            periodic = false,
            requireUnmetered = unmetered,
            trigger = SyncTrigger.USER_FORCED,
            existing = OneOffPolicy.KEEP,
            expedited = true,
            mobileDataOnce = mobileDataOnce,
        )
    }
}

/** The platform's side: WorkManager on Android. */
interface SyncScheduler {
    fun enqueue(work: SyncWork)
    fun cancel(uniqueName: String)
}
