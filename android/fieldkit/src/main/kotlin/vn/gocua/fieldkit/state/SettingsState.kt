package vn.gocua.fieldkit.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import uniffi.gocua_ffi.ProfileView
import uniffi.gocua_protocol.Lang
import vn.gocua.fieldkit.FieldKit
import vn.gocua.fieldkit.settings.AppSettings

data class SettingsState(
    val settings: AppSettings = AppSettings(),
    val profile: ProfileView? = null,
    val error: UiError? = null,
)

/** Settings: sync on wifi only, language; who this phone is enrolled as. */
class SettingsViewModel(private val kit: FieldKit, scope: CoroutineScope) :
    StateHolder<SettingsState>(SettingsState(kit.settings.settings.value), scope, kit.io) {

    init {
        launch { kit.settings.settings.collect { s -> set { it.copy(settings = s) } } }
    }

    fun load(): Job = launch {
        core { kit.profile.profile() }
            .onSuccess { p -> set { it.copy(profile = p) } }
            .onFailure { e -> set { it.copy(error = e.ui) } }
    }

    fun setWifiOnly(on: Boolean) {
        kit.settings.update { it.copy(wifiOnly = on) }
        kit.planBackgroundSync() // the periodic work's network constraint follows the setting
    }

    fun setLang(lang: Lang) = kit.settings.update { it.copy(lang = lang) }
}
