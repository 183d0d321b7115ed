package vn.gocua.app

import android.app.Application
import android.os.Build
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import androidx.lifecycle.lifecycleScope
import java.io.File
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import uniffi.gocua_ffi.FieldProfile
import vn.gocua.fieldkit.FieldKit

/**
 * One [FieldKit] per process: the open profile (encrypted store), settings, scheduler. The
 * Activity and the sync worker share it, so its SyncCoordinator keeps syncs single-flight.
 */
class GoCuaApp : Application() {
    private val lock = Mutex()
    @Volatile private var kit: FieldKit? = null

    /** Opens the store on first use (off the main thread: SQLCipher key derivation takes a moment). */
    suspend fun kit(): FieldKit = kit ?: lock.withLock {
        kit ?: withContext(Dispatchers.IO) {
            val profile = FieldProfile.open(File(filesDir, "profile").path, DatabaseKey(this@GoCuaApp).get())
            FieldKit(
                profile = profile,
                settings = PrefsSettings(this@GoCuaApp),
                io = Dispatchers.IO,
                network = AndroidNetworkFacts(this@GoCuaApp),
                scheduler = WorkManagerScheduler(this@GoCuaApp),
                deviceLabel = "${Build.MANUFACTURER} ${Build.MODEL}",
                appVersion = packageManager.getPackageInfo(packageName, 0).versionName ?: "0",
            )
        }.also { kit = it }
    }

    override fun onCreate() {
        super.onCreate()
        // Coming to the foreground: a one-off sync, which WorkManager runs once the network allows.
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) {
                owner.lifecycleScope.launch {
                    val k = kit()
                    if (withContext(Dispatchers.IO) { k.profile.profile() } != null) {
                        k.planBackgroundSync()
                        k.requestSyncSoon()
                    }
                }
            }
        })
    }
}
