package vn.gocua.app

import android.app.Application
import android.net.ConnectivityManager
import android.net.Network
import android.os.Build
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.util.Log
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import androidx.lifecycle.lifecycleScope
import java.io.File
import javax.crypto.AEADBadTagException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import uniffi.gocua_ffi.FieldKitException
import uniffi.gocua_ffi.FieldProfile
import uniffi.gocua_ffi.discardUnreadableStore
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.sync.AutoSync

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
            val profile = openProfile()
            FieldKit(
                profile = profile,
                settings = PrefsSettings(this@GoCuaApp),
                io = Dispatchers.IO,
                network = AndroidNetworkFacts(this@GoCuaApp),
                scheduler = WorkManagerScheduler(this@GoCuaApp),
                deviceLabel = "${Build.MANUFACTURER} ${Build.MODEL}",
                appVersion = packageManager.getPackageInfo(packageName, 0).versionName ?: "0",
                notifier = Notifications.Attention(this@GoCuaApp),
                attentionLog = Notifications.Log(this@GoCuaApp),
            )
        }.also { kit = it }
    }

    /**
     * Opens the profile with its key from the Keystore.
     *
     * The lost-key path: when the key no longer opens the store (`FieldKitException.WrongKey`: the
     * app's data came from another phone or a backup, the key was replaced) or the kept key can no
     * longer be unwrapped (the Keystore key is gone or invalidated), nothing can ever read that
     * store again — its unsent records included. The core deletes it ([discardUnreadableStore]:
     * only in these two cases, never to reset a profile that opens — that is `unenrol`), a new key
     * is made, and the app opens an empty profile; GoCuaNavHost then shows enrolment. Any other error
     * (a Keystore that is busy, a full disk) is thrown: it may pass, and the store must not be lost.
     */
    private fun openProfile(): FieldProfile {
        val dir = File(filesDir, "profile").path
        val keys = DatabaseKey(this)
        val key = try {
            keys.get()
        } catch (e: AEADBadTagException) {
            Log.w(TAG, "the store's key cannot be unwrapped any more", e)
            null
        } catch (e: KeyPermanentlyInvalidatedException) {
            Log.w(TAG, "the Keystore key of the store's key was invalidated", e)
            null
        }
        if (key != null) {
            try {
                return FieldProfile.open(dir, key)
            } catch (e: FieldKitException.WrongKey) {
                Log.w(TAG, "the key does not open the store (${e.code}); discarding the unreadable store")
            }
        }
        discardUnreadableStore(dir)
        return FieldProfile.open(dir, keys.renew())
    }

    override fun onCreate() {
        super.onCreate()
        Notifications.createChannels(this)
        // Coming to the foreground: a one-off sync, which WorkManager runs once the network allows.
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) {
                owner.lifecycleScope.launch {
                    val k = kit()
                    if (withContext(Dispatchers.IO) { k.profile.isEnrolled() }) {
                        k.planBackgroundSync()
                        k.requestSyncSoon(AutoSync.FOREGROUND)
                    }
                }
            }
        })
        // A network comes up while the process lives: an automatic sync (KEEP: nothing happens if
        // one is queued or running). Only once the store is open, never to open it for this.
        getSystemService(ConnectivityManager::class.java).registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
            override fun onAvailable(network: Network) {
                kit?.requestSyncSoon(AutoSync.CONNECTIVITY)
            }
        })
    }

    private companion object {
        const val TAG = "GoCua"
    }
}
