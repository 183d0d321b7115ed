package vn.gocua.fieldkit

import kotlinx.coroutines.CoroutineDispatcher
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import vn.gocua.fieldkit.settings.SettingsStore
import vn.gocua.fieldkit.sync.SyncCoordinator
import vn.gocua.fieldkit.sync.SyncPlan
import vn.gocua.fieldkit.sync.SyncScheduler

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
) {
    val sync = SyncCoordinator(profile)

    /** (Re)plans background sync after enrolment or a change of the wifi-only setting. */
    fun planBackgroundSync() {
        scheduler?.enqueue(SyncPlan.periodic(settings.settings.value))
    }

    /** After something was recorded: a one-off sync when the network allows it. */
    fun requestSyncSoon() {
        scheduler?.enqueue(SyncPlan.soon(settings.settings.value))
    }
}
