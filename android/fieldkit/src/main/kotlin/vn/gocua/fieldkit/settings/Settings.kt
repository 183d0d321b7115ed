package vn.gocua.fieldkit.settings

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import uniffi.gocua_protocol.Lang

/** What the user chooses in Settings. Sync on wifi only is the default: data costs money. */
data class AppSettings(
    val wifiOnly: Boolean = true,
    val lang: Lang = Lang.VI,
)

/** Where settings are kept: SharedPreferences on Android ([InMemorySettings] in tests). */
interface SettingsStore {
    val settings: StateFlow<AppSettings>
    fun update(transform: (AppSettings) -> AppSettings)
}

class InMemorySettings(initial: AppSettings = AppSettings()) : SettingsStore {
    private val flow = MutableStateFlow(initial)
    override val settings: StateFlow<AppSettings> = flow.asStateFlow()
    override fun update(transform: (AppSettings) -> AppSettings) = flow.update(transform)
}
