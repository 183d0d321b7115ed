package vn.gocua.fieldkit.sync

import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.sync.Mutex
import uniffi.gocua_core.SyncTrigger
import uniffi.gocua_core.SyncWaitReason
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_ffi.NetworkWatch
import uniffi.gocua_ffi.SyncListener
import uniffi.gocua_ffi.SyncReportView
import uniffi.gocua_ffi.SyncRequest
import uniffi.gocua_ffi.decideSync
import vn.gocua.fieldkit.NetworkFactsSource
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text

/** What the Today screen's progress bar shows. */
data class SyncProgress(
    val running: Boolean = false,
    val sent: UInt = 0u,
    val total: UInt = 0u,
    val lastReport: SyncReportView? = null,
    val error: UiError? = null,
    /** Why the core's policy said "not now" (metered network, low battery, …), in its words. */
    val waiting: Text? = null,
) {
    val fraction: Float get() = if (total == 0u) (if (running) 0f else 1f) else sent.toFloat() / total.toFloat()
}

sealed interface SyncOutcome {
    data class Done(val report: SyncReportView) : SyncOutcome
    /**
     * The core, asking its policy again between batches, stopped the sync (the phone left wifi,
     * went offline, ran low on battery): [report] says what went, the rest waits in the queue.
     */
    data class Stopped(val report: SyncReportView, val message: Text, val reason: SyncWaitReason) : SyncOutcome
    /** The core's sync policy said to wait: [message] is its message, [reason] its reason. */
    data class Skipped(val message: Text, val reason: SyncWaitReason?) : SyncOutcome
    /** Another sync of this profile is running: never two at once. */
    data object Busy : SyncOutcome
    /** Stopped by [SyncCoordinator.cancel]: what the server had not acknowledged is back in the queue. */
    data object Cancelled : SyncOutcome
    data class Failed(val error: UiError, val retryLater: Boolean) : SyncOutcome
}

/**
 * The one way this process syncs a profile: from the Today screen's button, from the worker, on
 * coming to the foreground. A [Mutex] makes it single-flight (the WorkManager work is also
 * unique, so the platform does not start two workers either). Whether to sync on this network,
 * battery and trigger is the core's decision ([decideSync]), not this class's.
 *
 * The core's `sync` is a `suspend` function: cancelling its coroutine raises the core's cancel
 * flag, and the records in flight go back to the queue. [cancel] does that to the running sync;
 * cancelling the caller's own coroutine does it too (and then the cancellation propagates).
 *
 * With a [network] source, the core asks it again before every batch (`syncWatched`) and stops
 * the sync when its policy no longer allows it ([SyncOutcome.Stopped]).
 */
class SyncCoordinator(
    private val profile: FieldProfile,
    private val maxAttempts: UInt = 3u,
    private val network: NetworkFactsSource? = null,
) {
    private val mutex = Mutex()
    private val _progress = MutableStateFlow(SyncProgress())
    val progress: StateFlow<SyncProgress> = _progress.asStateFlow()

    @Volatile
    private var running: Job? = null

    val isRunning: Boolean get() = mutex.isLocked

    /**
     * Syncs if the core's policy allows it for [facts] now. [mobileDataOnce] is the volunteer's
     * "Gửi bằng dữ liệu di động lần này", carried to the core (which only honours it with
     * [SyncTrigger.USER_FORCED]).
     */
    suspend fun sync(facts: NetworkFacts, trigger: SyncTrigger, wifiOnly: Boolean, mobileDataOnce: Boolean = false): SyncOutcome {
        val decision = decideSync(facts, trigger, wifiOnly, mobileDataOnce)
        if (!decision.syncNow) {
            val message = Text(decision.messageVi.orEmpty(), decision.messageEn.orEmpty())
            _progress.update { it.copy(waiting = message) }
            return SyncOutcome.Skipped(message, decision.reason)
        }
        if (!mutex.tryLock()) return SyncOutcome.Busy
        try {
            _progress.update { SyncProgress(running = true, lastReport = it.lastReport) }
            val listener = object : SyncListener {
                // Called on the core's sync thread; a StateFlow takes updates from any thread.
                override fun onProgress(sent: UInt, total: UInt) {
                    _progress.update { it.copy(sent = sent, total = total) }
                }
            }
            val outcome = coroutineScope {
                // The sync runs as a child job, so that cancel() can stop it without cancelling the
                // caller; it starts only once cancel() can see it.
                val job = async(start = CoroutineStart.LAZY) {
                    try {
                        val source = network
                        val report = if (source == null) {
                            profile.sync(listener, maxAttempts)
                        } else {
                            val watch = object : NetworkWatch {
                                override fun current(): NetworkFacts = source.current()
                            }
                            profile.syncWatched(SyncRequest(trigger, wifiOnly, mobileDataOnce), watch, listener, maxAttempts)
                        }
                        val stopped = report.stopped
                        if (stopped == null) {
                            SyncOutcome.Done(report)
                        } else {
                            SyncOutcome.Stopped(report, Text(report.stoppedMessageVi.orEmpty(), report.stoppedMessageEn.orEmpty()), stopped)
                        }
                    } catch (e: FieldKitException.Cancelled) {
                        SyncOutcome.Cancelled
                    } catch (e: FieldKitException) {
                        SyncOutcome.Failed(UiError.of(e), retryLater = e is FieldKitException.Network)
                    }
                }
                running = job
                job.start()
                try {
                    job.await()
                } catch (e: CancellationException) {
                    currentCoroutineContext().ensureActive() // the caller itself was cancelled: propagate
                    SyncOutcome.Cancelled
                } finally {
                    running = null
                }
            }
            _progress.update {
                when (outcome) {
                    is SyncOutcome.Done -> it.copy(running = false, lastReport = outcome.report, error = null, waiting = null)
                    is SyncOutcome.Stopped -> it.copy(running = false, lastReport = outcome.report, error = null, waiting = outcome.message)
                    is SyncOutcome.Failed -> it.copy(running = false, error = outcome.error)
                    else -> it.copy(running = false)
                }
            }
            return outcome
        } finally {
            _progress.update { if (it.running) it.copy(running = false) else it }
            mutex.unlock()
        }
    }

    /** Shows the policy's "not now" [message] (a "Gửi ngay" queued until its network is there). */
    fun showWaiting(message: Text?) {
        _progress.update { it.copy(waiting = message) }
    }

    /**
     * Stops the running sync, if any: its coroutine is cancelled, the core stops after the batch
     * in flight and puts what the server did not acknowledge back in the queue. The sync answers
     * [SyncOutcome.Cancelled].
     */
    fun cancel() {
        running?.cancel()
    }
}
