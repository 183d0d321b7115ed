package vn.gocua.app

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.ForegroundInfo
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.OutOfQuotaPolicy
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.util.concurrent.TimeUnit
import vn.gocua.fieldkit.sync.BackgroundSync
import vn.gocua.fieldkit.sync.OneOffPolicy
import vn.gocua.fieldkit.sync.SyncScheduler
import vn.gocua.fieldkit.sync.SyncWork
import vn.gocua.fieldkit.sync.WorkResult

/**
 * fieldkit's [SyncWork] as WorkManager work, mapped one to one: the plan (unique name, network,
 * KEEP / APPEND_OR_REPLACE, expedited, trigger, mobile-data flag) is decided and tested in
 * fieldkit. Work is persisted by WorkManager and rescheduled after a reboot.
 */
class WorkManagerScheduler(private val context: Context) : SyncScheduler {
    override fun enqueue(work: SyncWork) {
        val constraints = Constraints.Builder()
            .setRequiredNetworkType(if (work.requireUnmetered) NetworkType.UNMETERED else NetworkType.CONNECTED)
            .build()
        // The trigger's stable code from the core ("periodic", …): WorkManager persists it across app updates.
        val data = workDataOf(SyncWorker.TRIGGER to work.trigger.code(), SyncWorker.MOBILE_DATA_ONCE to work.mobileDataOnce)
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
            val builder = OneTimeWorkRequestBuilder<SyncWorker>()
                .setConstraints(constraints)
                .setInputData(data)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, work.backoffSeconds, TimeUnit.SECONDS)
            if (work.expedited) builder.setExpedited(OutOfQuotaPolicy.RUN_AS_NON_EXPEDITED_WORK_REQUEST)
            val policy = when (work.existing) {
                OneOffPolicy.KEEP -> ExistingWorkPolicy.KEEP
                OneOffPolicy.APPEND_OR_REPLACE -> ExistingWorkPolicy.APPEND_OR_REPLACE
            }
            wm.enqueueUniqueWork(work.uniqueName, policy, builder.build())
        }
    }

    override fun cancel(uniqueName: String) {
        WorkManager.getInstance(context).cancelUniqueWork(uniqueName)
    }
}

/** Runs one sync through fieldkit's [BackgroundSync] (single-flight, notification included). */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val kit = (applicationContext as GoCuaApp).kit()
        val trigger = BackgroundSync.triggerOf(inputData.getString(TRIGGER))
        return when (BackgroundSync.run(kit, trigger, inputData.getBoolean(MOBILE_DATA_ONCE, false))) {
            WorkResult.SUCCESS -> Result.success()
            WorkResult.RETRY -> Result.retry()
            WorkResult.FAILURE -> Result.failure()
        }
    }

    /** Expedited work runs as a foreground service before Android 12: it needs a notification. */
    override suspend fun getForegroundInfo(): ForegroundInfo = Notifications.syncForegroundInfo(applicationContext)

    companion object {
        const val TRIGGER = "trigger"
        const val MOBILE_DATA_ONCE = "mobile_data_once"
    }
}
