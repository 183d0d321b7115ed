package vn.gocua.fieldkit

import kotlinx.coroutines.CoroutineDispatcher
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_ffi.decideSync
import vn.gocua.fieldkit.settings.SettingsStore
import vn.gocua.fieldkit.sync.AttentionLog
import vn.gocua.fieldkit.sync.AttentionNotifier
import vn.gocua.fieldkit.sync.AutoSync
import vn.gocua.fieldkit.sync.InMemoryAttentionLog
import vn.gocua.fieldkit.sync.SyncCoordinator
import vn.gocua.fieldkit.sync.SyncOutcome
import vn.gocua.fieldkit.sync.SyncPlan
import vn.gocua.fieldkit.sync.SyncScheduler
import vn.gocua.fieldkit.text.Text

/** The platform's view of the network and battery, as the core's sync policy wants it. */
fun interface NetworkFactsSource {
    fun current(): NetworkFacts
}

/**
 * Everything the state holders share: the open profile (the Rust core), the settings, the
 * dispatcher for blocking core calls, the network facts and the background scheduler.
 * One per process on Android (created by the Application), one per test on the JVM.
 */
class FieldKit(
    val profile: FieldProfile,
    val settings: SettingsStore,
    val io: CoroutineDispatcher,
    val network: NetworkFactsSource,
    val scheduler: SyncScheduler? = null,
    val deviceLabel: String = "Android",
    val appVersion: String = "0.1.0",
    /** Posts "records need your attention" (an Android notification); none on the JVM. */
    val notifier: AttentionNotifier? = null,
    /** When each attention condition was last shown (SharedPreferences on Android). */
    val attentionLog: AttentionLog = InMemoryAttentionLog(),
) {
    /** Every sync of this process; the core re-checks [network] between batches. */
    val sync = SyncCoordinator(profile, network = network)

    /** (Re)plans background sync after enrolment or a change of the wifi-only setting. */
    fun planBackgroundSync() {
        scheduler?.enqueue(SyncPlan.periodic(settings.settings.value))
    }

    /** After something was recorded (or [why] else): a one-off sync when the network allows it. */
    fun requestSyncSoon(why: AutoSync = AutoSync.RECORD_SAVED) {
        scheduler?.enqueue(SyncPlan.automatic(settings.settings.value, why))
    }

    /**
     * "Gửi ngay": expedited background work ([SyncPlan.sendNow]), so the upload goes on when the
     * volunteer leaves the screen or the app; its progress shows through [sync] all the same.
     * Without a scheduler (the desktop JVM) it runs here and returns the outcome; with one it
     * returns null (queued).
     */
    suspend fun sendNow(mobileDataOnce: Boolean = false): SyncOutcome? {
        val s = settings.settings.value
        val work = SyncPlan.sendNow(s, mobileDataOnce)
        val platform = scheduler
        if (platform != null) {
            val decision = decideSync(network.current(), work.trigger, s.wifiOnly, work.mobileDataOnce)
            // Queued until its network is there: say why, in the core's words.
            sync.showWaiting(if (decision.syncNow) null else Text(decision.messageVi.orEmpty(), decision.messageEn.orEmpty()))
            platform.enqueue(work)
            return null
        }
        return sync.sync(network.current(), work.trigger, s.wifiOnly, work.mobileDataOnce)
    }
}
