package vn.gocua.app

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uniffi.gocua_core.SyncTrigger
import uniffi.gocua_core.SyncWaitReason
import uniffi.gocua_ffi.syncTriggers
import vn.gocua.fieldkit.sync.SyncOutcome
import vn.gocua.fieldkit.sync.SyncScheduler
import vn.gocua.fieldkit.sync.SyncWork

/**
 * fieldkit's [SyncWork] as WorkManager work. Work is unique by name (never two one-off syncs
 * queued, one periodic), persisted by WorkManager and rescheduled after a reboot.
 */
class WorkManagerScheduler(private val context: Context) : SyncScheduler {
    override fun enqueue(work: SyncWork) {
        val constraints = Constraints.Builder()
            .setRequiredNetworkType(if (work.requireUnmetered) NetworkType.UNMETERED else NetworkType.CONNECTED)
            .build()
        // The trigger's stable code from the core ("periodic", …): WorkManager persists it across app updates.
        val data = workDataOf(SyncWorker.TRIGGER to work.trigger.code())
        val wm = WorkManager.getInstance(context)
        if (work.periodic) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(work.repeatMinutes, TimeUnit.MINUTES)
                .setConstraints(constraints)
                .setInputData(data)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, work.backoffSeconds, TimeUnit.SECONDS)
                .build()
            // UPDATE: a changed wifi-only setting changes the constraint of the existing work.
            wm.enqueueUniquePeriodicWork(work.uniqueName, ExistingPeriodicWorkPolicy.UPDATE, request)
        } else {
            val request = OneTimeWorkRequestBuilder<SyncWorker>()
                .setConstraints(constraints)
                .setInputData(data)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, work.backoffSeconds, TimeUnit.SECONDS)
                .build()
            wm.enqueueUniqueWork(work.uniqueName, ExistingWorkPolicy.REPLACE, request)
        }
    }

    override fun cancel(uniqueName: String) {
        WorkManager.getInstance(context).cancelUniqueWork(uniqueName)
    }
}

/** Runs one sync through the app's [vn.gocua.fieldkit.sync.SyncCoordinator] (single-flight). */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val app = applicationContext as GoCuaApp
        val kit = app.kit()
        val enrolled = withContext(Dispatchers.IO) { kit.profile.isEnrolled() }
        if (!enrolled) return Result.success() // not enrolled yet: nothing to do
        val code = inputData.getString(TRIGGER)
        val trigger = syncTriggers().firstOrNull { it.code() == code } ?: SyncTrigger.PERIODIC
        // sync() suspends; when WorkManager stops this worker (constraints lost), the coroutine is
        // cancelled, the core stops and the records in flight go back to the queue.
        return when (val outcome = kit.sync.sync(kit.network.current(), trigger, kit.settings.settings.value.wifiOnly)) {
            is SyncOutcome.Done -> Result.success()
            is SyncOutcome.Busy -> Result.success() // the running sync sends everything
            is SyncOutcome.Cancelled -> Result.success() // the volunteer pressed "Dừng"; the next run sends the rest
            is SyncOutcome.Skipped -> if (outcome.reason == SyncWaitReason.OFFLINE) Result.retry() else Result.success()
            is SyncOutcome.Failed -> if (outcome.retryLater) Result.retry() else Result.failure()
        }
    }

    companion object {
        const val TRIGGER = "trigger"
    }
}
