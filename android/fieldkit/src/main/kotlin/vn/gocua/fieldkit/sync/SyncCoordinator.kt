package vn.gocua.fieldkit.sync

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.withContext
import uniffi.gocua_ffi.CancelHandle
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_ffi.SyncListener
import uniffi.gocua_ffi.SyncReportView
import uniffi.gocua_ffi.decideSync
import vn.gocua.fieldkit.state.UiError
import vn.gocua.fieldkit.text.Text

/** What the Today screen's progress bar shows. */
data class SyncProgress(
    val running: Boolean = false,
    val sent: UInt = 0u,
    val total: UInt = 0u,
    val lastReport: SyncReportView? = null,
    val error: UiError? = null,
    /** Why the core's policy said "not now" (metered network, low battery, …). */
    val waiting: Text? = null,
) {
    val fraction: Float get() = if (total == 0u) (if (running) 0f else 1f) else sent.toFloat() / total.toFloat()
}

sealed interface SyncOutcome {
    data class Done(val report: SyncReportView) : SyncOutcome
    /** The core's sync policy said to wait; [reason] is its message. */
    data class Skipped(val reason: Text, val code: String?) : SyncOutcome
    /** Another sync of this profile is running: never two at once. */
    data object Busy : SyncOutcome
    data class Failed(val error: UiError, val retryLater: Boolean) : SyncOutcome
}

/**
 * The one way this process syncs a profile: from the Today screen's button, from the worker, on
 * coming to the foreground. A [Mutex] makes it single-flight (the WorkManager work is also
 * unique, so the platform does not start two workers either). Whether to sync on this network,
 * battery and trigger is the core's decision ([decideSync]), not this class's.
 */
class SyncCoordinator(
    private val profile: FieldProfile,
    private val io: CoroutineDispatcher,
    private val maxAttempts: UInt = 3u,
) {
    private val mutex = Mutex()
    private val _progress = MutableStateFlow(SyncProgress())
    val progress: StateFlow<SyncProgress> = _progress.asStateFlow()

    @Volatile
    private var cancelHandle: CancelHandle? = null

    val isRunning: Boolean get() = mutex.isLocked

    suspend fun sync(facts: NetworkFacts, trigger: String, wifiOnly: Boolean): SyncOutcome {
        val decision = decideSync(facts, trigger, wifiOnly)
        if (!decision.syncNow) {
            val reason = Text(decision.messageVi ?: "Chưa đồng bộ lúc này.", decision.messageEn ?: "Not syncing now.")
            _progress.update { it.copy(waiting = reason) }
            return SyncOutcome.Skipped(reason, decision.reasonCode)
        }
        if (!mutex.tryLock()) return SyncOutcome.Busy
        try {
            _progress.update { SyncProgress(running = true, lastReport = it.lastReport) }
            val outcome = withContext(io) {
                CancelHandle().use { handle ->
                    cancelHandle = handle
                    try {
                        val listener = object : SyncListener {
                            override fun onProgress(sent: UInt, total: UInt) {
                                _progress.update { it.copy(sent = sent, total = total) }
                            }
                        }
                        SyncOutcome.Done(profile.sync(listener, handle, maxAttempts))
                    } catch (e: FieldKitException) {
                        SyncOutcome.Failed(UiError.of(e), retryLater = e is FieldKitException.Network)
                    } finally {
                        cancelHandle = null
                    }
                }
            }
            _progress.update {
                when (outcome) {
                    is SyncOutcome.Done -> it.copy(running = false, lastReport = outcome.report, error = null)
                    is SyncOutcome.Failed -> it.copy(running = false, error = outcome.error)
                    else -> it.copy(running = false)
                }
            }
            return outcome
        } finally {
            mutex.unlock()
        }
    }

    /** Asks a running sync to stop after the batch in flight; what was not acknowledged stays queued. */
    fun cancel() {
        cancelHandle?.cancel()
    }
}
