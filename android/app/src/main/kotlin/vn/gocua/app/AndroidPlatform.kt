package vn.gocua.app

import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import android.os.BatteryManager
import android.os.PowerManager
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.gocua_ffi.NetworkFacts
import uniffi.gocua_protocol.Lang
import vn.gocua.fieldkit.NetworkFactsSource
import vn.gocua.fieldkit.settings.AppSettings
import vn.gocua.fieldkit.settings.SettingsStore

/** Network, battery and battery saver as the core's sync policy wants them. */
class AndroidNetworkFacts(private val context: Context) : NetworkFactsSource {
    override fun current(): NetworkFacts {
        val cm = context.getSystemService(ConnectivityManager::class.java)
        val caps = cm.activeNetwork?.let { cm.getNetworkCapabilities(it) }
        val connected = caps?.hasCapability(NetworkCapabilities.NET_CAPABILITY_VALIDATED) == true
        val unmetered = caps?.hasCapability(NetworkCapabilities.NET_CAPABILITY_NOT_METERED) == true
        val battery = context.registerReceiver(null, IntentFilter(Intent.ACTION_BATTERY_CHANGED))
        val level = battery?.getIntExtra(BatteryManager.EXTRA_LEVEL, -1) ?: -1
        val scale = battery?.getIntExtra(BatteryManager.EXTRA_SCALE, -1) ?: -1
        val plugged = (battery?.getIntExtra(BatteryManager.EXTRA_PLUGGED, 0) ?: 0) != 0
        val power = context.getSystemService(PowerManager::class.java)
        return NetworkFacts(
            connected = connected,
            unmetered = unmetered,
            batteryPercent = if (level >= 0 && scale > 0) (level * 100 / scale).toUByte() else null,
            charging = plugged,
            powerSaver = power.isPowerSaveMode,
        )
    }
}

/** Settings in private preferences. */
class PrefsSettings(context: Context) : SettingsStore {
    private val prefs = context.getSharedPreferences("gocua-settings", Context.MODE_PRIVATE)
    private val flow = MutableStateFlow(
        AppSettings(
            wifiOnly = prefs.getBoolean("wifi_only", true),
            // Stored as "vi" / "en"; the core's Lang is VI / EN.
            lang = Lang.entries.firstOrNull { it.name.equals(prefs.getString("lang", null), ignoreCase = true) } ?: Lang.VI,
        ),
    )
    override val settings: StateFlow<AppSettings> = flow.asStateFlow()

    override fun update(transform: (AppSettings) -> AppSettings) {
        flow.update(transform)
        val s = flow.value
        prefs.edit().putBoolean("wifi_only", s.wifiOnly).putString("lang", s.lang.name.lowercase()).apply()
    }
}
