package vn.gocua.fieldkit

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.NetworkFacts
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.settings.InMemorySettings
import vn.gocua.fieldkit.sync.BackgroundSync
import vn.gocua.fieldkit.sync.SyncScheduler
import vn.gocua.fieldkit.sync.SyncWork
import vn.gocua.fieldkit.sync.WorkResult

/** Records what the state holders ask WorkManager for. */
class RecordingScheduler : SyncScheduler {
    val enqueued = java.util.Collections.synchronizedList(mutableListOf<SyncWork>())
    private var ran = 0
    override fun enqueue(work: SyncWork) { enqueued += work }
    override fun cancel(uniqueName: String) {}

    /**
     * What WorkManager would do next: runs, through the worker's own code ([BackgroundSync]), each
     * one-off work enqueued since the last call whose network constraint [network] meets now;
     * the others are dropped (the test asserts on [enqueued] for those). Returns the results.
     */
    suspend fun runOneOffs(kit: FieldKit, network: NetworkFacts): List<Pair<SyncWork, WorkResult>> {
        val fresh = synchronized(enqueued) { enqueued.drop(ran).also { ran = enqueued.size } }
        return fresh.filter { !it.periodic && network.connected && (!it.requireUnmetered || network.unmetered) }
            .map { it to BackgroundSync.run(kit, it.trigger, it.mobileDataOnce) }
    }
}

/** The phone's network as the test sets it, or as [script] says on the n-th question (from 1). */
class FakeNetwork(@Volatile var facts: NetworkFacts = WIFI) : NetworkFactsSource {
    private val calls = java.util.concurrent.atomic.AtomicInteger()
    @Volatile var script: ((Int) -> NetworkFacts)? = null
    override fun current() = script?.invoke(calls.incrementAndGet()) ?: facts

    companion object {
        val WIFI = NetworkFacts(connected = true, unmetered = true, batteryPercent = 80u)
        val MOBILE_DATA = NetworkFacts(connected = true, unmetered = false, batteryPercent = 80u)
        val OFFLINE = NetworkFacts(connected = false, unmetered = false, batteryPercent = 80u)
    }
}

class KitEnv(val kit: FieldKit, val scope: CoroutineScope, val network: FakeNetwork, val scheduler: RecordingScheduler, val settings: InMemorySettings)

/**
 * A [FieldKit] over [profile] (a real encrypted store) with state holders running on real
 * dispatchers; the scope is cancelled and the profile released at the end.
 */
fun withKit(profile: FieldProfile, settings: AppSettings = AppSettings(), block: suspend KitEnv.() -> Unit) {
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val network = FakeNetwork()
    val scheduler = RecordingScheduler()
    val store = InMemorySettings(settings)
    try {
        runBlocking { KitEnv(FieldKit(profile, store, Dispatchers.IO, network, scheduler, "JVM test phone", "0.1.0-test"), scope, network, scheduler, store).block() }
    } finally {
        scope.cancel()
        profile.destroy()
    }
}
